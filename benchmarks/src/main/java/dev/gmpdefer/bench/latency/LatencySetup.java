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
import dev.gmpdefer.model.workload.Treatment;
import dev.gmpdefer.model.workload.TreatmentOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
     * defers times every register and run call where it happens ({@link TreatmentOps#measuring}, wall
     * clock): the cost in the workload's own regime (cold records, empty pools, contention), published as
     * {@code defer.cpu.ns} (per call of {@code density} defers), {@code defer.register.ns} and
     * {@code defer.run.ns} (per defer). {@code cpu_control} is then matched on whole runs' CPU time
     * ({@link #cpuMatchedControl}). Every run also publishes
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

        TreatmentOps steady = new TreatmentOps(Treatment.DEFER, ops(s, procs, shape));
        MetricsSink.putExtra("defer.static.ns", steady.calibrate(density, CALIBRATION_NANOS));
        steady.close();

        TreatmentOps ops;
        if (t == Treatment.DEFER || t == Treatment.CPU_CONTROL) {
            TreatmentOps meas = TreatmentOps.measuring(ops(s, procs, shape), procs);
            run(meas, cfg, workload);
            double reg = zeroIfNaN(meas.measuredNsPerRegister());
            double run = zeroIfNaN(meas.measuredNsPerRun());
            long defers = meas.measuredRegisters();
            meas.close();
            MetricsSink.putExtra("defer.cpu.ns", density * (reg + run));
            MetricsSink.putExtra("defer.register.ns", reg);
            MetricsSink.putExtra("defer.run.ns", run);
            if (t == Treatment.CPU_CONTROL) {
                ops = cpuMatchedControl(reg, run, defers, density, s, procs, shape, cfg, workload);
            } else {
                ops = new TreatmentOps(t, ops(s, procs, shape));
            }
        } else {
            ops = new TreatmentOps(t, t.registersDefers() ? ops(s, procs, shape) : null);
        }
        return new LatencySetup(t, density, s, procs, ops, cfg, workload.apply(ops));
    }

    /**
     * The CPU control, matched on whole runs: the per-call timing above includes, on a machine with more
     * runnable threads than cores, time an M spent descheduled inside a call, and it runs on a fresh
     * allocator, while the measured runs reuse the trial's allocator with its pools already filled (in
     * the article's program, 10 million records scattered over the heap instead of freshly allocated
     * ones). What the comparison needs is a control whose runs take the CPU the defer runs take. So:
     * after one run that fills the pools of an allocator as the measured runs find it, alternating
     * unmeasured runs of {@code none} and {@code defer} (at least 3 pairs, up to 7 while they last under
     * a second) give the median M CPU time ({@code m.cpu.ms}) the defers add, per defer; the control burns
     * that per defer (split between registration and return in the in-situ ratio {@code reg : run}); as
     * many check runs of the control give the CPU it really adds, and its burn is scaled once by
     * (defer − none) / (control − none), clamped to [0.1, 10].
     * Published: {@code defer.cpu.total.ns} (extra M CPU per call of {@code density} defers),
     * {@code control.check.ns} (what the control added per call, before the correction) and
     * {@code control.scale}. The measured runs' {@code m.cpu.ms} show how close it came.
     */
    private static TreatmentOps cpuMatchedControl(double reg, double run, long defers, int density,
                                                  DeferStrategy s, int procs, FuncShape shape, SchedConfig cfg,
                                                  Function<TreatmentOps, Workload> workload) {
        TreatmentOps none = new TreatmentOps(Treatment.NONE, null);
        TreatmentOps real = new TreatmentOps(Treatment.DEFER, ops(s, procs, shape));
        run(real, cfg, workload); // fills the pools, as the measured runs find them
        List<Long> cpuNone = new ArrayList<>();
        List<Long> cpuDefer = new ArrayList<>();
        long wall = 0;
        while (cpuNone.size() < 3 || (cpuNone.size() < 7 && wall < 1_000_000_000L)) {
            long t0 = System.nanoTime();
            cpuNone.add(cpuOf(none, cfg, workload));
            cpuDefer.add(cpuOf(real, cfg, workload));
            wall += System.nanoTime() - t0;
        }
        real.close();
        double base = median(cpuNone);
        double extra = defers > 0 ? Math.max(0, median(cpuDefer) - base) / defers : 0; // ns per defer
        double regShare = reg + run > 0 ? reg / (reg + run) : 0.5;
        MetricsSink.putExtra("defer.cpu.total.ns", density * extra);
        TreatmentOps first = new TreatmentOps(Treatment.CPU_CONTROL, null);
        first.setControlRates(extra * regShare, extra * (1 - regShare));
        List<Long> cpuFirst = new ArrayList<>();
        for (int i = 0; i < cpuNone.size(); i++) {
            cpuFirst.add(cpuOf(first, cfg, workload));
        }
        double added = defers > 0 ? Math.max(0, median(cpuFirst) - base) / defers : 0;
        double scale = added > 0 && extra > 0 ? Math.max(0.1, Math.min(10, extra / added)) : 1.0;
        MetricsSink.putExtra("control.check.ns", density * added);
        MetricsSink.putExtra("control.scale", scale);
        return first.scaledControl(scale);
    }

    private static double median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    /** One unmeasured (calibration) run of the workload under {@code ops}, which must complete. */
    private static RunResult run(TreatmentOps ops, SchedConfig cfg, Function<TreatmentOps, Workload> workload) {
        RunResult r = Sched.run(workload.apply(ops), cfg);
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException("calibration run did not complete: " + r);
        }
        return r;
    }

    /** M CPU time (ns) of one calibration run; cpu_control cannot be matched without it. */
    private static long cpuOf(TreatmentOps ops, SchedConfig cfg, Function<TreatmentOps, Workload> workload) {
        long cpu = run(ops, cfg, workload).metrics.mCpuNanos;
        if (cpu < 0) {
            throw new IllegalStateException("cpu_control needs thread CPU time (ThreadMXBean), which this JVM "
                    + "does not provide");
        }
        return cpu;
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
