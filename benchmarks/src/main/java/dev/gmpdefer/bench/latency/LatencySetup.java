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

import java.util.function.Function;

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
     * defers times every register and run call where it happens ({@link TreatmentOps#measuring}; one call
     * in 8 with the thread's CPU clock, so that an M descheduled inside a call does not count): the CPU
     * cost in the workload's own regime (cold records, empty pools, contention), published as
     * {@code defer.cpu.ns} (per call of {@code density} defers; {@code defer.wall.ns} is the wall-clock
     * figure of the other calls), {@code defer.register.ns} and
     * {@code defer.run.ns} (per defer). {@code cpu_control} burns those ns per defer, corrected once by
     * a check run of the control timed the same way ({@link #checkedControl}). Every run also publishes
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

        TreatmentOps steady = new TreatmentOps(Treatment.DEFER, ops(s, procs, shape));
        MetricsSink.putExtra("defer.static.ns", steady.calibrate(density, CALIBRATION_NANOS));
        steady.close();

        TreatmentOps ops;
        if (t == Treatment.DEFER || t == Treatment.CPU_CONTROL) {
            TreatmentOps meas = TreatmentOps.measuring(ops(s, procs, shape), procs);
            RunResult r = Sched.run(workload.apply(meas), cfg);
            if (r.outcome != RunResult.Outcome.COMPLETED) {
                throw new IllegalStateException("calibration run did not complete: " + r);
            }
            double reg = zeroIfNaN(meas.measuredNsPerRegister());
            double run = zeroIfNaN(meas.measuredNsPerRun());
            meas.close();
            MetricsSink.putExtra("defer.cpu.ns", density * (reg + run));
            MetricsSink.putExtra("defer.wall.ns", density * (zeroIfNaN(meas.measuredWallNsPerRegister())
                    + zeroIfNaN(meas.measuredWallNsPerRun())));
            MetricsSink.putExtra("defer.register.ns", reg);
            MetricsSink.putExtra("defer.run.ns", run);
            if (t == Treatment.CPU_CONTROL) {
                ops = checkedControl(reg, run, density, procs, cfg, workload);
            } else {
                ops = new TreatmentOps(t, ops(s, procs, shape));
            }
        } else {
            ops = new TreatmentOps(t, t.registersDefers() ? ops(s, procs, shape) : null);
        }
        return new LatencySetup(t, density, s, procs, ops, cfg, workload.apply(ops));
    }

    /**
     * The CPU control for {@code reg}/{@code run} ns per defer, checked in situ: a spin unit's cost,
     * measured in a tight loop, need not be what a unit costs inside the workload (caches, frequency,
     * other Ms on the same core), so one unmeasured run of the workload times the control where it
     * burns, exactly as the defers were timed, and the burn is scaled once by target / measured.
     * Published: {@code control.check.ns} (per call, before the correction) and {@code control.scale}.
     */
    private static TreatmentOps checkedControl(double reg, double run, int density, int procs, SchedConfig cfg,
                                               Function<TreatmentOps, Workload> workload) {
        TreatmentOps check = TreatmentOps.measuringControl(reg, run, procs);
        RunResult r = Sched.run(workload.apply(check), cfg);
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException("control check run did not complete: " + r);
        }
        double got = zeroIfNaN(check.measuredNsPerRegister()) + zeroIfNaN(check.measuredNsPerRun());
        double scale = check.correctionFactor();
        MetricsSink.putExtra("control.check.ns", density * got);
        MetricsSink.putExtra("control.scale", scale);
        return check.scaledControl(scale);
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
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
