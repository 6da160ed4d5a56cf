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
 * Steal latency through runnext (C3, C5, C7): one parent at a time spawns a child into its own
 * runnext and stays busy making calls with {@code density} defers each; the other Ps are idle, so
 * the child starts early only when a woken M steals it from runnext (stealWork's last pass, after
 * the runnext steal pause: Go's usleep(3); {@code pauseMode} SPIN is exact, PARK has the timer
 * slack Go's usleep has on Linux).
 *
 * <p>Question: does the parent's defer activity slow the thief's steal (C5/C7 claim the defer code
 * invalidates the cache line holding p.runnext)? The workload latency (spawn -> child start) and
 * steal.latency are the answer; {@code cpu_control} is the control. Expected: no difference beyond
 * noise; the pause and the M wake-up dominate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StealLatencyBench extends LatencyBenchBase {
    /** Defers per call of the busy parent. */
    @Param({"10"})
    public int density;

    @Param({"2"})
    public int procs;

    /** How the runnext steal pause is implemented. */
    @Param({"SPIN", "PARK"})
    public String pauseMode;

    @Override
    protected LatencySetup createSetup() {
        return LatencySetup.create(treatment, density, strategy, procs, FuncShape.straight(Math.max(1, density), 1), config().stealPauseMode(dev.gmpdefer.model.sched.StealPause.Mode.valueOf(dev.gmpdefer.bench.BenchParams.checkPauseMode(pauseMode))),
                ops -> Workloads.stealLatency(300, 20, Program.unitsFor(5_000), density, ops));
    }
}
