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
public final class PMetrics {
    static final long HIGHEST_NS = 60_000_000_000L;
    static final int DIGITS = 2;

    final boolean enabled;

    /** Runnable -> running, for every G start. */
    public final Histogram schedLatency = newHistogram();
    /** Duration of each successful runqsteal call (including any runnext pause). */
    public final Histogram stealDuration = newHistogram();
    /** Preemption request (sysmon) -> the G yields at a safe point. */
    public final Histogram preemptLatency = newHistogram();
    /** Length of each time slice (from an execute with !inheritTime to the next one or to idling). */
    public final Histogram sliceLength = newHistogram();

    /** A latency the workload defines and records itself (e.g. spawn -> child start). */
    public final Histogram workloadLatency = newHistogram();

    /** G starts by source. */
    public long startsRunnext;
    public long startsRing;
    /** The schedtick % 61 fairness pick from the global queue. */
    public long startsGlobalFairness;
    /** The global batch after the local queue is empty (and the final check before parking). */
    public long startsGlobalBatch;
    public long startsSteal;

    public long stealAttempts;
    public long stealSuccesses;
    public long gsStolen;
    public long runnextSteals;

    public long preemptions;
    public long gosched;
    public long goyield;
    public long gparks;
    public long spawns;
    public long exits;

    /** Requeues through the hypothetical defer path of the article's claim C9 (never in Go). */
    public long hypotheticalRequeues;

    public long mParks;
    public long mUnparks;

    public PMetrics(boolean enabled) {
        this.enabled = enabled;
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NS, DIGITS);
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

    /** Total G starts. */
    public long starts() {
        return startsRunnext + startsRing + startsGlobalFairness + startsGlobalBatch + startsSteal;
    }
}
