package dev.gmpdefer.bench.latency;

import dev.gmpdefer.model.metrics.RunMetrics;
import dev.gmpdefer.model.sched.RunResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the scheduler metrics of the runs a benchmark makes during one JMH iteration, for
 * {@link SchedMetricsProfiler} to publish as secondary results. One per forked JVM (static).
 * Benchmark threads add; the profiler drains between iterations (JMH orders the two).
 */
public final class MetricsSink {
    private static RunMetrics acc;
    private static long runs;
    private static long notCompleted;
    private static long gcCount;
    private static long gcMillis;
    private static final Map<String, Double> extras = new LinkedHashMap<>();

    private MetricsSink() {
    }

    /** Adds one run's metrics, without the JVM's collections. Can be called by any benchmark thread. */
    public static synchronized void add(RunResult r) {
        add(r, 0, 0);
    }

    /**
     * Adds one run's metrics and the JVM's collections during it ({@code jvm.gc.count},
     * {@code jvm.gc.pause.ms}, published per run). Can be called by any benchmark thread.
     */
    public static synchronized void add(RunResult r, long jvmGcCount, long jvmGcMillis) {
        gcCount += jvmGcCount;
        gcMillis += jvmGcMillis;
        if (acc == null) {
            acc = new RunMetrics();
        }
        acc.add(r.metrics);
        runs++;
        if (r.outcome != RunResult.Outcome.COMPLETED) {
            notCompleted++;
        }
    }

    /** Publishes a benchmark-level figure (e.g. the calibrated defer CPU cost) with every iteration. */
    public static synchronized void putExtra(String name, double value) {
        extras.put(name, value);
    }

    /** Clears everything recorded so far (before an iteration). */
    static synchronized void reset() {
        acc = null;
        runs = 0;
        notCompleted = 0;
        gcCount = 0;
        gcMillis = 0;
    }

    /** Clears the extras (at the start of a trial). */
    static synchronized void resetExtras() {
        extras.clear();
    }

    /**
     * A copy of the scheduling-latency histogram of the runs since the last reset (what {@link #drain}
     * summarises), or null when the benchmark made no scheduler run. Call it before {@link #drain}.
     */
    static synchronized org.HdrHistogram.Histogram schedLatencyCopy() {
        return acc == null ? null : acc.schedLatency.copy();
    }

    /** The scalars of the runs since the last reset; empty when the benchmark made no scheduler run. */
    static synchronized Map<String, Double> drain() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (acc != null) {
            m.putAll(acc.toScalars());
            // CPU and running time are sums over the runs: publish them per scheduler run
            final long n = runs;
            m.computeIfPresent("m.cpu.ms", (k, v) -> v / n);
            m.computeIfPresent("g.run.ms", (k, v) -> v / n);
            // the wait decomposition (wait.cause.<cause>.us, wait.tail.cause.<cause>.us, the counts) too
            m.replaceAll((k, v) -> k.startsWith("wait.") ? v / n : v);
            m.put("jvm.gc.count", gcCount / (double) n);
            m.put("jvm.gc.pause.ms", gcMillis / (double) n);
            m.put("sched.runs", (double) runs);
            m.put("sched.runs.not.completed", (double) notCompleted);
        }
        if (acc != null || !extras.isEmpty()) {
            m.putAll(extras);
        }
        acc = null;
        runs = 0;
        notCompleted = 0;
        gcCount = 0;
        gcMillis = 0;
        return m;
    }
}
