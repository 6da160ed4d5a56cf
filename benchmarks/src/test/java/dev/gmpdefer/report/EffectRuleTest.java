package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One effect rule (issue 21): README's summary, the agreement table, the real-Go section and the claims give
 * the same decision for the same cell, the CPU match included, for real Go as for the model.
 */
class EffectRuleTest {

    /** realgo runs of ArticleGosched at GOMAXPROCS=4: 10 per treatment, P95 and CPU per run as given. */
    private static void realGo(Path results, double deferP95, double controlP95, double deferCpu, double controlCpu)
            throws IOException {
        Path d = Files.createDirectories(results.resolve("2026-03-02-realgo"));
        List<String> runs = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            double jitter = 1 + 0.01 * ((k % 5) - 2);
            runs.add(run("none", 100 * jitter, 500));
            runs.add(run("defer", deferP95 * jitter, deferCpu * jitter));
            runs.add(run("cpu_control", controlP95 * jitter, controlCpu * jitter));
        }
        String doc = "{\"schema\":2,\"goVersion\":\"go1.26.8\",\"numCPU\":2,\"runsPerCell\":10,\"gcTrace\":true,"
                + "\"histogram\":{\"name\":\"/sched/latencies:seconds\",\"sampling\":\"one in 8\","
                + "\"bucketRelWidth\":0.0625},\"workloads\":[{\"workload\":\"ArticleGosched\",\"bench\":"
                + "\"ArticleGoschedBench\",\"procs\":[4],\"params\":{\"goroutines\":10000,\"loops\":100,"
                + "\"density\":10},\"records\":\"heap\",\"own\":\"Gosched -> return\"}],"
                + "\"runs\":[" + String.join(",", runs) + "],\"costs\":[],\"profiles\":[]}";
        Files.writeString(d.resolve(RealGo.FILE), doc, StandardCharsets.UTF_8);
        Files.writeString(d.resolve("env.json"), "{\"schema\":1,\"mode\":\"realgo\",\"date\":\"2026-03-02T00:00:00Z\","
                + "\"git\":{\"commit\":\"abc\",\"dirty\":false},\"machine\":{\"nproc\":2,\"cpuModel\":\"Fixture CPU\"}}",
                StandardCharsets.UTF_8);
    }

    private static String run(String treatment, double p95, double cpu) {
        return String.format(Locale.ROOT, "{\"workload\":\"ArticleGosched\",\"treatment\":\"%s\",\"procs\":4,"
                + "\"params\":{\"density\":10},\"run\":0,\"wallMs\":100,\"cpuMs\":%s,\"gcCycles\":0,\"gcCpuMs\":0,"
                + "\"stwUs\":0,\"heapLivePeakMb\":12,\"p50Us\":%s,\"p95Us\":%s,\"p99Us\":%s,\"maxUs\":%s,"
                + "\"meanUs\":%s,\"samples\":100,\"own\":{\"p50Us\":%s,\"p95Us\":%s,\"p99Us\":%s,\"maxUs\":%s,"
                + "\"meanUs\":%s,\"samples\":1000}}", treatment, cpu, p95 / 2, p95, 2 * p95, 3 * p95, p95 / 2, p95 / 2,
                p95, 2 * p95, 3 * p95, p95 / 2);
    }

    /** A model cell of 10 forks: P95 and M CPU per run as given. */
    private static ObjectNode model(String treatment, double p95, double cpu) {
        ObjectNode e = Fixtures.entry("dev.gmpdefer.bench.latency.ArticleGoschedBench.run", Map.of("treatment", treatment,
                "procs", "4", "density", "10", "gogc", "100", "goroutines", "10000", "strategy", "GO_COMPILER"),
                100, 1, "ms/op");
        Fixtures.metric(e, "sched.latency.p50", p95 / 2, 1, "us");
        Fixtures.metric(e, "sched.latency.p95", p95, 1, "us");
        Fixtures.metric(e, "m.cpu.ms", cpu, 1, "ms");
        Fixtures.runs((ObjectNode) e.get("secondaryMetrics").get("sched.latency.p50"), p95 / 2, 10);
        Fixtures.runs((ObjectNode) e.get("secondaryMetrics").get("sched.latency.p95"), p95, 10);
        Fixtures.runs((ObjectNode) e.get("secondaryMetrics").get("m.cpu.ms"), cpu, 10);
        return e;
    }

    /** The model's cells: defer's P95 twice cpu_control's, defer at 2000 ms of CPU per run, the control as given. */
    private static void modelCells(Path results, double controlCpu) throws IOException {
        Fixtures.write(results, "2026-03-01-latency", "ArticleGoschedBench.json", model("none", 100, 1000),
                model("defer", 300, 2000), model("cpu_control", 150, controlCpu));
    }

    /** README's summary, the report, and the lines of each that speak about the P95 cell. */
    private record Views(String readme, String agreement, String realGo, String claim) {
    }

    private static Views views(Path results) throws IOException {
        ResultStore store = ResultStore.load(results);
        List<RealGo> all = RealGo.loadAll(results);
        RealGo g = RealGo.primary(all);
        String readme = new MarkdownReport(store, ClaimBook.load(), "plots", List.of(), g).readme().readmeSummary();
        String md = new MarkdownReport(store, ClaimBook.load(), "plots", List.of(), g, all).render();
        return new Views(line(readme, "| ArticleGosched (4) |"),
                line(md, "| ArticleGosched | 4 / 4 | sched.latency.p95 | defer / cpu_control |"),
                line(md, "- ArticleGosched, GOMAXPROCS=4: defer's P95"),
                line(Fixtures.claimSection(md, "C4"), "- P95 caused by defers (beyond cpu_control): article"));
    }

    private static String line(String text, String start) {
        for (String l : text.split("\n")) {
            if (l.contains(start)) {
                return l;
            }
        }
        throw new AssertionError("no line with '" + start + "' in:\n" + text);
    }

    @Test
    void everyTableReadsAnEffectTheSameWay(@TempDir Path results) throws IOException {
        modelCells(results, 2000);
        realGo(results, 400, 200, 1000, 1000);
        Views v = views(results);
        assertTrue(v.readme().contains("| higher |") && v.readme().contains("(higher) | yes |"), v.readme());
        assertTrue(v.agreement().contains("| up |") && v.agreement().endsWith("| agree |")
                && !v.agreement().contains("| ? |"), v.agreement());
        assertTrue(v.realGo().contains("higher (beyond ±10 %)"), v.realGo());
        assertTrue(v.claim().contains("-> holds [2026-03-02-realgo") && v.claim().contains("Decided by real Go: **holds**"),
                v.claim());
    }

    @Test
    void anUnmatchedRealGoControlDecidesNothingAnywhere(@TempDir Path results) throws IOException {
        modelCells(results, 2000);
        // real Go's control burns twice defer's CPU: its P95 comparison decides nothing
        realGo(results, 400, 200, 1000, 2000);
        Views v = views(results);
        assertTrue(v.readme().contains("| unmatched control: decides nothing |") && v.readme().endsWith("| undecided |"),
                v.readme());
        assertTrue(v.agreement().contains("| unmatched | undecided |"), v.agreement());
        assertTrue(v.realGo().contains("unmatched: the control's CPU did not match"), v.realGo());
        assertTrue(v.claim().contains("Decided by real Go: **undecided**") && v.claim().contains("unmatched: the "
                + "control's CPU per run (2000 ms)"), v.claim());
    }

    @Test
    void anUnmatchedModelControlDecidesNothingAnywhere(@TempDir Path results) throws IOException {
        modelCells(results, 1000);
        realGo(results, 400, 200, 1000, 1000);
        Views v = views(results);
        assertTrue(v.readme().contains("(unmatched control: decides nothing) | undecided |"), v.readme());
        assertTrue(v.agreement().contains("| unmatched |") && v.agreement().endsWith("| undecided |"), v.agreement());
        assertTrue(v.claim().contains("-> undecided [2026-03-01-latency"), v.claim());
    }
}
