package dev.gmpdefer.model.metrics;

import org.HdrHistogram.Histogram;

/**
 * Metrics of one P, written only by the M that owns the P (no sharing, no atomics), merged after a
 * run into a {@link RunMetrics}.
 *
 * <p>Latencies are recorded unsampled in nanoseconds into HdrHistograms (2 significant digits, 1 ns to
 * 60 s), which record without allocating. Go's {@code /sched/latencies:seconds} samples one
 * transition in eight (proc.go: gTrackingPeriod); the model records every one.
 *
 * <p>When disabled (see {@code SchedConfig.recordMetrics}), histograms are not touched; counters are
 * always kept, since tests check conservation with them.
 */
public final class PMetrics extends SchedCounters {
    final boolean enabled;
    /** This P's states and the waits that ended on it, for {@link WaitCauses} (written only when enabled). */
    public final PStateLog log = new PStateLog();

    public PMetrics(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Records into {@code h}, clamping to the trackable range. */
    public void record(Histogram h, long nanos) {
        if (!enabled) {
            return;
        }
        if (nanos < 1) {
            nanos = 1;
        } else if (nanos > HIGHEST_NS) {
            nanos = HIGHEST_NS;
        }
        h.recordValue(nanos);
    }
}
