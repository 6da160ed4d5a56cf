package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.internal.Spin;

/**
 * The clock that times defer calls and the CPU work the control burns in their place, as one seam: in
 * the benchmarks {@link #REAL} ({@code System.nanoTime} and {@link Spin}); in tests a deterministic
 * cost model, so that the calibration's arithmetic (per call vs per defer, register vs run, ns vs spin
 * units, rounding, the in-situ correction) can be checked exactly, without timing assertions. No Go
 * counterpart: it belongs to the experiment, not to the runtime.
 */
public interface CostClock {
    /** Now, in ns (monotonic). */
    long nanoTime();

    /** Burns {@code units} units of CPU work. */
    void burn(long seed, int units);

    /** What one unit of {@link #burn} costs, in ns, as measured (cached after the first call). */
    double nanosPerUnit();

    /** Measures the cost of a unit again, now, and returns it. */
    double recalibrate();

    /** The machine's clock and {@link Spin}. */
    CostClock REAL = new CostClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void burn(long seed, int units) {
            Spin.work(seed, units);
        }

        @Override
        public double nanosPerUnit() {
            return Spin.nanosPerUnit();
        }

        @Override
        public double recalibrate() {
            return Spin.recalibrate();
        }

        @Override
        public String toString() {
            return "CostClock.REAL";
        }
    };
}
