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
     * <p>Calibration, before the measurement, in this JVM, the same in every fork whatever the treatment
     * (so that every treatment is measured from the same JVM state, issue 19): the steady-state cost of
     * {@code density} defers (register + run in a warm loop) is published as {@code defer.static.ns}; one
     * unmeasured run of the workload with real defers times every register and run call where it happens
     * ({@link CpuControl#inSitu}, wall clock), published as {@code defer.cpu.ns} (per call of
     * {@code density} defers), {@code defer.register.ns} and {@code defer.run.ns} (per defer); then the
     * control is matched on whole runs' CPU time ({@link CpuControl#matched}), publishing
     * {@code defer.cpu.total.ns} (extra M CPU per call of {@code density} defers), {@code defer.cpu.noise.ns}
     * (the noise test's threshold: twice the standard error of that difference, per call), {@code control.check.ns} (what the first control
     * added per call), {@code control.scale} (its one correction) and {@code control.source.steady} (1 when
     * the defers' extra CPU was below the noise and the control burns the steady-state cost). A
     * {@code cpu_control} fork whose correction lies outside [0.5, 2] fails with one line naming the cell.
     * All of the calibration is in {@link CpuControl}. Every run also publishes {@code m.cpu.ms}, the CPU
     * time of its Ms, and {@code jvm.gc.count} / {@code jvm.gc.pause.ms}, the JVM's collections during
     * the run.
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
        CpuControl.Steady steady = CpuControl.steady(steadyOps, density, CALIBRATION_NANOS);
        steadyOps.close();
        MetricsSink.putExtra("defer.static.ns", steady.nsPerCall(density));

        // The whole calibration runs in every fork, whatever the treatment: every treatment is measured
        // from the same JVM state (the same unmeasured runs, the same code compiled by the JIT).
        CpuControl.InSitu m = CpuControl.inSitu(defers, procs, cfg, workload);
        MetricsSink.putExtra("defer.cpu.ns", m.nsPerCall(density));
        MetricsSink.putExtra("defer.register.ns", m.nsPerRegister());
        MetricsSink.putExtra("defer.run.ns", m.nsPerRun());
        AllocatorDeferOps trial = ops(s, procs, shape); // the defer runs' allocator, pools and frames filled
        CpuControl.Matched c = CpuControl.matched(m, steady, density, trial, cfg, workload);
        MetricsSink.putExtra("defer.cpu.total.ns", c.totalNsPerCall());
        MetricsSink.putExtra("defer.cpu.noise.ns", c.noiseNsPerCall());
        MetricsSink.putExtra("control.check.ns", c.checkNsPerCall());
        MetricsSink.putExtra("control.scale", c.scale());
        MetricsSink.putExtra("control.source.steady", c.source() == CpuControl.Source.STEADY_STATE ? 1 : 0);

        TreatmentOps ops;
        if (t == Treatment.CPU_CONTROL) {
            if (!c.scaleInRange()) {
                throw new IllegalStateException(workload.apply(new TreatmentOps(Treatment.NONE, null)).name()
                        + " procs=" + procs + " density=" + density + ": cpu_control calibration failed: its "
                        + "correction " + String.format(java.util.Locale.ROOT, "%.2f", c.scale())
                        + " is outside [" + CpuControl.MIN_SCALE + ", " + CpuControl.MAX_SCALE + "]");
            }
            ops = c.control();
        } else {
            ops = new TreatmentOps(t, t.registersDefers() ? trial : null);
        }
        if (!t.registersDefers()) {
            trial.close();
        }
        return new LatencySetup(t, density, s, procs, ops, cfg, workload.apply(ops));
    }

    private static AllocatorDeferOps ops(DeferStrategy s, int procs, FuncShape shape) {
        return new AllocatorDeferOps(DeferAllocator.create(s, DeferLayout.GO122_48, procs), shape);
    }

    /** One scheduler run of the workload; its metrics go to the profiler. Fails if the run did not complete. */
    public RunResult run() {
        long gc0 = JvmGc.count();
        long ms0 = JvmGc.millis();
        RunResult r = Sched.run(workload, config);
        MetricsSink.add(r, JvmGc.count() - gc0, JvmGc.millis() - ms0);
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException(workload.name() + " did not complete: " + r);
        }
        return r;
    }

    public void close() {
        ops.close();
    }
}
