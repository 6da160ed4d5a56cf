package dev.gmpdefer.bench.latency;

import dev.gmpdefer.bench.BenchParams;
import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.RunResult;
import dev.gmpdefer.model.sched.Sched;
import dev.gmpdefer.model.sched.SchedConfig;
import dev.gmpdefer.model.sched.Workload;
import dev.gmpdefer.model.workload.AllocatorDeferOps;
import dev.gmpdefer.model.workload.Treatment;
import dev.gmpdefer.model.workload.TreatmentOps;

/**
 * What every latency benchmark sets up from its parameters: the treatment (with the CPU control
 * calibrated in this JVM before the measurement), the defer allocator, and the scheduler
 * configuration; and the run itself, whose metrics go to {@link MetricsSink}.
 */
public final class LatencySetup {
    /** How long the calibration of the defer cost runs before the measurement. */
    static final long CALIBRATION_NANOS = 300_000_000L;

    public final Treatment treatment;
    public final int density;
    public final DeferStrategy strategy;
    public final int procs;
    public final TreatmentOps ops;
    public final SchedConfig config;

    private LatencySetup(Treatment treatment, int density, DeferStrategy strategy, int procs, TreatmentOps ops,
                         SchedConfig config) {
        this.treatment = treatment;
        this.density = density;
        this.strategy = strategy;
        this.procs = procs;
        this.ops = ops;
        this.config = config;
    }

    /**
     * Validates the parameters (each error names the parameter and its valid values), builds the
     * treatment and calibrates it.
     *
     * @param shape the shape of the Go function holding the defers (loop or straight-line)
     */
    public static LatencySetup create(String treatmentParam, int density, String strategyParam, int procs,
                                      FuncShape shape, SchedConfig.Builder config) {
        Treatment t = Treatment.parse(treatmentParam);
        BenchParams.intIn("density", Integer.toString(density), 0, 100_000);
        BenchParams.intIn("procs", Integer.toString(procs), 1, 256);
        DeferStrategy s = DeferStrategy.valueOf(BenchParams.strategy(strategyParam));
        if (s == DeferStrategy.OPEN_CODED && (shape.inLoop(0) || density > FuncShape.MAX_OPEN_DEFERS)) {
            throw new IllegalArgumentException("strategy: OPEN_CODED cannot hold " + (shape.inLoop(0)
                    ? "defers in a loop" : density + " defers in one frame") + " (Go open-codes at most "
                    + FuncShape.MAX_OPEN_DEFERS + ", none in loops); use GO_COMPILER, POOLED, HEAP, OFFHEAP or STACK");
        }
        MetricsSink.resetExtras();
        DeferAllocator alloc = DeferAllocator.create(s, DeferLayout.GO122_48, procs);
        TreatmentOps ops = new TreatmentOps(t, new AllocatorDeferOps(alloc, shape));
        double perCall = ops.calibrate(density, CALIBRATION_NANOS);
        // published with every iteration, so the JSON says what the CPU control burns
        MetricsSink.putExtra("defer.cpu.ns", perCall);
        MetricsSink.putExtra("defer.register.ns", ops.nsPerRegister());
        MetricsSink.putExtra("defer.run.ns", ops.nsPerRun());
        return new LatencySetup(t, density, s, procs, ops, config.procs(procs).build());
    }

    /** One scheduler run of {@code w}; its metrics go to the profiler. Fails if the run did not complete. */
    public RunResult run(Workload w) {
        RunResult r = Sched.run(w, config);
        MetricsSink.add(r);
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException(w.name() + " did not complete: " + r);
        }
        return r;
    }

    public void close() {
        ops.close();
    }
}
