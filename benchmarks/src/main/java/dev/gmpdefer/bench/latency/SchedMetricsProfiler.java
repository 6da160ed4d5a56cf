package dev.gmpdefer.bench.latency;

import dev.gmpdefer.contract.Metrics;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Publishes the scheduler metrics of each iteration (latency percentiles, runnext share, steals,
 * preemptions, slices) and the JVM's GC count and time as JMH secondary results, so that
 * {@code -rf json} files carry everything the report needs. Added automatically by
 * {@code java -jar benchmarks.jar} (see {@code dev.gmpdefer.bench.Main}); by hand:
 * {@code -prof dev.gmpdefer.bench.latency.SchedMetricsProfiler}.
 *
 * <p>Units: latencies in µs ("us"), counts per iteration, shares as fractions. Each figure is per
 * iteration; JMH averages iterations and forks and gives the error.
 *
 * <p>Option {@code hist=DIR} ({@code -prof dev.gmpdefer.bench.latency.SchedMetricsProfiler:hist=DIR}, as
 * scripts/run.sh passes it): each measured iteration's scheduling-latency histogram is also appended to
 * {@code DIR/<BenchClass>.jsonl} ({@link HistogramExport}), for the report's distribution plots.
 */
public final class SchedMetricsProfiler implements InternalProfiler {
    private final java.nio.file.Path histDir;
    private int measured;
    private long gcCount0;
    private long gcTime0;

    /** Without options: scalars only. */
    public SchedMetricsProfiler() {
        this.histDir = null;
    }

    /**
     * With JMH's option string: {@code hist=DIR} exports the histograms; anything else is refused with one
     * line (JMH prints it and stops before running).
     */
    public SchedMetricsProfiler(String initLine) {
        String s = initLine == null ? "" : initLine.trim();
        if (s.isEmpty()) {
            this.histDir = null;
        } else if (s.startsWith("hist=") && s.length() > 5) {
            this.histDir = java.nio.file.Path.of(s.substring(5));
        } else {
            throw new IllegalArgumentException("SchedMetricsProfiler: unknown option '" + s
                    + "'; the only option is hist=DIR (write each run's latency histogram to DIR/<Class>.jsonl)");
        }
    }

    @Override
    public String getDescription() {
        return "gmpdefer scheduler metrics (latency percentiles, runnext share, steals, preemptions) + JVM GC";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        MetricsSink.reset();
        gcCount0 = JvmGc.count();
        gcTime0 = JvmGc.millis();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        org.HdrHistogram.Histogram hist = histDir == null ? null : MetricsSink.schedLatencyCopy();
        Map<String, Double> m = MetricsSink.drain();
        List<Result> out = new ArrayList<>();
        if (m.isEmpty()) {
            return out; // not a scheduler benchmark
        }
        if (hist != null && iterationParams.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT) {
            Map<String, String> params = new java.util.TreeMap<>();
            for (String k : benchmarkParams.getParamsKeys()) {
                params.put(k, benchmarkParams.getParam(k));
            }
            String bench = benchmarkParams.getBenchmark();
            bench = bench.substring(0, bench.lastIndexOf('.'));
            bench = bench.substring(bench.lastIndexOf('.') + 1);
            HistogramExport.append(histDir, bench,
                    HistogramExport.line(bench, params, ProcessHandle.current().pid(), ++measured, hist));
        }
        for (Map.Entry<String, Double> e : m.entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v)) {
                continue; // e.g. no preemption happened: no percentile to report
            }
            out.add(new ScalarResult(e.getKey(), v, unitOf(e.getKey()), AggregationPolicy.AVG));
        }
        // the whole iteration's collections, its setup included (the runs' own: jvm.gc.count, jvm.gc.pause.ms)
        out.add(new ScalarResult("jvm.gc.iteration.count", JvmGc.count() - gcCount0, unitOf("jvm.gc.iteration.count"),
                AggregationPolicy.AVG));
        out.add(new ScalarResult("jvm.gc.iteration.ms", JvmGc.millis() - gcTime0, unitOf("jvm.gc.iteration.ms"),
                AggregationPolicy.AVG));
        return out;
    }

    /** The metric's unit from the measurement contract ({@link Metrics}); throws for an undeclared metric. */
    static String unitOf(String name) {
        return Metrics.unitOf(name);
    }
}
