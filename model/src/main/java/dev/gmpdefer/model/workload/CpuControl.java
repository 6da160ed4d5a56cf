package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.RunResult;
import dev.gmpdefer.model.sched.Sched;
import dev.gmpdefer.model.sched.SchedConfig;
import dev.gmpdefer.model.sched.Workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CPU control's calibration, all of it: what the defers cost, measured before the measured runs,
 * and the {@code cpu_control} {@link TreatmentOps} that burns as much. {@link TreatmentOps} only applies
 * the rates it is given; every measurement that sets them is here.
 *
 * <p>Three measurements, in the order a latency benchmark uses them:
 * <ol>
 *   <li>{@link #steady}: {@code density} defers registered and run in a warm loop on the calling thread
 *       (the steady-state cost, published as {@code defer.static.ns});</li>
 *   <li>{@link #inSitu}: one unmeasured run of the workload with real defers, every register and run
 *       call timed where it happens (cold records, empty pools, contention), wall clock;</li>
 *   <li>{@link #matched}: the control matched on whole runs' M CPU time, or, when the defers' extra CPU
 *       is below the run-to-run noise, set to the steady-state cost (see the method).</li>
 * </ol>
 * No Go counterpart: the control is the experiment's (it burns the defers' CPU without defers).
 */
public final class CpuControl {
    private CpuControl() {
    }

    /** Steady-state cost of the real defer operations, per defer registered and per defer run. */
    public record Steady(double nsPerRegister, double nsPerRun) {
        /** Register + run of {@code density} defers, in ns. */
        public double nsPerCall(int density) {
            return density * (nsPerRegister + nsPerRun);
        }

        /** A CPU control that burns these rates (not timed). */
        public TreatmentOps control() {
            return TreatmentOps.cpuControl(nsPerRegister, nsPerRun);
        }
    }

    /**
     * Measures, on the calling thread, what {@code density} defers per call cost in {@code defers}
     * (register, then run, timed separately), after a warm-up that lets the JIT compile the defer paths.
     * Runs for about {@code budgetNanos}, at least one timed call. Zero rates when density is 0.
     */
    public static Steady steady(DeferOps defers, int density, long budgetNanos) {
        return steady(defers, density, budgetNanos, CostClock.REAL);
    }

    static Steady steady(DeferOps defers, int density, long budgetNanos, CostClock clock) {
        if (defers == null) {
            throw new IllegalArgumentException("steady: defer operations are null");
        }
        if (density == 0) {
            return new Steady(0, 0);
        }
        G g = G.detached(0, 1);
        long end = clock.nanoTime() + budgetNanos / 3;
        while (clock.nanoTime() < end) {
            defers.register(g, 0, density);
            drain(defers, g, density);
        }
        long reg = 0;
        long run = 0;
        long calls = 0;
        end = clock.nanoTime() + 2 * budgetNanos / 3;
        do {
            long t0 = clock.nanoTime();
            defers.register(g, 0, density);
            long t1 = clock.nanoTime();
            drain(defers, g, density);
            long t2 = clock.nanoTime();
            reg += t1 - t0;
            run += t2 - t1;
            calls++;
        } while (clock.nanoTime() < end);
        return new Steady(reg / (double) (calls * density), run / (double) (calls * density));
    }

    private static void drain(DeferOps defers, G g, int pending) {
        while (pending > 0) {
            int done = defers.run(g, 0, pending);
            if (done <= 0) {
                throw new IllegalStateException("steady: " + pending + " deferred calls pending but none ran");
            }
            pending -= done;
        }
    }

    /** In-situ cost: wall-clock ns per defer registered and per defer run, and the defers timed. */
    public record InSitu(double nsPerRegister, double nsPerRun, long defers) {
        /** Register + run of {@code density} defers, in ns. */
        public double nsPerCall(int density) {
            return density * (nsPerRegister + nsPerRun);
        }
    }

    /**
     * One unmeasured run of the workload with real defers from {@code defers}, each register and run
     * call timed where it happens ({@link TreatmentOps#measuring}). With more runnable threads than
     * cores the times include an M descheduled inside a call; {@link #matched} corrects for that.
     */
    public static InSitu inSitu(Supplier<DeferOps> defers, int procs, SchedConfig cfg,
                                Function<TreatmentOps, Workload> workload) {
        TreatmentOps meas = TreatmentOps.measuring(defers.get(), procs);
        try {
            completedRun(meas, cfg, workload);
            return new InSitu(zeroIfNaN(meas.measuredNsPerRegister()), zeroIfNaN(meas.measuredNsPerRun()),
                    meas.measuredRegisters());
        } finally {
            meas.close();
        }
    }

    /** Where the control's rate came from. */
    public enum Source {
        /** Whole runs' M CPU: defer minus none, over alternating calibration runs, corrected once by check runs. */
        WHOLE_RUNS,
        /**
         * The steady-state cost measured in the same fork ({@link #steady}): the defers' extra CPU in whole
         * runs was below the run-to-run noise of whole runs' CPU, so it cannot set the rate.
         */
        STEADY_STATE
    }

    /** The least and the most the one correction may scale the first control by; outside, the calibration fails. */
    public static final double MIN_SCALE = 0.5;
    public static final double MAX_SCALE = 2.0;

    /**
     * The CPU control matched on whole runs, and what the matching measured.
     *
     * @param totalNsPerCall extra M CPU per call of {@code density} defers (defer − none, median of the runs)
     * @param noiseNsPerCall the least difference the calibration runs resolve, per call: twice the standard
     *                       error of the difference of the two arms' CPU (the noise test's threshold)
     * @param checkNsPerCall what the first control added per call, before the correction (NaN when not checked)
     * @param scale          the one correction applied to it (1 when not checked)
     * @param source         where the rate came from
     * @param control        the control to measure with
     */
    public record Matched(double totalNsPerCall, double noiseNsPerCall, double checkNsPerCall, double scale,
                          Source source, TreatmentOps control) {
        /** Whether the one correction stayed within [{@value #MIN_SCALE}, {@value #MAX_SCALE}]. */
        public boolean scaleInRange() {
            return scale >= MIN_SCALE && scale <= MAX_SCALE;
        }
    }

    /**
     * The CPU control, matched on whole runs: the in-situ timing includes, on a machine with more
     * runnable threads than cores, time an M spent descheduled inside a call, and it runs on a fresh
     * allocator, while the measured runs reuse the trial's allocator with its pools already filled (in
     * the article's program, 10 million records scattered over the heap instead of freshly allocated
     * ones). What the comparison needs is a control whose runs take the CPU the defer runs take. So:
     * after one run that fills the pools of {@code trial}, the defer operations the measured {@code defer}
     * runs will use (it is not closed here), alternating
     * unmeasured runs of {@code none} and {@code defer} (at least 3 pairs, up to 7 while they last under
     * a second) give the median M CPU time the defers add, per defer.
     *
     * <p>The noise test: when that difference is below twice its standard error, {@code 2 sqrt(s_none^2/n +
     * s_defer^2/n)} from the sample standard deviations of the n runs of each arm (about a two-sided 5 %
     * test; the first suite run used one standard deviation of the {@code none} runs, and in 2 of 60
     * FanoutBench and StealLatencyBench cpu_control forks a difference that passed it was noise: the control's
     * check runs then added nothing and its correction was infinite), it cannot set a rate; the control then burns the
     * steady-state cost {@code steady} measured in this fork, unscaled ({@link Source#STEADY_STATE}).
     * Otherwise ({@link Source#WHOLE_RUNS}) the control burns the difference per defer (split between
     * registration and return in the in-situ ratio); as many check runs of the control give the CPU it
     * really adds, and its burn is scaled once by (defer − none) / (control − none). That scale is
     * reported as it is, never clamped: {@link Matched#scaleInRange()} says whether the control may be
     * used (the caller fails the calibration when not).
     */
    public static Matched matched(InSitu inSitu, Steady steady, int density, DeferOps trial,
                                  SchedConfig cfg, Function<TreatmentOps, Workload> workload) {
        TreatmentOps none = new TreatmentOps(Treatment.NONE, null);
        TreatmentOps real = new TreatmentOps(Treatment.DEFER, trial);
        List<Long> cpuNone = new ArrayList<>();
        List<Long> cpuDefer = new ArrayList<>();
        completedRun(real, cfg, workload); // fills the pools and the Gs' frames, as the measured runs find them
        long wall = 0;
        while (cpuNone.size() < 3 || (cpuNone.size() < 7 && wall < 1_000_000_000L)) {
            long t0 = System.nanoTime();
            cpuNone.add(cpuOf(none, cfg, workload));
            cpuDefer.add(cpuOf(real, cfg, workload));
            wall += System.nanoTime() - t0;
        }
        long n = inSitu.defers();
        double base = median(cpuNone);
        double diff = median(cpuDefer) - base;
        double noise = 2 * Math.sqrt((sd(cpuNone) * sd(cpuNone) + sd(cpuDefer) * sd(cpuDefer)) / cpuNone.size());
        double perCall = n > 0 ? density / (double) n : 0;
        // every fork runs the check runs, whatever the source, so that every treatment's fork runs the
        // same unmeasured sequence (issue 19)
        if (n == 0 || diff < noise) {
            TreatmentOps c = steady.control();
            for (int i = 0; i < cpuNone.size(); i++) {
                cpuOf(c, cfg, workload);
            }
            return new Matched(diff * perCall, noise * perCall, Double.NaN, 1.0, Source.STEADY_STATE, c);
        }
        double extra = diff / n; // ns per defer
        double reg = inSitu.nsPerRegister();
        double run = inSitu.nsPerRun();
        double regShare = reg + run > 0 ? reg / (reg + run) : 0.5;
        TreatmentOps first = TreatmentOps.cpuControl(extra * regShare, extra * (1 - regShare));
        List<Long> cpuFirst = new ArrayList<>();
        for (int i = 0; i < cpuNone.size(); i++) {
            cpuFirst.add(cpuOf(first, cfg, workload));
        }
        double added = (median(cpuFirst) - base) / n;
        double scale = added > 0 ? extra / added : Double.POSITIVE_INFINITY;
        TreatmentOps control = scale >= MIN_SCALE && scale <= MAX_SCALE ? first.scaledControl(scale) : first;
        return new Matched(density * extra, noise * perCall, density * added, scale, Source.WHOLE_RUNS, control);
    }

    /** Sample standard deviation (0 for fewer than 2 values). */
    static double sd(List<Long> v) {
        int n = v.size();
        if (n < 2) {
            return 0;
        }
        double m = 0;
        for (long x : v) {
            m += x;
        }
        m /= n;
        double ss = 0;
        for (long x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (n - 1));
    }

    static double median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    /** One unmeasured (calibration) run of the workload under {@code ops}, which must complete. */
    private static RunResult completedRun(TreatmentOps ops, SchedConfig cfg, Function<TreatmentOps, Workload> workload) {
        RunResult r = Sched.run(workload.apply(ops), cfg);
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException("calibration run did not complete: " + r);
        }
        return r;
    }

    /** M CPU time (ns) of one calibration run; cpu_control cannot be matched without it. */
    private static long cpuOf(TreatmentOps ops, SchedConfig cfg, Function<TreatmentOps, Workload> workload) {
        long cpu = completedRun(ops, cfg, workload).metrics.mCpuNanos;
        if (cpu < 0) {
            throw new IllegalStateException("cpu_control needs thread CPU time (ThreadMXBean), which this JVM "
                    + "does not provide");
        }
        return cpu;
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
