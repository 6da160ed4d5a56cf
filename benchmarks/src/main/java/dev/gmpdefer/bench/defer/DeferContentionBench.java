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
 * shared between threads, as in Go. Scores are ns per defer per thread; the lock's acquisitions, spins, yields and sleeps, with
 * the records taken, are secondary results (sums; the report divides them). Expected: HEAP pays the GC, not the lock; POOLED/OFFHEAP pay the lock when
 * migrating; STACK and OPEN_CODED (8 defers per frame, nested) have no shared state at all.
 *
 * <p>Size: 6 strategies x 2 = 12 runs with 2 threads ({@code -t} changes it), 1 fork x (3 + 5) s: ~2 minutes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {DeferForks.ADD_EXPORTS, DeferForks.XMS, DeferForks.XMX, DeferForks.XMN,
        DeferForks.PRETOUCH})
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
     * {@code sched.deferlock} during the iteration: acquisitions, procyield rounds, osyields and futex
     * sleeps, the records taken ({@code lockDefers}, the denominator) and the contended acquisitions
     * ({@code lockWaits}). EVENTS counters are summed by JMH over threads, iterations and forks, so they are
     * published as raw counts (only thread 0 reports the allocator-wide ones): a per-defer figure is the
     * ratio of two sums ({@code lockAcquisitions / lockDefers}), which the report computes.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        Shared shared;
        boolean reporter;
        long startWaits;
        long startTaken;
        long[] startLock;
        public long lockWaits;
        public long lockDefers;
        public long lockAcquisitions;
        public long lockSpins;
        public long lockYields;
        public long lockSleeps;

        @Setup(Level.Iteration)
        public void setup(Shared s, ThreadParams t) {
            shared = s;
            reporter = t.getThreadIndex() == 0;
            startWaits = s.alloc.lockContentions();
            startTaken = s.alloc.recordsTaken();
            startLock = s.alloc.lockStats();
            lockWaits = lockDefers = lockAcquisitions = lockSpins = lockYields = lockSleeps = 0;
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            if (!reporter) {
                return;
            }
            lockWaits = shared.alloc.lockContentions() - startWaits;
            long[] now = shared.alloc.lockStats();
            lockDefers = shared.alloc.recordsTaken() - startTaken;
            lockAcquisitions = now[0] - startLock[0];
            lockSpins = now[1] - startLock[1];
            lockYields = now[2] - startLock[2];
            lockSleeps = now[3] - startLock[3];
        }
    }

    /** One call with 64 defers on this thread's P. */
    @Benchmark
    @OperationsPerInvocation(DEFERS)
    public int defer64(Shared s, M m, Counters counters) {
        return DeferCalls.call(m.chain, s.strategy, m.shape, DEFERS, m.fn, m.pid, m.retPid);
    }
}
