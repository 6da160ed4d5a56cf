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
 * Claim C14: "a G that registers 10,000 defers blocks for milliseconds, starving other Gs: average
 * runnable delay > 3 ms (normal < 100 us)". One G registers {@code density} defers in a loop, then
 * returns (running them all), while 1,000 other Gs loop over a little work and Gosched.
 *
 * <p>Question: what runnable delay (sched.latency.mean/p99/max) do the other Gs see with the heavy
 * G's defers ({@code defer}) versus the same loop without defers ({@code none}) and with the same CPU
 * ({@code cpu_control})? Expected: 10,000 defers cost tens to hundreds of µs of CPU in total, so the
 * other Gs' delay cannot grow by milliseconds, and with 2 Ps the others keep running anyway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeferStarvationBench extends LatencyBenchBase {
    /** Defers the heavy G registers (C14: 10,000). */
    @Param({"10000"})
    public int density;

    @Param({"1", "2"})
    public int procs;

    @Override
    protected LatencySetup createSetup() {
        return LatencySetup.create(treatment, density, strategy, procs, FuncShape.loop(), config(),
                ops -> Workloads.deferStarvation(density, 1_000, 20, 1, ops));
    }
}
