package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Latency distributions: merging buckets, percentiles, and reading a run's exported histograms. */
class DistributionsTest {

    @Test
    void mergeAndPercentiles() {
        double[][] a = {{1, 50}, {2, 40}, {8, 10}};
        double[][] b = {{2, 60}, {16, 40}};
        double[][] m = Distributions.merge(List.of(a, b));
        assertArrayEquals(new double[] {1, 50}, m[0]);
        assertArrayEquals(new double[] {2, 100}, m[1]);
        assertEquals(4, m.length);
        assertEquals(2, Distributions.percentile(m, 0.5), "150 of 200 samples are <= 2");
        assertEquals(16, Distributions.percentile(m, 0.95), "the last 40 are in the 16 us bucket");
        assertEquals(1, Distributions.percentile(m, 0.0), "the first bucket");
        assertTrue(Double.isNaN(Distributions.percentile(new double[0][], 0.5)));
        double[] c = Distributions.curve(m);
        for (int i = 1; i < c.length; i++) {
            assertTrue(c[i] >= c[i - 1], "a percentile curve never falls");
        }
        assertEquals(2.0, Distributions.X[0], 1e-9, "from p50");
        assertEquals(1000.0, Distributions.X[Distributions.X.length - 1], 1e-6, "to p99.9");
    }

    @Test
    void aCellsLinesAreMergedAndOthersLeftOut(@TempDir Path results) throws IOException {
        ObjectNode none = Fixtures.gosched("none", 1.3, 2.1, 10);
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", none);
        Path h = Files.createDirectories(results.resolve("2026-02-01-a/histograms"));
        String params = "\"density\":\"10\",\"procs\":\"4\",\"strategy\":\"GO_COMPILER\"";
        Files.writeString(h.resolve("ArticleGoschedBench.jsonl"),
                "{\"benchmark\":\"ArticleGoschedBench\",\"params\":{" + params + ",\"gogc\":\"off\",\"treatment\":\"none\"},"
                        + "\"buckets\":[[1.0,3],[2.0,1]]}\n"
                        + "{\"benchmark\":\"ArticleGoschedBench\",\"params\":{" + params + ",\"gogc\":\"off\",\"treatment\":\"none\"},"
                        + "\"buckets\":[[2.0,4]]}\n"
                        + "{\"benchmark\":\"ArticleGoschedBench\",\"params\":{" + params + ",\"gogc\":\"off\",\"treatment\":\"defer\"},"
                        + "\"buckets\":[[9.0,4]]}\n"
                        + "{\"benchmark\":\"ArticleGoschedBench\",\"params\":{" + params + ",\"gogc\":\"100\",\"treatment\":\"none\"},"
                        + "\"buckets\":[[7.0,4]]}\n");
        ResultStore store = ResultStore.load(results);
        JmhEntry e = store.of("ArticleGoschedBench").get(0);
        double[][] m = Distributions.model(store, e);
        assertNotNull(m);
        assertArrayEquals(new double[] {1, 3}, m[0], "gogc=off lines match the cell without gogc");
        assertArrayEquals(new double[] {2, 5}, m[1]);
        assertEquals(2, m.length, "other treatments and gogc=100 are other cells");
        Map<String, double[]> curves = Plots.distSeries(store, null, "ArticleGoschedBench");
        assertTrue(curves.containsKey("model none"), curves.keySet().toString());
        assertNull(Distributions.model(store, null));
    }

    /** The loader keeps gogc=off as measured (it used to drop it); the configuration rule reads absent as off. */
    @Test
    void gogcOffIsKeptAsMeasured(@TempDir Path results) throws IOException {
        ObjectNode off = Fixtures.gosched("none", 1.3, 2.1, 10);
        ((ObjectNode) off.get("params")).put("gogc", "off");
        ObjectNode on = Fixtures.gosched("none", 1.5, 2.5, 10);
        ((ObjectNode) on.get("params")).put("gogc", "100");
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", off, on);
        ResultStore store = ResultStore.load(results);
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        assertEquals(2, es.size(), "GC on and GC off are two cells");
        assertTrue(es.stream().anyMatch(e -> "off".equals(e.param("gogc"))), "gogc=off is kept");
        assertEquals("off", Cells.gogc(null), "a result without gogc reads as the GC off");
        java.util.SortedMap<String, String> cfg = new java.util.TreeMap<>(Map.of("procs", "4"));
        assertEquals("off", Cells.find(es, "none", cfg).param("gogc"), "a configuration without gogc is the GC off");
    }

    @Test
    void theFastStartShareIsReadPerRunFromTheForksIterations(@TempDir Path results) throws IOException {
        double[][] twoPeaks = {{0.5, 30}, {1.8, 20}, {9.0, 40}, {18.0, 10}};
        assertEquals(0.5, Distributions.shareAtOrBelow(twoPeaks, Distributions.FAST_START_US), 1e-12);
        assertTrue(Double.isNaN(Distributions.shareAtOrBelow(new double[0][], 4)));
        ObjectNode none = Fixtures.gosched("none", 1.3, 2.1, 10);
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", none);
        Path h = Files.createDirectories(results.resolve("2026-02-01-a/histograms"));
        String line = "{\"benchmark\":\"ArticleGoschedBench\",\"params\":{\"density\":\"10\",\"procs\":\"4\","
                + "\"strategy\":\"GO_COMPILER\",\"treatment\":\"none\"},\"fork\":\"%s\",\"buckets\":%s}\n";
        Files.writeString(h.resolve("ArticleGoschedBench.jsonl"), String.format(line, "1", "[[1.0,3],[9.0,1]]")
                + String.format(line, "1", "[[1.0,1],[9.0,3]]") + String.format(line, "2", "[[1.0,1],[9.0,9]]"));
        ResultStore store = ResultStore.load(List.of(results.resolve("2026-02-01-a")));
        List<double[][]> runs = Distributions.modelByRun(store, store.entries().get(0));
        assertEquals(2, runs.size(), "one run per fork, its iterations merged");
        assertEquals(0.5, Distributions.shareAtOrBelow(runs.get(0), 4), 1e-12);
        assertEquals(0.1, Distributions.shareAtOrBelow(runs.get(1), 4), 1e-12);
    }
}
