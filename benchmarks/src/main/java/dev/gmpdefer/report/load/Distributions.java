package dev.gmpdefer.report.load;

import dev.gmpdefer.contract.Parameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency distributions for the report's plots (issue 12, item 5): the model's per-run histograms
 * ({@code <run>/histograms/<Class>.jsonl}, written by SchedMetricsProfiler with {@code hist=DIR}) and real
 * Go's ({@code schedHist} of each realgo run), both as non-empty buckets {@code [upper bound in µs, count]}
 * at 16 buckets per octave, merged over a cell's runs and read as percentiles.
 */
public final class Distributions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Distributions() {
    }

    /** The percentiles a curve is drawn at, as 1/(1-p): from the median (2) to p99.9 (1000), log-spaced. */
    public static final double[] X = xs();

    private static double[] xs() {
        int n = 31;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.pow(10, Math.log10(2) + i * (3 - Math.log10(2)) / (n - 1));
        }
        return x;
    }

    /** JSON {@code [[upper, count], ...]} as an array; empty when absent. */
    static double[][] buckets(JsonNode n) {
        if (n == null || !n.isArray()) {
            return new double[0][];
        }
        double[][] out = new double[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            out[i] = new double[] {n.get(i).path(0).asDouble(), n.get(i).path(1).asDouble()};
        }
        return out;
    }

    /** Sums histograms bucket by bucket (by upper bound), in bound order. */
    public static double[][] merge(List<double[][]> hs) {
        TreeMap<Double, Double> m = new TreeMap<>();
        for (double[][] h : hs) {
            for (double[] b : h) {
                m.merge(b[0], b[1], Double::sum);
            }
        }
        double[][] out = new double[m.size()][];
        int i = 0;
        for (Map.Entry<Double, Double> e : m.entrySet()) {
            out[i++] = new double[] {e.getKey(), e.getValue()};
        }
        return out;
    }

    /** The upper bound of the bucket holding percentile p (0..1) of a merged histogram; NaN when empty. */
    public static double percentile(double[][] h, double p) {
        double total = 0;
        for (double[] b : h) {
            total += b[1];
        }
        if (total <= 0) {
            return Double.NaN;
        }
        double target = Math.max(1, Math.ceil(p * total));
        double cum = 0;
        for (double[] b : h) {
            cum += b[1];
            if (cum >= target) {
                return b[0];
            }
        }
        return h[h.length - 1][0];
    }

    /** The curve of a merged histogram at {@link #X}: percentiles in µs. */
    public static double[] curve(double[][] h) {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            y[i] = percentile(h, 1 - 1 / X[i]);
        }
        return y;
    }

    /**
     * The model's histograms of one cell: every line of {@code <run>/histograms/<Class>.jsonl} whose
     * parameters are the entry's , merged; null when none.
     */
    public static double[][] model(ResultStore store, JmhEntry e) throws IOException {
        List<double[][]> runs = modelByRun(store, e);
        return runs.isEmpty() ? null : merge(runs);
    }

    /** Whether a histogram line's parameters are the entry's, GOGC read as {@link Parameter#gogcOf} on both. */
    private static boolean matches(JsonNode params, JmhEntry e) {
        Map<String, String> line = new TreeMap<>();
        params.fields().forEachRemaining(f -> line.put(f.getKey(), f.getValue().asText()));
        Map<String, String> mine = new TreeMap<>(e.params());
        for (Map<String, String> m : List.of(line, mine)) {
            m.put(Parameter.GOGC.id, Parameter.gogcOf(m.get(Parameter.GOGC.id)));
        }
        return line.equals(mine);
    }

    /** Real Go's histograms of one cell, merged; null when its runs carry none. */
    public static double[][] go(RealGo g, String workload, int procs, String treatment) {
        if (g == null) {
            return null;
        }
        List<double[][]> hs = new ArrayList<>();
        for (RealGo.Run r : g.of(workload, procs, treatment)) {
            if (r.schedHist() != null && r.schedHist().length > 0) {
                hs.add(r.schedHist());
            }
        }
        return hs.isEmpty() ? null : merge(hs);
    }

    /**
     * The fast-start share (issue 22, item 2): the share of a cell's starts at or below {@link #FAST_START_US}.
     * StealLatency's starts have two peaks, runnext hand-offs at 0.3-2 µs and steals and later starts at 7-20 µs
     * (both in Go's runtime histogram and the model's; the distribution plots show them), so its median sits in
     * the gap and jumps between the peaks from run to run; the share of the fast peak is the figure that does
     * not. The bound lies in the empty gap between them: any bound in it gives the same share.
     */
    public static final String FAST_SHARE = "sched.fast.share";
    /** The bound between StealLatency's two peaks, µs. */
    public static final double FAST_START_US = 4.0;

    /** The share of a histogram's samples in buckets whose upper bound is at most {@code us}; NaN when empty. */
    public static double shareAtOrBelow(double[][] h, double us) {
        double total = 0;
        double below = 0;
        for (double[] b : h == null ? new double[0][] : h) {
            total += b[1];
            if (b[0] <= us) {
                below += b[1];
            }
        }
        return total > 0 ? below / total : Double.NaN;
    }

    /**
     * The model's histograms of one cell by run: each fork's measured iterations merged (a run is a fork, as
     * in the JMH statistics), in the order the file lists the forks; empty when none.
     */
    public static List<double[][]> modelByRun(ResultStore store, JmhEntry e) throws IOException {
        Path dir = e == null ? null : store.folder(e.run().name());
        Path f = dir == null ? null : dir.resolve("histograms").resolve(e.benchClass() + ".jsonl");
        if (f == null || !Files.isRegularFile(f)) {
            return List.of();
        }
        Map<String, List<double[][]>> byFork = new java.util.LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                if (matches(n.path("params"), e)) {
                    byFork.computeIfAbsent(n.path("fork").asText(), k -> new ArrayList<>()).add(buckets(n.path("buckets")));
                }
            }
        }
        List<double[][]> out = new ArrayList<>();
        byFork.values().forEach(hs -> out.add(merge(hs)));
        return out;
    }
}
