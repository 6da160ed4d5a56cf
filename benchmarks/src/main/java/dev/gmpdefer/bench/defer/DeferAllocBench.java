package dev.gmpdefer.bench.defer;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferChain;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Question: what does one defer cost (register + run), per allocation strategy and record layout, next to
 * the same calls made without defer? Claims C17 (43 / 3.2 / 0.7 ns per defer by Go version) and C11
 * (48-byte records); compare with Go's published figures (reference item 23: Go 1.12 heap ~50 ns, Go 1.13
 * stack ~35 ns, Go 1.14 open-coded 5.6 ns vs 4.4 ns plain call), as ratios to {@link #noDefer}.
 *
 * <p>Expected shape (Go's order on this project's machine, Go 1.19: open-coded 1.3-2.4 ns, a stack record
 * 7.7-8.8 ns, a pooled heap record 12-19 ns): OPEN_CODED < STACK < POOLED at 1 and 8 defers per call,
 * HEAP above POOLED; OFFHEAP within 1.1x of POOLED with bounds checks on. With {@code -prof gc}, HEAP shows
 * its record size in B/op (~48 or ~72) and the other strategies ~0 B/op. Forks run with a fixed heap
 * ({@link DeferForks}); the reference run uses 5 forks and adds one with
 * {@code -Dagrona.disable.bounds.checks=true} for OFFHEAP.
 *
 * <p>Each invocation runs 9,000 defers ({@value #DEFERS_PER_INVOCATION}, divisible by every
 * {@code defersPerCall}) as 9000/n calls of n defers, so scores are ns per defer. Calls of up to 9 defers are
 * straight-line; 100 and 1000 are one defer in a loop (see {@link DeferCalls}). Single thread, one P.
 *
 * <p>Size: 6 strategies x 5 counts x 2 layouts = 60 runs of {@link #defer}, plus 5 of {@link #noDefer}; at
 * 1 fork x (3 + 5) s plus JVM start that is about 10-11 minutes. Add {@code -f 2} for publication runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {DeferForks.ADD_EXPORTS, DeferForks.XMS, DeferForks.XMX, DeferForks.XMN,
        DeferForks.PRETOUCH})
public class DeferAllocBench {
    /** Defers per invocation: a multiple of 1, 8, 9, 100 and 1000. */
    public static final int DEFERS_PER_INVOCATION = 9000;

    /** The call structure, shared by both benchmarks. */
    @State(Scope.Thread)
    public static class Calls {
        @Param({"1", "8", "9", "100", "1000"})
        public int defersPerCall;

        int calls;
        FuncShape shape;
        final DeferCalls.Sink fn = new DeferCalls.Sink();

        @Setup(Level.Trial)
        public void setup() {
            calls = DEFERS_PER_INVOCATION / defersPerCall;
            shape = DeferCalls.shapeFor(defersPerCall);
        }
    }

    /** The allocator under test. */
    @State(Scope.Thread)
    public static class Alloc {
        @Param
        public DeferStrategy strategy;

        @Param
        public DeferLayout layout;

        DeferAllocator alloc;
        DeferChain chain;

        @Setup(Level.Trial)
        public void setup() {
            alloc = DeferAllocator.create(strategy, layout, 1);
            chain = alloc.newChain();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (!chain.isEmpty() || alloc.outstanding() != 0) {
                throw new IllegalStateException("defers leaked: " + alloc);
            }
            alloc.close();
        }
    }

    /** Register + run: {@code defersPerCall} defers per call, 9,000 per invocation. */
    @Benchmark
    @OperationsPerInvocation(DEFERS_PER_INVOCATION)
    public int defer(Calls k, Alloc a) {
        final DeferChain c = a.chain;
        final DeferStrategy s = a.strategy;
        final FuncShape shape = k.shape;
        final int n = k.defersPerCall;
        int ran = 0;
        for (int i = 0, calls = k.calls; i < calls; i++) {
            ran += DeferCalls.call(c, s, shape, n, k.fn, 0, 0);
        }
        return ran;
    }

    /**
     * Baseline: the same 9,000 calls of the deferred function, made directly at the end of each call through
     * a method the JIT may not inline ({@link DeferCalls#plainCall}), as Go's figures compare a defer with a
     * real function call.
     */
    @Benchmark
    @OperationsPerInvocation(DEFERS_PER_INVOCATION)
    public void noDefer(Calls k, Blackhole bh) {
        final int n = k.defersPerCall;
        final DeferCalls.Sink fn = k.fn;
        for (int i = 0, calls = k.calls; i < calls; i++) {
            for (int j = n - 1; j >= 0; j--) {
                DeferCalls.plainCall(fn, j);
            }
        }
        bh.consume(fn.acc);
    }
}
