package dev.gmpdefer.report.load;

/**
 * One JMH score: the value, its error (JMH's {@code scoreError}, the half-width of the 99.9 % confidence
 * interval; NaN when JMH could not compute one, e.g. a single iteration), its unit as JMH wrote it, and the
 * independent runs behind it: one value per JMH fork, the median of that fork's measurement iterations
 * ({@code rawData}; for the single-shot latency benchmarks each iteration is one whole scheduler run),
 * and each fork's trend: its first measured iteration over its last (empty with fewer than 2 iterations;
 * issue 19's warm-up check reads it for {@code m.cpu.ms}).
 * {@link Stats} compares those.
 */
public record Metric(double score, double error, String unit, double[] runs, double[] trends) {
    private static final double[] NO_RUNS = new double[0];

    /** A score without its per-iteration values. */
    public Metric(double score, double error, String unit) {
        this(score, error, unit, NO_RUNS, NO_RUNS);
    }

    /** A score with its runs, without their warm-up trends. */
    public Metric(double score, double error, String unit, double[] runs) {
        this(score, error, unit, runs, NO_RUNS);
    }

    /** Whether JMH gave an error for this score. */
    public boolean hasError() {
        return !Double.isNaN(error) && !Double.isInfinite(error);
    }

    /**
     * This score converted to nanoseconds when its unit is a time per operation ("ns/op", "us/op",
     * "ms/op", "s/op", or a bare time unit); NaN for other units.
     */
    public double toNanos() {
        double f = Units.nanosFactor(unit);
        return Double.isNaN(f) ? Double.NaN : score * f;
    }

    /** The error converted like {@link #toNanos()}. */
    public double errorToNanos() {
        double f = Units.nanosFactor(unit);
        return Double.isNaN(f) ? Double.NaN : error * f;
    }

    /** The median of a sample (commons-math3's {@code Median}); NaN when empty. The one median of the report. */
    public static double median(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        return new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(x);
    }
}
