package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Test helpers: the committed fixtures and small JMH JSON files written on the fly. */
final class Fixtures {
    private Fixtures() {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** A results folder under src/test/resources/report-fixtures. */
    static Path fixture(String name) {
        try {
            return Paths.get(Fixtures.class.getResource("/report-fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renders the Markdown for a results folder. */
    static String render(Path results) throws IOException {
        return ReportMain.render(ResultStore.load(results), "plots");
    }

    /** The result of running ReportMain with arguments. */
    record Run(int rc, String out, String err) {
    }

    static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ReportMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A JMH result object. */
    static ObjectNode entry(String benchmark, Map<String, String> params, double score, double error, String unit) {
        ObjectNode e = JSON.createObjectNode();
        e.put("benchmark", benchmark);
        e.put("mode", "avgt");
        e.put("jdkVersion", "17.0.15");
        e.put("vmName", "OpenJDK 64-Bit Server VM");
        ObjectNode p = e.putObject("params");
        params.forEach(p::put);
        ObjectNode pm = e.putObject("primaryMetric");
        pm.put("score", score);
        pm.put("scoreError", error);
        pm.put("scoreUnit", unit);
        e.putObject("secondaryMetrics");
        if (benchmark.contains(".latency.")) {
            // a latency run made with the fair-comparison code publishes the JVM's collector pauses per run; the
            // reference leaves out latency results without it (ResultStore.withoutPreFair)
            metric(e, "jvm.gc.pause.ms", 0, Double.NaN, "ms");
        }
        return e;
    }

    /** Adds a secondary metric to a result object. */
    static ObjectNode metric(ObjectNode entry, String name, double score, double error, String unit) {
        ObjectNode m = ((ObjectNode) entry.get("secondaryMetrics")).putObject(name);
        m.put("score", score);
        if (Double.isNaN(error)) {
            m.put("scoreError", "NaN");
        } else {
            m.put("scoreError", error);
        }
        m.put("scoreUnit", unit);
        return entry;
    }

    /** An ArticleGoschedBench result with p50/p95 in µs. */
    static ObjectNode gosched(String treatment, double p50, double p95, double err) {
        ObjectNode e = entry("dev.gmpdefer.bench.latency.ArticleGoschedBench.run",
                Map.of("treatment", treatment, "procs", "4", "density", "10", "strategy", "GO_COMPILER"), 100, 1,
                "ms/op");
        metric(e, "sched.latency.p50", p50, err, "us");
        metric(e, "sched.latency.p95", p95, err, "us");
        return e;
    }

    /**
     * An ArticleGoschedBench result with p50/p95 in µs from {@code forks} forks of one iteration each (JMH's
     * rawData), spread deterministically ±2 % around the given medians.
     */
    static ObjectNode gosched(String treatment, double p50, double p95, int forks) {
        ObjectNode e = gosched(treatment, p50, p95, 0.05);
        runs((ObjectNode) e.get("secondaryMetrics").get("sched.latency.p50"), p50, forks);
        runs((ObjectNode) e.get("secondaryMetrics").get("sched.latency.p95"), p95, forks);
        return e;
    }

    /** rawData of {@code forks} forks, one iteration each, around {@code center} (±2 %). */
    static void runs(ObjectNode metric, double center, int forks) {
        ArrayNode raw = metric.putArray("rawData");
        for (int i = 0; i < forks; i++) {
            raw.addArray().add(center * (1 + 0.01 * ((i % 5) - 2)));
        }
    }

    /** Writes a JMH JSON file (an array of the given results) into results/run/file. */
    static Path write(Path results, String run, String file, ObjectNode... entries) throws IOException {
        Path dir = Files.createDirectories(results.resolve(run));
        ArrayNode a = JSON.createArrayNode();
        for (ObjectNode e : entries) {
            a.add(e);
        }
        Path f = dir.resolve(file);
        JSON.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), a);
        return f;
    }

    /** The detail section of one claim. */
    static String claimSection(String md, String id) {
        int start = md.indexOf("### " + id + ": ");
        if (start < 0) {
            throw new AssertionError("no section for " + id);
        }
        int end = md.indexOf("\n### ", start + 1);
        return md.substring(start, end < 0 ? md.length() : end);
    }

    /** The verdict printed in a claim's detail section. */
    static String verdict(String md, String id) {
        String s = claimSection(md, id);
        int v = s.indexOf("- Verdict: **");
        int e = s.indexOf("**", v + 13);
        return s.substring(v + 13, e);
    }
}
