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
 * Preemption latency (C14, C18): CPU hogs that never yield, each making calls with {@code density}
 * defers around some work, next to short Gs that loop over work and Gosched. sysmon preempts a hog
 * whose slice passed forcePreemptNS (10 ms); the hog yields at its next safe point (a call
 * prologue, a work chunk). The runtime's own defer code has no safe point (reference item 17).
 *
 * <p>Question: do defers lengthen the time from sysmon's request to the yield (preempt.latency), or
 * the slices? Expected: no: the defer operations are short and bounded (tens of ns per record).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PreemptLatencyBench extends LatencyBenchBase {
    /** Defers per hog call. */
    @Param({"10"})
    public int density;

    @Param({"2"})
    public int procs;

    @Override
    protected LatencySetup createSetup() {
        return LatencySetup.create(treatment, density, strategy, procs, FuncShape.straight(Math.max(1, density), 1), config(),
                ops -> Workloads.preemptLatency(procs, 3_000, Program.unitsFor(20_000), 200, 20, density, ops));
    }
}
