package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.gmpdefer.report.Fixtures.gosched;
import static dev.gmpdefer.report.Fixtures.verdict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report tool on small JMH JSON fixtures. */
class ReportMainTest {

    @Test
    void fixtureVerdicts() throws IOException {
        String md = Fixtures.render(Fixtures.fixture("full"));
        // the fixture's latency cells have 1-2 forks: measured, but too few runs to decide
        assertEquals("inconclusive", verdict(md, "C2"));
        assertTrue(Fixtures.claimSection(md, "C2").contains("too few runs"), Fixtures.claimSection(md, "C2"));
        assertEquals("inconclusive", verdict(md, "C3"));
        assertEquals("inconclusive", verdict(md, "C4"));
        assertEquals("reproduced", verdict(md, "C12"), "7.8 ns/node ± JMH error, linear (POOLED)");
        assertEquals("no committed run yet", verdict(md, "C14"), "DeferStarvationBench is not in the fixture");
        assertEquals("not reproduced", verdict(md, "C13"));
        assertEquals("mechanism absent", verdict(md, "C8"));
        assertEquals("not testable here", verdict(md, "C5"));
        assertEquals("reproduced", verdict(md, "C11"));
        for (int i = 1; i <= 22; i++) {
            assertTrue(md.contains("### C" + i + ": "), "a section for C" + i);
        }
        assertTrue(Fixtures.claimSection(md, "C8").contains("`src/runtime/panic.go`: deferproc"),
                "source-based verdicts cite the Go file and function");
        assertTrue(Fixtures.claimSection(md, "C3").contains("2026-01-02-fixture"), "figures name their run folder");
        assertFalse(md.replace("**no effect** only when", "").matches("(?s).*[^`]no effect[^:].*within the errors.*"),
                "no 'no effect' from overlapping errors");
    }

    @Test
    void centralTableSideBySide() throws IOException {
        String md = Fixtures.render(Fixtures.fixture("full"));
        assertTrue(md.contains("| figure | article, no defer (C3) | article, high density (C4) | model none | model defer"
                + " | model cpu_control | model alloc_control | model article_hypothesis |"), md);
        assertTrue(md.contains("| P50 (us) | 1.3 | 3.2 | 1.50 ± 0.100 | 2.00 ± 0.100 | 1.95 ± 0.100 | 1.60 ± 0.100 "
                + "| 4.00 ± 0.100 |"), "procs=4 row picked, with errors");
        assertTrue(md.contains("| P95 (us) | 2.1 | 4.8 | 2.50 ± 0.200 | 3.00 ± 0.200 | 2.95 ± 0.200 | 2.60 ± 0.200 "
                + "| 6.00 ± 0.200 |"));
        assertTrue(md.indexOf("## Verdict rules") < md.indexOf("## Central table"), "rules before numbers");
        assertTrue(md.contains("2 CPUs, Fixture CPU @ 2.00GHz, 8.0 GiB"), "machine of the run");
        assertTrue(md.contains("0123456789abcdef0123456789abcdef01234567"), "commit of the run");
    }

