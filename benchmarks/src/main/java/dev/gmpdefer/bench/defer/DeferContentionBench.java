package dev.gmpdefer.bench.defer;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferChain;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * Question: what do the global defer pool and its lock ({@code sched.deferlock}) cost when several Ps defer
 * heavily at once? Each thread is an M with Ps of its own and defers 64 calls in a loop per call, so the
 * 32-record local pools overflow into the global list and refill from it. Relates to claims C17 and C19
 * (per-defer cost under concurrency; there is no per-M pool in Go) and to reference item 21.
 *
 * <p>{@code migrate=false}: each thread registers and returns on its own P (local pools overflow within a
 * call, so every call spills and refills). {@code migrate=true}: each thread owns two Ps and registers on
 * one and returns on the other, as a G that moved between deferproc and deferreturn; one P always runs
 * empty and the other always overflows, so every record passes through the global list. Ps are never
 * shared between threads, as in Go. Scores are ns per defer per thread; {@code lockWaits} is the number of contended
 * lock acquisitions per iteration. Expected: HEAP pays the GC, not the lock; POOLED/OFFHEAP pay the lock when
 * migrating; STACK and OPEN_CODED (8 defers per frame, nested) have no shared state at all.
 *
 * <p>Size: 6 strategies x 2 = 12 runs with 2 threads ({@code -t} changes it), 1 fork x (3 + 5) s: ~2 minutes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Threads(2)
public class DeferContentionBench {
    /** Defers per call. */
    public static final int DEFERS = 64;

    /** The allocator shared by all threads (one per trial). */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param
        public DeferStrategy strategy;

        @Param({"false", "true"})
        public boolean migrate;

        DeferAllocator alloc;

        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            alloc = DeferAllocator.create(strategy, 2 * params.getThreads());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (alloc.outstanding() != 0) {
                throw new IllegalStateException("defers leaked: " + alloc);
            }
            alloc.close();
        }
    }

    /** One M: its G's chain and its Ps. */
    @State(Scope.Thread)
    public static class M {
        DeferChain chain;
        int pid;
        int retPid;
        final FuncShape shape = FuncShape.loop();
        final DeferCalls.Sink fn = new DeferCalls.Sink();

        @Setup(Level.Trial)
        public void setup(Shared s, ThreadParams t) {
            chain = s.alloc.newChain();
            pid = 2 * t.getThreadIndex();
            retPid = s.migrate ? pid + 1 : pid;
        }
    }

    /**
     * Contended acquisitions of the global pool's lock during the iteration (EVENTS: a total, not a rate).
     * The count is allocator-wide, so only thread 0 reports it.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        Shared shared;
        boolean reporter;
        long startWaits;
        public long lockWaits;

        @Setup(Level.Iteration)
        public void setup(Shared s, ThreadParams t) {
            shared = s;
            reporter = t.getThreadIndex() == 0;
            startWaits = s.alloc.lockContentions();
            lockWaits = 0;
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            lockWaits = reporter ? shared.alloc.lockContentions() - startWaits : 0;
        }
    }

    /** One call with 64 defers on this thread's P. */
    @Benchmark
    @OperationsPerInvocation(DEFERS)
    public int defer64(Shared s, M m, Counters counters) {
        return DeferCalls.call(m.chain, s.strategy, m.shape, DEFERS, m.fn, m.pid, m.retPid);
    }
}
