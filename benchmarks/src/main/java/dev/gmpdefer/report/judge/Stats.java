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

    /** The effect a design should detect where the budget allows (issue 22): a ratio of 1.25. */
    public static final double TARGET_EFFECT = 1.25;
    /** z for a two-sided 5 % test plus z for 80 % power: 1.960 + 0.842. */
    private static final double Z_ALPHA_POWER = 1.959964 + 0.841621;
    private static final double Z_ALPHA = 1.959964;

    /**
     * The minimum detectable effect of a comparison at its runs (two-sided 5 %, power 80 %), as a ratio:
     * exp((z_alpha + z_power) * SE), with the standard error of log(ratio) read from the bootstrap 95 %
     * interval (its half-width in log space over z_alpha; a normal approximation). NaN without an interval.
     */
    public static double mde(Ratio r) {
        double se = logSe(r);
        return Double.isNaN(se) ? Double.NaN : Math.exp(Z_ALPHA_POWER * se);
    }

    /**
     * Runs per cell that would detect {@code effect} (a ratio above 1) at 5 % two-sided with power 80 %, from
     * the same standard error, which shrinks as 1/sqrt(n); -1 without an interval.
     */
    public static int runsToDetect(Ratio r, double effect) {
        double se = logSe(r);
        if (Double.isNaN(se) || !(effect > 1)) {
            return -1;
        }
        int n = Math.min(r.na(), r.nb());
        double need = n * Math.pow(Z_ALPHA_POWER * se / Math.log(effect), 2);
        return (int) Math.min(1_000_000, Math.ceil(need));
    }

    private static double logSe(Ratio r) {
        if (Double.isNaN(r.lo()) || !(r.lo() > 0) || !(r.hi() > 0)) {
            return Double.NaN;
        }
        return (Math.log(r.hi()) - Math.log(r.lo())) / 2 / Z_ALPHA;
    }

    /** "MDE x1.31 at n=10; ~16 runs per cell detect x1.25": what an undecided comparison could see. */
    public static String power(Ratio r) {
        double m = mde(r);
        if (Double.isNaN(m)) {
            return "";
        }
        return "MDE x" + Fmt.num(m) + " at n=" + Math.min(r.na(), r.nb()) + "; ~" + runsToDetect(r, TARGET_EFFECT)
                + " runs per cell detect x" + Fmt.num(TARGET_EFFECT);
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

    /** A statistic of the arms' pooled medians (the ratio of two arms, the ratio of two ratios). */
    @FunctionalInterface
    public interface OfMedians {
        double of(double[] medians);
    }

    /** median(arm 0) / median(arm 1). */
    public static final OfMedians RATIO = m -> m[0] / m[1];
    /** (median(arm 0) / median(arm 1)) / (median(arm 2) / median(arm 3)): the model's effect over real Go's. */
    public static final OfMedians RATIO_OF_RATIOS = m -> (m[0] / m[1]) / (m[2] / m[3]);

    /**
     * A statistic of paired sessions with a bootstrap 95 % interval (issue 22, item 3). {@code arms[k][s]} are
     * arm k's runs in session s; every arm was measured in every session. Each resample draws the sessions
     * (with replacement, the same sessions for every arm, since the arms were measured side by side in them)
     * when {@code acrossSessions}, else keeps them all (the within-session interval); then, in each drawn
     * session, each arm's runs with replacement; pools each arm's drawn runs over the drawn sessions and
     * applies {@code stat} to the pooled medians. The estimate is {@code stat} of the pooled runs' medians.
     * Returned as a {@link Ratio}: the Mann-Whitney p of arms 0 and 1's pooled runs, and their run counts.
     * Runs of an arm that a session lacks make the result null.
     */
    public static Ratio sessions(double[][][] arms, OfMedians stat, boolean acrossSessions) {
        int k = arms.length;
        int sessions = arms[0].length;
        double[] est = new double[k];
        int[] total = new int[k];
        for (int a = 0; a < k; a++) {
            if (arms[a].length != sessions) {
                return null;
            }
            int n = 0;
            for (double[] runs : arms[a]) {
                if (runs == null || runs.length == 0) {
                    return null;
                }
                n += runs.length;
            }
            total[a] = n;
            est[a] = median(pool(arms[a]));
        }
        double p = new MannWhitneyUTest().mannWhitneyUTest(pool(arms[0]), pool(arms[1]));
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] boot = new double[RESAMPLES];
        int[] drawn = new int[sessions];
        double[] m = new double[k];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int s = 0; s < sessions; s++) {
                drawn[s] = acrossSessions ? rnd.nextInt(sessions) : s;
            }
            for (int a = 0; a < k; a++) {
                int n = 0;
                for (int s : drawn) {
                    n += arms[a][s].length;
                }
                double[] pooled = new double[n];
                int at = 0;
                for (int s : drawn) {
                    double[] x = arms[a][s];
                    for (int i = 0; i < x.length; i++) {
                        pooled[at++] = x[rnd.nextInt(x.length)];
                    }
                }
                m[a] = median(pooled);
            }
            boot[r] = stat.of(m);
        }
        Arrays.sort(boot);
        return new Ratio(stat.of(est), boot[(int) (0.025 * RESAMPLES)], boot[(int) (0.975 * RESAMPLES) - 1], p,
                total[0], total[1]);
    }

    private static double[] pool(double[][] sessions) {
        return Arrays.stream(sessions).flatMapToDouble(Arrays::stream).toArray();
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
