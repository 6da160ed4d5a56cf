package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.gmpdefer.report.Fixtures.gosched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Go cross-check: realgo.json read, summarised over runs, shown in the report. */
class RealGoTest {

    private static String run(String treatment, int procs, double p50, double cpu) {
        return String.format(java.util.Locale.ROOT, "{\"treatment\":\"%s\",\"procs\":%d,\"wallMs\":100,\"cpuMs\":%s,"
                + "\"p50Us\":%s,\"p95Us\":%s,\"p99Us\":%s,\"meanUs\":%s,\"samples\":1000,\"gcs\":1}", treatment,
                procs, cpu, p50, 2 * p50, 3 * p50, p50);
    }

    static void writeRealGo(Path results, String folder, boolean incomplete) throws IOException {
        Path d = Files.createDirectories(results.resolve(folder));
        String doc = "{\"schema\":1,\"goVersion\":\"go1.19.8\",\"numCPU\":2,\"goroutines\":10000,\"loops\":100,"
                + "\"density\":10,\"runs\":[" + String.join(",", run("none", 4, 400, 900), run("none", 4, 600, 1100),
                run("defer", 4, 800, 1900), run("defer", 4, 1000, 2100), run("cpu_control", 4, 850, 2000),
                run("cpu_control", 4, 950, 2000), run("none", 2, 300, 800)) + "],"
                + "\"costs\":[{\"name\":\"plain call\",\"kind\":\"none\",\"defers\":0,\"nsPerOp\":2,\"nsPerDefer\":0,"
                + "\"bytesPerOp\":0,\"allocsPerOp\":0},{\"name\":\"1 defer\",\"kind\":\"open-coded\",\"defers\":1,"
                + "\"nsPerOp\":3,\"nsPerDefer\":1,\"bytesPerOp\":0,\"allocsPerOp\":0},{\"name\":\"chain of 10000\","
                + "\"kind\":\"heap\",\"defers\":10000,\"nsPerOp\":200002,\"nsPerDefer\":20,\"bytesPerOp\":0,"
                + "\"allocsPerOp\":0}]}";
        Files.writeString(d.resolve(RealGo.FILE), doc, StandardCharsets.UTF_8);
        Files.writeString(d.resolve("env.json"), "{\"schema\":1,\"mode\":\"realgo\",\"date\":\"2026-03-01T00:00:00Z\","
                + "\"git\":{\"commit\":\"abc\",\"dirty\":false},\"machine\":{\"nproc\":2,\"cpuModel\":\"Fixture CPU\"}}",
                StandardCharsets.UTF_8);
        if (incomplete) {
            Files.writeString(d.resolve("INCOMPLETE"), "INCOMPLETE");
        }
    }

    @Test
    void loadsTheLatestCompleteFolderAndSummarisesRuns(@TempDir Path results) throws IOException {
        assertNull(RealGo.load(results), "nothing committed");
        writeRealGo(results, "2026-03-01-realgo", false);
        writeRealGo(results, "2026-03-02-realgo", true);
        RealGo g = RealGo.load(results);
        assertEquals("2026-03-01-realgo", g.run.name(), "the incomplete later folder is skipped");
        assertEquals("go1.19.8", g.goVersion);
        assertEquals(java.util.List.of(2, 4), g.procs(RealGo.ARTICLE), "schema 1 is the article's program");
        assertEquals(4, g.nearestProcs(RealGo.ARTICLE, 4));
        assertEquals("density=10, goroutines=10000, loops=100", g.params(RealGo.ARTICLE));
        Metric p50 = g.stat(RealGo.ARTICLE, 4, "none", RealGo.Run::p50Us, "us");
        assertEquals(500, p50.score(), 1e-9);
        assertEquals(Math.sqrt(2 * 100 * 100), p50.error(), 1e-9, "sample standard deviation");
        assertFalse(g.stat(RealGo.ARTICLE, 2, "none", RealGo.Run::p50Us, "us").hasError(), "one run: no spread");
        assertNull(g.stat("Fanout", 4, "none", RealGo.Run::p50Us, "us"), "not measured");
        assertEquals(1, g.stat(RealGo.ARTICLE, 4, "none", r -> r.gcCycles(), "count").score(), 1e-9, "gcs");
        assertEquals(20, g.cost("chain").nsPerDefer(), 1e-9);
        String e = new RealGoView(g).effect(RealGo.ARTICLE, 4);
        assertTrue(e.contains("undecided (too few runs)"), "two runs per cell decide nothing: " + e);
        assertTrue(e.contains("x1.00"), "CPU matched: " + e);
    }

