package dev.gmpdefer.model.metrics;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of a whole run: every P's {@link PMetrics} merged. The scheduling latency is what Go
 * publishes as runtime/metrics {@code /sched/latencies:seconds} (recorded in proc.go: casgstatus via
 * {@code g.runnableTime}, metrics.go: schedLatencies); the other counters have no Go counterpart.
 */
public final class RunMetrics extends SchedCounters {

    /** Merges the given per-P metrics. */
    public static RunMetrics merge(Iterable<PMetrics> ps) {
        RunMetrics r = new RunMetrics();
        for (PMetrics m : ps) {
            r.addAll(m);
        }
        return r;
    }

    /** Adds another run's metrics into this one (for aggregating several runs of one iteration). */
    public void add(RunMetrics m) {
        addAll(m);
    }

    /** Sets this run's decomposition of its waits by cause. */
    public void setWaitCauses(WaitCauses w) {
        System.arraycopy(w.allNs, 0, waitCauseNs, 0, waitCauseNs.length);
        System.arraycopy(w.tailNs, 0, waitTailCauseNs, 0, waitTailCauseNs.length);
        waitsDecomposed = w.waits;
        tailWaitsDecomposed = w.tailWaits;
    }

    /** Percentile {@code p} (0..100) of {@code h} in microseconds; NaN when empty. */
    public static double us(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }

    /** Max of {@code h} in microseconds; NaN when empty. */
    public static double maxUs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    /** Mean of {@code h} in microseconds; NaN when empty. */
    public static double meanUs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0;
    }

    /**
     * The metrics as named scalars, in a stable order: the names the JMH profiler publishes and the
     * report reads (latencies in µs, counts as counts, shares as fractions).
     */
    public Map<String, Double> toScalars() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("sched.latency.p50", us(schedLatency, 50));
        m.put("sched.latency.p95", us(schedLatency, 95));
        m.put("sched.latency.p99", us(schedLatency, 99));
        m.put("sched.latency.max", maxUs(schedLatency));
        m.put("sched.latency.mean", meanUs(schedLatency));
        m.put("sched.starts", (double) starts());
        m.put("sched.runnext.share", runnextShare());
        m.put("sched.starts.runnext", (double) startsRunnext);
        m.put("sched.starts.ring", (double) startsRing);
        m.put("sched.starts.global.fairness", (double) startsGlobalFairness);
        m.put("sched.starts.global.batch", (double) startsGlobalBatch);
        m.put("sched.starts.steal", (double) startsSteal);
        m.put("steal.latency.p50", us(stealDuration, 50));
        m.put("steal.latency.p99", us(stealDuration, 99));
        m.put("steal.attempts", (double) stealAttempts);
        m.put("steal.successes", (double) stealSuccesses);
        m.put("steal.gs.moved", (double) gsStolen);
        m.put("steal.runnext", (double) runnextSteals);
        m.put("preempt.latency.p50", us(preemptLatency, 50));
        m.put("preempt.latency.p99", us(preemptLatency, 99));
        m.put("preempt.count", (double) preemptions);
        m.put("preempt.async", (double) asyncPreemptions);
        m.put("slice.p50", us(sliceLength, 50));
        m.put("slice.p99", us(sliceLength, 99));
        m.put("workload.latency.p50", us(workloadLatency, 50));
        m.put("workload.latency.p99", us(workloadLatency, 99));
        m.put("workload.latency.max", maxUs(workloadLatency));
        m.put("hypothetical.requeues", (double) hypotheticalRequeues);
        m.put("m.parks", (double) mParks);
        m.put("m.unparks", (double) mUnparks);
        m.put("gc.cycles", (double) gcCycles);
        m.put("gc.stw.us", gcStwNanos / 1e3);
        m.put("gc.stw.max.us", gcStwMaxNanos / 1e3);
        m.put("gc.mark.cpu.ms", (gcMarkWorkerNanos + gcAssistNanos) / 1e6);
        m.put("gc.assist.ms", gcAssistNanos / 1e6);
        m.put("gc.assist.parks", (double) gcAssistParks);
        m.put("gc.assist.global.wakes", (double) gcAssistGlobalWakes);
        m.put("malloc.cpu.ms", mallocNanos / 1e6);
        m.put("gc.wb.cpu.ms", writeBarrierNanos / 1e6);
        m.put("gc.wb.count", (double) writeBarriers);
        m.put("gc.stack.scan.mb", gcStackScanBytes / (double) (1 << 20));
        m.put("heap.live.peak.mb", heapLivePeakBytes / (double) (1 << 20));
        for (WaitCause c : WaitCause.ALL) {
            m.put("wait.cause." + c.id + ".us", waitCauseNs[c.ordinal()] / 1e3);
        }
        for (WaitCause c : WaitCause.ALL) {
            m.put("wait.tail.cause." + c.id + ".us", waitTailCauseNs[c.ordinal()] / 1e3);
        }
        m.put("wait.count", (double) waitsDecomposed);
        m.put("wait.tail.count", (double) tailWaitsDecomposed);
        m.put("m.cpu.ms", mCpuNanos < 0 ? Double.NaN : mCpuNanos / 1e6);
        m.put("g.run.ms", sliceLength.getTotalCount() == 0 ? Double.NaN
                : sliceLength.getMean() * sliceLength.getTotalCount() / 1e6);
        return m;
    }
}
