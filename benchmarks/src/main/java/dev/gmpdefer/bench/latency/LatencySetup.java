package dev.gmpdefer.bench.latency;

import dev.gmpdefer.bench.BenchParams;
import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.RunResult;
import dev.gmpdefer.model.sched.Sched;
import dev.gmpdefer.model.sched.SchedConfig;
import dev.gmpdefer.model.sched.StealPause;
import dev.gmpdefer.model.sched.Workload;
import dev.gmpdefer.model.workload.AllocatorDeferOps;
import dev.gmpdefer.model.workload.CpuControl;
import dev.gmpdefer.model.workload.DeferOps;
import dev.gmpdefer.model.workload.Treatment;
import dev.gmpdefer.model.workload.TreatmentOps;

import java.util.function.Function;
import java.util.function.Supplier;

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
    public final Workload workload;

    private LatencySetup(Treatment treatment, int density, DeferStrategy strategy, int procs, TreatmentOps ops,
                         SchedConfig config, Workload workload) {
        this.workload = workload;
        this.treatment = treatment;
        this.density = density;
        this.strategy = strategy;
        this.procs = procs;
        this.ops = ops;
        this.config = config;
    }

    /**
     * Validates the parameters (each error names the parameter and its valid values) and builds the
     * treatment and the workload.
     *
     * <p>Calibration, before the measurement, in this JVM: the steady-state cost of {@code density}
     * defers (register + run in a warm loop) is published as {@code defer.static.ns} for every
     * treatment. For {@code defer} and {@code cpu_control}, one unmeasured run of the workload with real
     * defers times every register and run call where it happens ({@link CpuControl#inSitu}, wall
     * clock): the cost in the workload's own regime (cold records, empty pools, contention), published as
     * {@code defer.cpu.ns} (per call of {@code density} defers), {@code defer.register.ns} and
     * {@code defer.run.ns} (per defer). {@code cpu_control} is then matched on whole runs' CPU time
     * ({@link CpuControl#matched}), publishing {@code defer.cpu.total.ns} (extra M CPU per call of
     * {@code density} defers), {@code control.check.ns} (what the first control added per call) and
     * {@code control.scale} (its one correction). All of the calibration is in {@link CpuControl}.
     * Every run also publishes
     * {@code m.cpu.ms}, the CPU time of its Ms, so that the report can show how well the control's
     * CPU matched the defers' in the measured runs themselves.
     *
     * @param shape    the shape of the Go function holding the defers (loop or straight-line)
     * @param workload builds the workload around the treatment
     */
    public static LatencySetup create(String treatmentParam, int density, String strategyParam, int procs,
                                      FuncShape shape, SchedConfig.Builder config,
                                      Function<TreatmentOps, Workload> workload) {
        Treatment t = Treatment.parse(treatmentParam);
        BenchParams.intIn("density", Integer.toString(density), 0, 100_000);
        BenchParams.intIn("procs", Integer.toString(procs), 1, 256);
        DeferStrategy s = DeferStrategy.valueOf(BenchParams.strategy(strategyParam));
        if (s == DeferStrategy.OPEN_CODED && (shape.inLoop(0) || density > FuncShape.MAX_OPEN_DEFERS)) {
            throw new IllegalArgumentException("strategy: OPEN_CODED cannot hold " + (shape.inLoop(0)
                    ? "defers in a loop" : density + " defers in one frame") + " (Go open-codes at most "
                    + FuncShape.MAX_OPEN_DEFERS + ", none in loops); use GO_COMPILER, POOLED, HEAP, OFFHEAP or STACK");
        }
        SchedConfig cfg = config.procs(procs).build();
        MetricsSink.resetExtras();
        // which runnext steal pause the run used (1: PARK, Go's usleep(3) as Linux sleeps it; 0: exact SPIN)
        MetricsSink.putExtra("steal.pause.park", cfg.stealPauseMode == StealPause.Mode.PARK ? 1 : 0);

        Supplier<DeferOps> defers = () -> ops(s, procs, shape);
        AllocatorDeferOps steadyOps = ops(s, procs, shape);
        MetricsSink.putExtra("defer.static.ns", CpuControl.steady(steadyOps, density, CALIBRATION_NANOS).nsPerCall(density));
        steadyOps.close();

        TreatmentOps ops;
        if (t == Treatment.DEFER || t == Treatment.CPU_CONTROL) {
            CpuControl.InSitu m = CpuControl.inSitu(defers, procs, cfg, workload);
            MetricsSink.putExtra("defer.cpu.ns", m.nsPerCall(density));
            MetricsSink.putExtra("defer.register.ns", m.nsPerRegister());
            MetricsSink.putExtra("defer.run.ns", m.nsPerRun());
            if (t == Treatment.CPU_CONTROL) {
                CpuControl.Matched c = CpuControl.matched(m, density, defers, cfg, workload);
                MetricsSink.putExtra("defer.cpu.total.ns", c.totalNsPerCall());
                MetricsSink.putExtra("control.check.ns", c.checkNsPerCall());
                MetricsSink.putExtra("control.scale", c.scale());
                ops = c.control();
            } else {
                ops = new TreatmentOps(t, defers.get());
            }
        } else {
            ops = new TreatmentOps(t, t.registersDefers() ? defers.get() : null);
        }
        return new LatencySetup(t, density, s, procs, ops, cfg, workload.apply(ops));
    }

    private static AllocatorDeferOps ops(DeferStrategy s, int procs, FuncShape shape) {
        return new AllocatorDeferOps(DeferAllocator.create(s, DeferLayout.GO122_48, procs), shape);
    }

    /** One scheduler run of the workload; its metrics go to the profiler. Fails if the run did not complete. */
    public RunResult run() {
        RunResult r = Sched.run(workload, config);
        MetricsSink.add(r);
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException(workload.name() + " did not complete: " + r);
        }
        return r;
    }

    public void close() {
        ops.close();
    }
}