    @Test
    void theReportShowsTheCrossCheckAndTheJmhStoreIgnoresTheFile(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-03-01-latency", "ArticleGoschedBench.json", gosched("none", 1.3, 2.1, 0.05),
                gosched("defer", 3.2, 4.8, 0.05), gosched("cpu_control", 1.4, 2.2, 0.05));
        writeRealGo(results, "2026-03-01-realgo", false);
        Path out = results.resolve("REPORT.md");
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        String md = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(md.contains("## Real Go runtime"), md);
        assertTrue(md.contains("| 4 | none | 2 | 500 ± 141 |"), md);
        String c3 = Fixtures.claimSection(md, "C3");
        assertTrue(c3.contains("ArticleGosched GOMAXPROCS=4, go1.19.8]") && c3.contains("Decided by real Go"),
                "real Go decides C3 where it measured: " + c3);
        assertTrue(Fixtures.claimSection(md, "C12").contains("real Go 20.0 ns per defer, \"chain"),
                Fixtures.claimSection(md, "C12"));
        assertTrue(Fixtures.claimSection(md, "C17").contains("real Go 1.00 ns per defer, \"1 defer\" (open-coded"),
                Fixtures.claimSection(md, "C17"));
        assertFalse(md.contains("not a readable JMH JSON"), "realgo.json is not read as JMH output");
    }

    private static String run2(String workload, String treatment, int procs, double p95, double cpu, int gcs,
                               double gcCpu, double ownMean) {
        return String.format(java.util.Locale.ROOT, "{\"workload\":\"%s\",\"treatment\":\"%s\",\"procs\":%d,"
                + "\"params\":{\"density\":10},\"run\":0,\"wallMs\":100,\"cpuMs\":%s,\"gcCycles\":%d,\"gcCpuMs\":%s,"
                + "\"stwUs\":50,\"heapLivePeakMb\":12,\"p50Us\":%s,\"p95Us\":%s,\"p99Us\":%s,\"maxUs\":%s,"
                + "\"meanUs\":%s,\"samples\":100,\"own\":{\"p50Us\":1,\"p95Us\":2,\"p99Us\":3,\"maxUs\":40,"
                + "\"meanUs\":%s,\"samples\":1000}}", workload, treatment, procs, cpu, gcs, gcCpu, p95 / 2, p95,
                p95 * 2, p95 * 3, p95 / 2, ownMean);
    }

    /** A schema-2 document: two workloads, all treatments, profiles, the GC calibration. */
    static void writeRealGo2(Path results, String folder) throws IOException {
        Path d = Files.createDirectories(results.resolve(folder));
        java.util.List<String> runs = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
            runs.add(run2("ArticleGosched", "none", 4, 10 + k, 100, 0, 0, 5));
            runs.add(run2("ArticleGosched", "defer", 4, 400 + 20 * k, 1100, 8, 300, 50));
            runs.add(run2("ArticleGosched", "cpu_control", 4, 100 + 10 * k, 1100, 0, 0, 30));
            runs.add(run2("ArticleGosched", "alloc_control", 4, 200, 600, 8, 250, 20));
            runs.add(run2("ArticleGosched", "defer_gcoff", 4, 120 + 10 * k, 800, 0, 0, 25));
            runs.add(run2("ArticleGosched", "defer_primed", 4, 110, 700, 0, 0, 22));
            runs.add(run2("DeferStarvation", "none", 2, 1000, 20, 0, 0, 700 + k));
            runs.add(run2("DeferStarvation", "defer", 2, 1000, 21, 0, 0, 710 + k));
            runs.add(run2("DeferStarvation", "cpu_control", 2, 1000, 21, 0, 0, 705 + k));
        }
        String doc = "{\"schema\":2,\"goVersion\":\"go1.19.8\",\"numCPU\":2,\"runsPerCell\":2,\"gcTrace\":true,"
                + "\"histogram\":{\"name\":\"/sched/latencies:seconds\",\"sampling\":\"one in 8\","
                + "\"bucketRelWidth\":0.0625},\"workloads\":[{\"workload\":\"ArticleGosched\",\"bench\":"
                + "\"ArticleGoschedBench\",\"procs\":[4],\"params\":{\"goroutines\":10000,\"loops\":100,"
                + "\"density\":10},\"records\":\"heap\",\"own\":\"Gosched -> return\"},{\"workload\":"
                + "\"DeferStarvation\",\"bench\":\"DeferStarvationBench\",\"procs\":[2],\"params\":{\"density\":"
                + "10000,\"others\":1000},\"records\":\"heap\",\"own\":\"Gosched -> return\"}],"
                + "\"runs\":[" + String.join(",", runs) + "],"
                + "\"gcCalibration\":{\"source\":\"gctrace cycles 3..40\",\"method\":\"per cycle\",\"cycles\":16,"
                + "\"markCpuMsPerMb\":{\"median\":1.5,\"p25\":1.2,\"p75\":1.8,\"min\":1,\"max\":2,\"n\":16}},"
                + "\"stealPause\":{\"requestedUs\":3,\"medianUs\":96.5,\"p90Us\":105,\"minUs\":51,\"n\":1000},"
                + "\"costs\":[],\"profiles\":[{\"workload\":\"ArticleGosched\",\"treatment\":\"defer\",\"procs\":2,"
                + "\"runs\":1,\"samples\":400,\"pprof\":\"profiles/a-defer.pb.gz\",\"collapsed\":"
                + "\"profiles/a-defer.collapsed\",\"shares\":{\"newdefer\":0.25,\"runqsteal\":0.01,"
                + "\"findRunnable\":0.05}}]}";
        Files.writeString(d.resolve(RealGo.FILE), doc, StandardCharsets.UTF_8);
        Files.createDirectories(d.resolve("profiles"));
        for (String f : java.util.List.of("a-defer.pb.gz", "a-defer.collapsed", "a-defer.html")) {
            Files.writeString(d.resolve("profiles").resolve(f), "x", StandardCharsets.UTF_8);
        }
        Files.writeString(d.resolve("env.json"), "{\"schema\":1,\"mode\":\"realgo\",\"date\":\"2026-03-02T00:00:00Z\","
                + "\"git\":{\"commit\":\"abc\",\"dirty\":false},\"machine\":{\"nproc\":2,\"cpuModel\":\"Fixture CPU\"}}",
                StandardCharsets.UTF_8);
    }

    @Test
    void everyWorkloadStandsBesideTheModelWithTheAttribution(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-03-01-latency", "ArticleGoschedBench.json", gosched("none", 1.3, 2.1, 0.05),
                gosched("defer", 3.2, 4.8, 0.05), gosched("cpu_control", 1.4, 2.2, 0.05));
        writeRealGo2(results, "2026-03-02-realgo");
        Path out = results.resolve("REPORT.md");
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        String md = Files.readString(out, StandardCharsets.UTF_8);
        // the central table and the model's latency rows carry real Go's figures (procs=4)
        assertTrue(md.contains("| real Go none | real Go defer | real Go cpu_control | real Go alloc_control |"), md);
        assertTrue(md.contains("| P95 (us) | 2.1 | 4.8 |"), md);
        assertTrue(md.contains("| 10.5 ± 0.707 | 410 ± 14.1 | 105 ± 7.07 | 200 ± 0 |"), md);
        assertTrue(md.contains("| real Go p50 us | real Go p95 us |"), md);
        // every treatment of each workload, with own timestamps and GC
        assertTrue(md.contains("| 4 | defer_primed | 2 |"), md);
        assertTrue(md.contains("| 2 | defer | 2 | 500 ± 0 | 1000 ± 0 | 2000 ± 0 | 1.00 ± 0 | 2.00 ± 0 | 711 ± 0.707 | "
                + "40.0 ± 0 |"), md);
        // the attribution: ratio to the control, what the GC off removes, the GC's share of the extra CPU
        assertTrue(md.contains("### Where the defer treatment's extra latency comes from (real Go)"), md);
        assertTrue(md.contains("ArticleGosched, GOMAXPROCS=4: defer's P95 against cpu_control's, as the claims, the "
                + "agreement table and README read it (the workload's own timestamps where it has them): 1.00x [1.00, "
                + "1.00] (ratio of run medians, n=2/2), undecided (too few runs). The control burned 1100 ms of CPU per run against defer's 1100 ms (x1.00). "
                + "With the GC off, defer's P95 is 125 us (0.30x of defer's with the GC, 1.19x of the control's). "
                + "Records from a primed central pool instead of mallocgc (both with the GC off): P95 110 vs 125 us."),
                md);
        // the GC's part by difference (defer - defer_gcoff, process CPU), gctrace for the cycles only
        assertTrue(md.contains("Defer adds 1000 ms of CPU per run over none; turning the GC off takes 300 ms of it away "
                + "(defer − defer_gcoff, process CPU): the GC's part is 30.0 %, over 8.00 cycles per run (gctrace)."), md);
        assertTrue(md.contains("| newdefer | 25.0 % |"), md);
        assertTrue(md.contains("| mark CPU ms per MB live (assist + background + idle) | 1.50 | 1.20 | 1.80 |"), md);
        assertTrue(md.contains("on this machine that takes 96.5 µs (median of 1000, p90 105 µs)"), md);
        // the profiles, linked from the flame-graph section
        assertTrue(md.contains("[html](2026-03-02-realgo/profiles/a-defer.html)"), md);
        // real Go decides C14's checks with its 2 runs per cell: too few to decide
        String c14 = Fixtures.claimSection(md, "C14");
        assertTrue(c14.contains("mean runnable delay with 10,000 defers (us): article > 3000; real Go ")
                && c14.contains("(n=2)") && c14.contains("Decided by real Go: **undecided** (too few runs: 2 of 10)"), c14);
    }
}