    @Test
    void deferEffectBeyondCpuControlIsReproduced(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", gosched("none", 1.3, 2.1, 10),
                gosched("defer", 3.2, 4.8, 10), gosched("cpu_control", 1.4, 2.2, 10));
        String md = Fixtures.render(results);
        assertEquals("reproduced", verdict(md, "C4"), Fixtures.claimSection(md, "C4"));
        String c4 = Fixtures.claimSection(md, "C4");
        assertTrue(c4.contains("Mann-Whitney p = ") && c4.contains("Holm-adjusted"), "p-values cited");
        assertTrue(c4.contains("(n=10/10)"), "runs cited");
        assertTrue(c4.contains("Decided by model"), "no real Go run in this folder");
    }

    @Test
    void riseExplainedByCpuTimeIsNotReproduced(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", gosched("none", 1.3, 2.1, 10),
                gosched("defer", 3.2, 4.8, 10), gosched("cpu_control", 3.1, 4.7, 10));
        String md = Fixtures.render(results);
        assertEquals("not reproduced", verdict(md, "C4"));
        assertTrue(Fixtures.claimSection(md, "C4").contains("no effect: the interval lies within ±10"),
                Fixtures.claimSection(md, "C4"));
    }

    @Test
    void tooFewRunsDecideNothing(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", gosched("none", 1.3, 2.1, 3),
                gosched("defer", 3.2, 4.8, 3), gosched("cpu_control", 3.1, 4.7, 3));
        String md = Fixtures.render(results);
        assertEquals("inconclusive", verdict(md, "C4"), "3 runs per cell cannot show no effect");
        assertTrue(Fixtures.claimSection(md, "C4").contains("too few runs: 3 of 10"));
    }

    @Test
    void withoutCpuControlTheRiseIsNotAttributed(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-02-01-a", "ArticleGoschedBench.json", gosched("none", 1.3, 2.1, 10),
                gosched("defer", 3.2, 4.8, 10));
        String md = Fixtures.render(results);
        assertEquals("inconclusive", verdict(md, "C4"), "the rise holds, its cause is not measured");
        assertTrue(Fixtures.claimSection(md, "C4").contains("real Go not measured; model not measured"));
    }

    @Test
    void verdictsCombineByOneRule() {
        assertEquals(Verdict.PENDING, ClaimEvaluator.combine(List.of(Judgement.Outcome.MISSING)));
        assertEquals(Verdict.REPRODUCED, ClaimEvaluator.combine(List.of(Judgement.Outcome.PASS, Judgement.Outcome.PASS)));
        assertEquals(Verdict.NOT_REPRODUCED, ClaimEvaluator.combine(List.of(Judgement.Outcome.PASS, Judgement.Outcome.FAIL,
                Judgement.Outcome.OPEN)));
        assertEquals(Verdict.INCONCLUSIVE, ClaimEvaluator.combine(List.of(Judgement.Outcome.PASS, Judgement.Outcome.OPEN)));
        assertEquals(Verdict.INCONCLUSIVE, ClaimEvaluator.combine(List.of(Judgement.Outcome.PASS,
                Judgement.Outcome.MISSING)));
    }

    @Test
    void missingBenchmarksSaySo() throws IOException {
        String md = Fixtures.render(Fixtures.fixture("partial"));
        assertEquals("no committed run yet", verdict(md, "C2"));
        assertEquals("no committed run yet", verdict(md, "C3"));
        assertEquals("no committed run yet", verdict(md, "C4"));
        assertEquals("reproduced", verdict(md, "C12"), "DeferChainBench (POOLED) is in the partial fixture");
        assertTrue(md.contains("ArticleGoschedBench: no committed run yet."), "central table says so");
        assertTrue(md.contains("latency (issue 4): ArticleGoschedBench, FanoutBench"));
    }

    @Test
    void emptyResultsFolderGivesAReport(@TempDir Path results) throws IOException {
        String md = Fixtures.render(results.resolve("does-not-exist"));
        assertTrue(md.contains("No committed run yet: `results/` holds no run folder"));
        assertEquals("mechanism absent", verdict(md, "C10"), "source verdicts need no run");
    }

    @Test
    void deterministicByteForByte(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a/REPORT.md");
        Path b = tmp.resolve("b/REPORT.md");
        Path full = Fixtures.fixture("full");
        assertEquals(0, Fixtures.main("--results", full.toString(), "--out", a.toString(), "--no-plots").rc());
        assertEquals(0, Fixtures.main("--results", full.toString(), "--out", b.toString(), "--no-plots").rc());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        Fixtures.Run check = Fixtures.main("--results", full.toString(), "--out", a.toString(), "--check");
        assertEquals(0, check.rc(), check.err());
        Files.writeString(a, Files.readString(a) + "edited by hand\n");
        assertEquals(1, Fixtures.main("--results", full.toString(), "--out", a.toString(), "--check").rc());
    }

    @Test
    void latestRunWinsAndIncompleteRunsAreSkipped(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-02-01-old", "ArticleGoschedBench.json", gosched("none", 9.0, 9.5, 0.05));
        Fixtures.write(results, "2026-02-02-new", "ArticleGoschedBench.json", gosched("none", 1.4, 2.0, 0.05));
        Fixtures.write(results, "2026-02-03-broken", "ArticleGoschedBench.json", gosched("none", 50, 60, 0.05));
        Files.writeString(results.resolve("2026-02-03-broken/INCOMPLETE"), "INCOMPLETE\n");
        ResultStore store = ResultStore.load(results);
        assertEquals(1, store.superseded());
        assertEquals(2, store.runs().size());
        String md = ReportMain.render(store, "plots");
        assertTrue(Fixtures.claimSection(md, "C3").contains("1.40 ± 0.0500 (JMH score ± error)"), md);
        assertTrue(md.contains("`2026-02-03-broken` is marked INCOMPLETE and was skipped"));
    }

    @Test
    void unreadableJsonIsReportedNotFatal(@TempDir Path results) throws IOException {
        Files.createDirectories(results.resolve("2026-02-01-x"));
        Files.writeString(results.resolve("2026-02-01-x/Bad.json"), "{ not json");
        Fixtures.write(results, "2026-02-01-x", "ArticleGoschedBench.json", gosched("none", 1.4, 2.0, 0.05));
        String md = Fixtures.render(results);
        assertTrue(md.contains("`2026-02-01-x/Bad.json` is not a readable JMH JSON file"));
        assertEquals("inconclusive", verdict(md, "C3"), "a JMH score without its runs decides nothing");
    }

    @Test
    void allocatorTable() {
        Path json = Fixtures.fixture("full").resolve("2026-01-02-fixture/DeferAllocBench.json");
        Fixtures.Run r = Fixtures.main("--allocators", json.toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("OPEN_CODED"), r.out());
        assertTrue(r.out().matches("(?s).*HEAP\\s+defersPerCall=1, layout=48\\s+22\\.0\\s+1\\.10\\s+48\\.0\\s+24\\.44x\\s+50\\.0"
                + "\\s+11\\.36x.*"), r.out());
        assertTrue(r.out().contains("Go 1.14 open-coded 5.6 ns vs 35.4 ns stack record vs 4.4 ns plain call"));
    }

    @Test
    void usageErrors() {
        Fixtures.Run r = Fixtures.main("--bogus");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("unknown argument '--bogus'"));
        assertTrue(r.err().contains("Usage:"));
        assertEquals(2, Fixtures.main("--out").rc());
        Fixtures.Run h = Fixtures.main("--help");
        assertEquals(0, h.rc());
        assertTrue(h.out().startsWith("Usage: java -cp benchmarks/target/benchmarks.jar dev.gmpdefer.report.ReportMain"));
    }

    @Test
    void plotsAreWrittenHeadless(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("REPORT.md");
        Fixtures.Run r = Fixtures.main("--results", Fixtures.fixture("full").toString(), "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        for (String f : new String[] {"ArticleGoschedBench-latency.png", "DeferAllocBench-ns.png",
            "DeferAllocBench-bytes.png"}) {
            Path png = tmp.resolve("plots").resolve(f);
            assertTrue(Files.size(png) > 5_000, f + " has content");
            byte[] head = new byte[4];
            System.arraycopy(Files.readAllBytes(png), 0, head, 0, 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
            assertTrue(Files.readString(out).contains("](plots/" + f + ")"), "linked from the report");
        }
        assertFalse(Files.readString(out).contains("FanoutBench-latency.png"), "no link to a plot without data");
    }
}
