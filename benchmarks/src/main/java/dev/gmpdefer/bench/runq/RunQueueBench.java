package dev.gmpdefer.bench.runq;

import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.GlobalRunQueue;
import dev.gmpdefer.model.sched.Gs;
import dev.gmpdefer.model.sched.LocalRunQueue;
import dev.gmpdefer.model.sched.StealPause;
import org.jctools.queues.SpmcArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does one owner put + get pair cost on an uncontended P run queue, through runnext
 * and through the ring, and how does that compare with a general SPMC queue (JCTools SpmcArrayQueue)
 * and an unsynchronised ArrayDeque?
 *
 * <p>Expected shape: a few ns per pair. runnext (one CAS to set, one CAS to clear) and the ring (a
 * store-release of tail, a CAS of head) should be within a small factor of each other and of
 * SpmcArrayQueue (same kind of work: a release store and a CAS); ArrayDeque, with no ordering at
 * all, is the floor. This is the base cost the article's runnext latencies (C3: P50 1.3 µs) are read
 * against: if one hand-off through runnext costs ns, µs latencies come from elsewhere (waking an M,
 * the previous G's slice), not from the queue. Claims: C2, C3, C5.
 *
 * <p>{@code depth} Gs are kept in the queue under the pair, so the ring case reads a slot that is not
 * the one just written (0 = the pair always runs on an empty ring). Every operation is
 * allocation-free (check with {@code -prof gc}): the Gs are made in {@code @Setup}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RunQueueBench {
    @Param({"0", "64"})
    public int depth;

    private LocalRunQueue q;
    private SpmcArrayQueue<G> spmc;
    private ArrayDeque<G> deque;
    private G[] gs;
    private int next;

    @Setup
    public void setup() {
        q = new LocalRunQueue(256, new GlobalRunQueue(128), null, StealPause.NONE);
        spmc = new SpmcArrayQueue<>(256);
        deque = new ArrayDeque<>(256);
        gs = Gs.newGs(256);
        for (int i = 0; i < depth; i++) {
            q.runqput(gs[128 + i], false);
            spmc.offer(gs[128 + i]);
            deque.addLast(gs[128 + i]);
        }
        next = 0;
    }

    private G nextG() {
        int i = next;
        next = (i + 1) & 127; // Gs 0..127 circulate; 128.. are the standing depth
        return gs[i];
    }

    /** runqput(next = true) then runqget: the G goes through runnext (proc.go: runqput, runqget). */
    @Benchmark
    public G runnextPutGet() {
        q.runqput(nextG(), true);
        return q.runqget();
    }

    /** runqput(next = false) then runqget. With depth > 0 the ring rotates: get returns an older G. */
    @Benchmark
    public G ringPutGet() {
        q.runqput(nextG(), false);
        return q.runqget();
    }

    /** JCTools' single-producer multi-consumer array queue: offer + poll (the poll CASes the head). */
    @Benchmark
    public G spmcOfferPoll() {
        spmc.offer(nextG());
        return spmc.poll();
    }

    /** ArrayDeque addLast + pollFirst: no synchronisation at all, the floor. */
    @Benchmark
    public G arrayDequeAddPoll() {
        deque.addLast(nextG());
        return deque.pollFirst();
    }
}
