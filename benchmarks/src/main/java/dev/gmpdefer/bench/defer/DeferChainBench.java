package dev.gmpdefer.bench.defer;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferChain;
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

import java.util.concurrent.TimeUnit;

/**
 * Question: is the cost per node of a defer chain constant as the chain grows from 1 to 10,000 records,
 * and how large is it? Claim C12: 8.2 ns per node, linear in chain length (Xeon Gold 6248R).
 *
 * <p>One frame defers {@code chainLength} calls in a loop (a chain of that many records on {@code g._defer})
 * and returns, running the chain newest first. The score is ns per node for building and running the chain
 * (running cannot be timed apart without per-invocation fixtures, which JMH advises against at this scale);
 * {@link DeferAllocBench#noDefer} gives the cost of the calls themselves. Each invocation handles 10,000
 * nodes ({@value #NODES_PER_INVOCATION}). Long chains exercise the global pool (POOLED, OFFHEAP) and cold
 * records. OPEN_CODED has no chain and GO_COMPILER uses POOLED records in a loop, so neither is listed.
 *
 * <p>Size: 4 strategies x 5 lengths = 20 runs, 1 fork x (3 + 5) s: about 3.5 minutes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {DeferForks.ADD_EXPORTS, DeferForks.XMS, DeferForks.XMX, DeferForks.XMN,
        DeferForks.PRETOUCH})
@State(Scope.Thread)
public class DeferChainBench {
    /** Nodes per invocation: a multiple of every chain length. */
    public static final int NODES_PER_INVOCATION = 10_000;

    @Param({"HEAP", "POOLED", "OFFHEAP", "STACK"})
    public DeferStrategy strategy;

    @Param({"1", "10", "100", "1000", "10000"})
    public int chainLength;

    DeferAllocator alloc;
    DeferChain chain;
    final FuncShape shape = FuncShape.loop();
    final DeferCalls.Sink fn = new DeferCalls.Sink();
    int chains;

    @Setup(Level.Trial)
    public void setup() {
        alloc = DeferAllocator.create(strategy, 1);
        chain = alloc.newChain();
        chains = NODES_PER_INVOCATION / chainLength;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (!chain.isEmpty() || alloc.outstanding() != 0) {
            throw new IllegalStateException("defers leaked: " + alloc);
        }
        alloc.close();
    }

    /** Builds and runs {@code 10000 / chainLength} chains of {@code chainLength} records. */
    @Benchmark
    @OperationsPerInvocation(NODES_PER_INVOCATION)
    public int buildAndRunChain() {
        final DeferChain c = chain;
        final int n = chainLength;
        int ran = 0;
        for (int k = 0, m = chains; k < m; k++) {
            ran += DeferCalls.call(c, strategy, shape, n, fn, 0, 0);
        }
        return ran;
    }
}
