package dev.gmpdefer.bench.latency;

import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.workload.Program;
import dev.gmpdefer.model.workload.Workloads;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Go's BenchmarkPingPongHog with defers (C3/C4, reference item 13): ping-pong pairs hand a token to
 * each other (ready -> runnext, inheritTime: the pair shares one time slice) next to CPU hogs that
 * never yield. Before each hand-off the G calls a function with {@code density} defers.
 *
 * <p>Question: do defers in the hand-off path change the pair's scheduling latency, the runnext
 * share, or how often sysmon must preempt? Expected: only through their CPU cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PingPongHogBench extends LatencyBenchBase {
    /** Defers per hand-off call. */
    @Param({"10"})
    public int density;

    @Param({"2"})
    public int procs;

    /** Hand-offs per pair. */
    @Param({"20000"})
    public int rounds;

    @Override
    protected LatencySetup createSetup() {
        return LatencySetup.create(treatment, density, strategy, procs, FuncShape.straight(Math.max(1, density), 1), config(),
                ops -> Workloads.pingPongHog(2, rounds, procs, Program.unitsFor(20_000_000L), density, ops));
    }
}
