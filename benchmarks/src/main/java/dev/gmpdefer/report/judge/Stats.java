package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Comparisons as benchstat makes them (golang/perf): each compared cell is a sample of independent runs
 * (JMH iterations of every fork, or realgo runs); a cell is summarised by its median with a 95 %
 * confidence interval; two cells by the ratio of their medians with a bootstrap 95 % interval and a
 * Mann-Whitney U p-value (commons-math3), corrected with Holm's method across the comparisons of one
 * claim. A verdict needs the interval, never the point estimate: an effect when the ratio's interval lies
 * beyond the equivalence margin, no effect only when it lies inside it, inconclusive otherwise, with the
 * runs a decision would need. Deterministic: the bootstrap's random numbers come from a fixed seed.
 *
 * <p>Issue 12's first item: this is the arithmetic; wiring it into the verdicts is the rest of that issue.
 */
public final class Stats {
    /** Bootstrap resamples for a 95 % interval. */
    static final int RESAMPLES = 10_000;
    /** The seed of every bootstrap, so that a report is reproducible. */
    static final long SEED = 0x9E3779B97F4A7C15L;
    /** The fewest runs per cell a comparison accepts (issue 12: at least 10). */
    public static final int MIN_RUNS = 10;

    private Stats() {
    }

    /** A cell: its median, the 95 % interval of the median, and the number of runs. */
    public record Summary(double median, double lo, double hi, int n) {
    }

    /** Two cells: median(a) / median(b), its 95 % interval, the two-sided Mann-Whitney p-value, the runs. */
    public record Ratio(double ratio, double lo, double hi, double p, int na, int nb) {
    }

    /** What a comparison decides, given the equivalence margin. */
    public enum Outcome { EFFECT_UP, EFFECT_DOWN, NO_EFFECT, INCONCLUSIVE, TOO_FEW_RUNS }

    /**
     * The decision: the outcome, the margin it used (a ratio within [1/(1+margin), 1+margin] is "no
     * effect"), and for an inconclusive one an estimate of the runs per cell that would decide it
     * (the interval's half-width shrinks as 1/sqrt(n); -1 when the estimate sits on the margin).
     */
    public record Verdict(Outcome outcome, double margin, int runsNeeded) {
    }

    public static double median(double[] x) {
        return Metric.median(x);
    }

    /** The median of {@code x} with a bootstrap 95 % percentile interval. */
    public static Summary summary(double[] x) {
        double m = median(x);
        if (x.length < 2) {
            return new Summary(m, Double.NaN, Double.NaN, x.length);
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] boot = new double[RESAMPLES];
        double[] s = new double[x.length];
        for (int r = 0; r < RESAMPLES; r++) {
            resample(x, s, rnd);
            boot[r] = median(s);
        }
        Arrays.sort(boot);
        return new Summary(m, boot[(int) (0.025 * RESAMPLES)], boot[(int) (0.975 * RESAMPLES) - 1], x.length);
    }

    /** median(a) / median(b) with a bootstrap 95 % percentile interval (both cells resampled) and the U-test p. */
    public static Ratio ratio(double[] a, double[] b) {
        double r = median(a) / median(b);
        double p = a.length > 0 && b.length > 0 ? new MannWhitneyUTest().mannWhitneyUTest(a, b) : Double.NaN;
        if (a.length < 2 || b.length < 2) {
            return new Ratio(r, Double.NaN, Double.NaN, p, a.length, b.length);
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] boot = new double[RESAMPLES];
        double[] sa = new double[a.length];
        double[] sb = new double[b.length];
        for (int k = 0; k < RESAMPLES; k++) {
            resample(a, sa, rnd);
            resample(b, sb, rnd);
            boot[k] = median(sa) / median(sb);
        }
        Arrays.sort(boot);
        return new Ratio(r, boot[(int) (0.025 * RESAMPLES)], boot[(int) (0.975 * RESAMPLES) - 1], p, a.length, b.length);
    }

    private static void resample(double[] x, double[] into, SplittableRandom rnd) {
        for (int i = 0; i < into.length; i++) {
            into[i] = x[rnd.nextInt(x.length)];
        }
    }

    /**
     * Holm's step-down correction: the i-th smallest of m p-values is multiplied by (m - i), made monotone
     * and capped at 1. Returns the adjusted p-values in the input's order.
     */
    public static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(p[i], p[j]));
        double[] adj = new double[m];
        double running = 0;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            running = Math.max(running, Math.min(1.0, (m - k) * p[i]));
            adj[i] = running;
        }
        return adj;
    }

    /**
     * The verdict rule, stated before any number: with {@code margin} (e.g. 0.10), an effect when the
     * ratio's interval lies entirely above 1 + margin (or below 1 / (1 + margin)); no effect only when it
     * lies entirely inside [1 / (1 + margin), 1 + margin]; otherwise inconclusive. Fewer than
     * {@value #MIN_RUNS} runs in either cell decide nothing.
     */
    public static Verdict judge(Ratio r, double margin) {
        if (r.na() < MIN_RUNS || r.nb() < MIN_RUNS || Double.isNaN(r.lo())) {
            return new Verdict(Outcome.TOO_FEW_RUNS, margin, MIN_RUNS);
        }
        double up = 1 + margin;
        double down = 1 / up;
        if (r.lo() > up) {
            return new Verdict(Outcome.EFFECT_UP, margin, 0);
        }
        if (r.hi() < down) {
            return new Verdict(Outcome.EFFECT_DOWN, margin, 0);
        }
        if (r.lo() >= down && r.hi() <= up) {
            return new Verdict(Outcome.NO_EFFECT, margin, 0);
        }
        // The half-width that would decide: the distance from the estimate to the nearest band edge it
        // must clear (outside the band: that edge; inside: the nearer edge).
        double half = (r.hi() - r.lo()) / 2;
        double est = r.ratio();
        double room = est > up ? est - up : est < down ? down - est : Math.min(est - down, up - est);
        if (!(room > 0)) {
            return new Verdict(Outcome.INCONCLUSIVE, margin, -1);
        }
        int n = Math.min(r.na(), r.nb());
        double need = n * (half / room) * (half / room);
        return new Verdict(Outcome.INCONCLUSIVE, margin, (int) Math.min(1_000_000, Math.ceil(need)));
    }
}
