package dev.gmpdefer.report;

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
        assertEquals(java.util.List.of(2, 4), g.procs());
        assertEquals(4, g.nearestProcs(4));
        Metric p50 = g.stat(4, "none", RealGo.Run::p50Us, "us");
        assertEquals(500, p50.score(), 1e-9);
        assertEquals(Math.sqrt(2 * 100 * 100), p50.error(), 1e-9, "sample standard deviation");
        assertFalse(g.stat(2, "none", RealGo.Run::p50Us, "us").hasError(), "one run: no spread");
        assertEquals(20, g.cost("chain").nsPerDefer(), 1e-9);
        String e = g.effect(4);
        assertTrue(e.contains("within the spread"), e);
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
        assertTrue(md.contains("## Real Go runtime (cross-check)"), md);
        assertTrue(md.contains("| 4 | none | 2 | 500 ± 141 |"), md);
        assertTrue(Fixtures.claimSection(md, "C3").contains("Real Go go1.19.8, GOMAXPROCS=4"), "C3 evidence");
        assertTrue(Fixtures.claimSection(md, "C12").contains("20.0 ns per node"), Fixtures.claimSection(md, "C12"));
        assertTrue(Fixtures.claimSection(md, "C17").contains("1 defer (open-coded) 1.00 ns"),
                Fixtures.claimSection(md, "C17"));
        assertFalse(md.contains("not a readable JMH JSON"), "realgo.json is not read as JMH output");
    }
}
