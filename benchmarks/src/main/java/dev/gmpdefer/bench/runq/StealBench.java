package dev.gmpdefer.bench.runq;

import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.GlobalRunQueue;
import dev.gmpdefer.model.sched.Gs;
import dev.gmpdefer.model.sched.LocalRunQueue;
import dev.gmpdefer.model.sched.StealObserver;
import dev.gmpdefer.model.sched.StealRunQueue;
import dev.gmpdefer.model.sched.StealPause;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Question: what does stealing half of a victim's run queue cost (proc.go: runqsteal / runqgrab,
 * Go 1.21), per steal and per G moved, for victims holding 2, 16, 128 and 256 Gs; and what do a
 * steal and the victim's own put/get cost when an owner and a thief work on the same queue at once?
 *
 * <p>Expected shape: a fixed cost (two acquire loads, one CAS-release of the victim's head, one
 * store-release of the thief's tail) plus a copy linear in n = ceil(len/2): tens of ns for 1 G, a
 * few hundred ns for 128, i.e. ~1-3 ns per G at large n. With a concurrent owner, each steal also
 * pays for cache lines moving between cores (compare with CoreToCoreBench: one round trip is the
 * floor), so contended steals should cost a few core-to-core round trips, not µs. Claims: C5, C6
 * (the article's "wider runqsteal" in the flame graph), and C3 (steal latency vs runnext latency).
 *
 * <p>Reading {@code steal}: one op = one runqsteal of exactly ceil(len/2) Gs from a queue holding len,
 * plus one runqput of the G it returns; nothing is refilled. Two queues take turns: A holds len and B
 * holds floor(len/2); B steals ceil(len/2) from A and puts the returned G on its own ring, so B now
 * holds len and A floor(len/2), and the next op steals the other way. Every op is the same steal
 * (same victim length, same copy), and the only other work is the one put (a few ns; RunQueueBench's
 * {@code ringPutGet} measures a put with a get). An earlier version refilled the victim after each
 * steal and subtracted a refill-only benchmark; the refill was 53-94 % of that op, so the net figure
 * was a small difference of two noisy ones. Per G moved: divide by ceil(len/2).
 * Allocation-free ({@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StealBench {

    /** One thread plays both Ps, in turn: no contention, the cost of the operation itself. */
    @State(Scope.Thread)
    public static class Single {
        @Param({"2", "16", "128", "256"})
        public int len;

        LocalRunQueue a;
        LocalRunQueue b;
        StealRunQueue aStealer;
        StealRunQueue bStealer;
        /** Whether the next op steals from a into b (else from b into a). */
        boolean fromA;

        @Setup(Level.Trial)
        public void setup() {
            a = new LocalRunQueue(256, new GlobalRunQueue(128), null, StealPause.NONE);
            b = new LocalRunQueue(256, new GlobalRunQueue(128), null, StealPause.NONE);
            aStealer = a.stealer();
            bStealer = b.stealer();
            G[] gs = Gs.newGs(len + len / 2);
            for (int i = 0; i < len; i++) {
                a.runqput(gs[i], false);
            }
            for (int i = len; i < gs.length; i++) {
                b.runqput(gs[i], false);
            }
            fromA = true;
        }

        /** One steal of ceil(len/2) from the queue holding len; the thief keeps the G it got. */
        G stealOnce() {
            LocalRunQueue thief = fromA ? b : a;
            G g = thief.runqsteal(fromA ? aStealer : bStealer, false, StealObserver.NONE);
            thief.runqput(g, false); // the thief now holds len, the victim floor(len/2)
            fromA = !fromA;
            return g;
        }
    }

    /** One steal of ceil(len/2) Gs from a queue of len, plus one put (see the class comment). */
    @Benchmark
    public G steal(Single s) {
        return s.stealOnce();
    }

    // ---- owner + thief at the same time ----

    /** The victim P's queue, shared by its owner and one thief; stolen Gs come back through an SPSC queue. */
    @State(Scope.Group)
    public static class Shared {
        /** Gs in circulation; fewer than the ring's 256 so the owner never spills to the global queue. */
        static final int GS = 192;

        LocalRunQueue victim;
        StealRunQueue victimStealer;
        LocalRunQueue thief;
        SpscArrayQueue<G> returned;
        G[] free;
        int freeTop;

        @Setup(Level.Trial)
        public void setup() {
            victim = new LocalRunQueue(256, new GlobalRunQueue(128), null, StealPause.NONE);
            victimStealer = victim.stealer();
            thief = new LocalRunQueue(256, new GlobalRunQueue(128), null, StealPause.NONE);
            returned = new SpscArrayQueue<>(256);
            free = Gs.newGs(GS);
            freeTop = GS;
            while (freeTop > GS / 2) {
                victim.runqput(free[--freeTop], false);
            }
        }
    }

    /** Outcome counts of the thief: steals that moved Gs, empty steals, Gs moved. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class ThiefCounters implements StealObserver {
        public long steals;
        public long emptySteals;
        public long gsMoved;

        @Override
        public void stolen(int count, boolean runnext) {
            gsMoved += count;
        }
    }

    /**
     * The owner: puts free Gs on its ring (runqput next = false; two while more than half of the Gs
     * are free, so the ring refills after each steal) and takes one back (runqget). Gs the thief stole
     * come back to its free list.
     */
    @Benchmark
    @Group("ownerAndThief")
    @GroupThreads(1)
    public G owner(Shared s) {
        for (G g; s.freeTop < Shared.GS && (g = s.returned.relaxedPoll()) != null; ) {
            s.free[s.freeTop++] = g;
        }
        int puts = s.freeTop > Shared.GS / 2 ? 2 : 1;
        for (int i = 0; i < puts && s.freeTop > 0; i++) {
            s.victim.runqput(s.free[--s.freeTop], false);
        }
        G g = s.victim.runqget();
        if (g != null) {
            s.free[s.freeTop++] = g;
        }
        return g;
    }

    /** The thief: one runqsteal attempt; what it moved goes back to the owner's free list. */
    @Benchmark
    @Group("ownerAndThief")
    @GroupThreads(1)
    public G thief(Shared s, ThiefCounters c) {
        G g = s.thief.runqsteal(s.victimStealer, false, c);
        if (g == null) {
            c.emptySteals++;
            return null;
        }
        c.steals++;
        while (!s.returned.relaxedOffer(g)) {
            Thread.onSpinWait(); // capacity 256 > GS: cannot stay full
        }
        for (G x; (x = s.thief.runqget()) != null; ) {
            while (!s.returned.relaxedOffer(x)) {
                Thread.onSpinWait();
            }
        }
        return g;
    }
}
