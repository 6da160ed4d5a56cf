package dev.gmpdefer.model.internal;

/**
 * Calibrated CPU work that the JIT cannot remove: one unit is a fixed chain of dependent xorshift
 * steps whose result is folded into a field that escapes. Used for "N units of CPU work" in G bodies
 * and for the CPU-matched controls. No Go counterpart: it stands in for user code's CPU work (the
 * article's programs spin nothing; realgo/main.go has the same xorshift loop for its Go control).
 */
public final class Spin {
    /** xorshift steps per unit. */
    public static final int STEPS_PER_UNIT = 4;

    /** Escapes the result so the work cannot be eliminated. Racy by design; never read for meaning. */
    public static long sink;

    private static volatile double nanosPerUnit = Double.NaN;

    private Spin() {
    }

    /** Burns {@code units} units of CPU; returns a value that depends on every step. */
    public static long work(long seed, int units) {
        long x = seed | 1;
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < STEPS_PER_UNIT; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        }
        sink += x;
        return x;
    }

    /**
     * Measured cost of one unit in ns on this machine and JVM (the median of several timed batches
     * after a warm-up); cached after the first call.
     */
    public static double nanosPerUnit() {
        double v = nanosPerUnit;
        if (Double.isNaN(v)) {
            v = calibrate();
            nanosPerUnit = v;
        }
        return v;
    }

    /**
     * Measures the cost of a unit again (the JIT may have compiled {@link #work} differently since, or
     * the first measurement may have run on a busy machine) and returns it.
     */
    public static double recalibrate() {
        synchronized (Spin.class) {
            nanosPerUnit = Double.NaN;
            double v = calibrate();
            nanosPerUnit = v;
            return v;
        }
    }

    /**
     * Adds {@code units} (fractional) to slot {@code i} of {@code carry} and returns the whole units to burn
     * now, leaving the fraction in the slot for the next call: a rate below one unit per call still burns
     * its rate over a run. The caller owns the slot (one writer).
     */
    public static int carryUnits(double[] carry, int i, double units) {
        double u = carry[i] + units;
        int whole = (int) u;
        carry[i] = u - whole;
        return whole;
    }

    /** Units of work that take about {@code nanos} ns (at least 1 when nanos > 0). */
    public static int unitsFor(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(nanos / nanosPerUnit())));
    }

    private static synchronized double calibrate() {
        if (!Double.isNaN(nanosPerUnit)) {
            return nanosPerUnit;
        }
        int units = 20_000;
        for (int i = 0; i < 200; i++) {
            work(i, units); // warm-up, lets the JIT compile work()
        }
        double[] samples = new double[15];
        for (int s = 0; s < samples.length; s++) {
            long t0 = System.nanoTime();
            work(s, units);
            samples[s] = (System.nanoTime() - t0) / (double) units;
        }
        java.util.Arrays.sort(samples);
        return Math.max(0.05, samples[samples.length / 2]);
    }
}
