package dev.gmpdefer.bench.latency;

import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.workload.Workloads;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Fan-out spawning (C3/C4 in another shape): producers spawn children with {@code go}; every child
 * enters its producer's runnext (displacing the previous one to the ring tail; proc.go: newproc ->
 * runqput(next=true)) and wakes an idle P (wakep). A child calls a function with {@code density}
 * straight-line defers around a little work and exits.
 *
 * <p>Question: does the children's defer work change their scheduling latency or the runnext
 * share beyond its CPU cost ({@code cpu_control})? Expected: no; runnext serves most starts on the
 * producer's P, stealing feeds the others.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FanoutBench extends LatencyBenchBase {
    /** Defers per child call (straight-line: open-coded when <= 8 under GO_COMPILER). */
    @Param({"10"})
    public int density;

    @Param({"2"})
    public int procs;

    /** Producers x children per producer. */
    @Param({"4"})
    public int producers;

    @Param({"5000"})
    public int children;

    @Override
    protected LatencySetup createSetup() {
        return LatencySetup.create(treatment, density, strategy, procs, FuncShape.straight(Math.max(1, density), 1), config(),
                ops -> Workloads.fanout(producers, children, 50, density, ops));
    }
}
