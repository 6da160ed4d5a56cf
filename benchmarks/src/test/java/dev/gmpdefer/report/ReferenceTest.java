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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report reads only the reference (results/reference.txt); users' runs under results/local/ never change
 * it, and each gets its own comparison report; every skipped input is one console line; --strict fails.
 */
class ReferenceTest {

    private static void manifest(Path results, String... names) throws IOException {
        Files.writeString(results.resolve(Reference.FILE), "# reference\n" + String.join("\n", names) + "\n");
    }

    @Test
    void onlyListedFoldersAreRead(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-01-01-full", "ArticleGoschedBench.json",
                Fixtures.gosched("none", 1.0, 2.0, 0.1), Fixtures.gosched("defer", 1.1, 2.1, 0.1));
        // a later folder that is not in the manifest (an ad-hoc run) would supersede if it were read
        Fixtures.write(results, "2026-02-01-quick", "ArticleGoschedBench.json",
                Fixtures.gosched("none", 900.0, 3000.0, 1.0));
        Fixtures.write(results.resolve(Reference.LOCAL), "2026-03-01-quick", "ArticleGoschedBench.json",
                Fixtures.gosched("none", 700.0, 2000.0, 1));
        manifest(results, "2026-01-01-full");
        ResultStore s = ResultStore.load(results);
        assertEquals(1, s.runs().size());
        assertEquals("2026-01-01-full", s.runs().get(0).name());
        assertEquals(0, s.superseded());
        assertTrue(s.warnings().isEmpty(), "an unlisted folder is not a problem of the reference: " + s.warnings());
        assertEquals(1, s.skipped().size(), s.skipped().toString());
        assertTrue(s.skipped().get(0).contains("2026-02-01-quick"), s.skipped().toString());
    }

    @Test
    void theManifestOrderDecidesWhichRunSupersedes(@TempDir Path results) throws IOException {
        // same day: "b-later" sorts after "a-newer" by name, but the manifest lists a-newer last
        Fixtures.write(results, "2026-01-01-b-later", "ArticleGoschedBench.json", Fixtures.gosched("none", 1, 2, 0.1));
        Fixtures.write(results, "2026-01-01-a-newer", "ArticleGoschedBench.json", Fixtures.gosched("none", 3, 4, 0.1));
        manifest(results, "2026-01-01-b-later", "2026-01-01-a-newer");
        ResultStore s = ResultStore.load(results);
        assertEquals(1, s.superseded());
        assertEquals("2026-01-01-a-newer", s.entries().get(0).run().name());
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode forks(double p50, int forks) {
        com.fasterxml.jackson.databind.node.ObjectNode e = Fixtures.gosched("none", p50, 2 * p50, forks);
        Fixtures.runs((com.fasterxml.jackson.databind.node.ObjectNode) e.get("primaryMetric"), 100, forks);
        return e;
    }

    @Test
    void aResultWithFewerRunsNeverSupersedesABetterOne(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-01-01-five", "ArticleGoschedBench.json", forks(1, 5));
        Fixtures.write(results, "2026-01-02-one", "ArticleGoschedBench.json", forks(3, 1));
        manifest(results, "2026-01-01-five", "2026-01-02-one");
        ResultStore s = ResultStore.load(results);
        assertEquals("2026-01-01-five", s.entries().get(0).run().name(), "the 5-run result stands");
        assertEquals(0, s.superseded());
        assertEquals(1, s.refused().size(), s.refused().toString());
        assertTrue(s.refused().get(0).contains("`2026-01-02-one` (1 run(s) each) did not supersede `2026-01-01-five`'s (5)"),
                s.refused().get(0));
        // as many runs or more supersede as before
        Fixtures.write(results, "2026-01-03-ten", "ArticleGoschedBench.json", forks(2, 10));
        manifest(results, "2026-01-01-five", "2026-01-02-one", "2026-01-03-ten");
        assertEquals("2026-01-03-ten", ResultStore.load(results).entries().get(0).run().name());
        // a user's run laid over the reference supersedes whatever it covers
        ResultStore overlay = ResultStore.load(List.of(results.resolve("2026-01-01-five"), results.resolve("2026-01-02-one")));
        assertEquals("2026-01-02-one", overlay.entries().get(0).run().name());
        assertTrue(overlay.refused().isEmpty());
    }

    @Test
    void latencyResultsFromBeforeTheFairComparisonChecksAreNotPartOfTheReference(@TempDir Path results)
            throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode old = Fixtures.gosched("defer", 5, 6, 0.1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("secondaryMetrics")).remove("jvm.gc.pause.ms");
        Fixtures.write(results, "2026-01-01-old", "ArticleGoschedBench.json", Fixtures.gosched("none", 1, 2, 0.1), old);
        Path user = Fixtures.write(results.resolve(Reference.LOCAL), "2026-01-02-mine", "ArticleGoschedBench.json",
                old).getParent();
        manifest(results, "2026-01-01-old");
        ResultStore s = ResultStore.load(results);
        assertEquals(1, s.entries().size(), "the defer cell without jvm.gc.pause.ms is left out");
        assertEquals("none", s.entries().get(0).param("treatment"));
        assertEquals(1, s.preFair());
        assertTrue(ReportMain.render(s, "plots").contains("1 latency result(s) of the listed folders were left out"));
        // a user's own run keeps what it measured
        assertEquals(1, ResultStore.load(java.util.List.of(user)).entries().size());
    }

    @Test
    void withoutAManifestEveryFolderCounts(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-01-01-full", "ArticleGoschedBench.json", Fixtures.gosched("none", 1, 2, 0.1));
        Fixtures.write(results, "2026-02-01-full", "ArticleGoschedBench.json", Fixtures.gosched("none", 3, 4, 0.1));
        assertEquals(2, ResultStore.load(results).runs().size());
    }

    @Test
    void aListedFolderThatIsMissingIsAWarningInTheReport(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-01-01-full", "ArticleGoschedBench.json", Fixtures.gosched("none", 1, 2, 0.1));
        manifest(results, "2026-01-01-full", "2026-01-02-gone");
        ResultStore s = ResultStore.load(results);
        assertEquals(1, s.warnings().size());
        assertTrue(Fixtures.render(results).contains("2026-01-02-gone"));
    }

    @Test
    void skippedInputsArePrintedOneLineEachAndStrictFails(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-01-01-full", "ArticleGoschedBench.json", Fixtures.gosched("none", 1, 2, 0.1));
        Files.writeString(Fixtures.write(results, "2026-01-01-full", "Broken.json"), "[{\"benchmark\": ");
        Fixtures.write(results, "2026-02-01-adhoc", "ArticleGoschedBench.json", Fixtures.gosched("none", 5, 6, 1));
        manifest(results, "2026-01-01-full");
        Path out = results.resolve("REPORT.md");
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--out", out.toString(), "--no-plots");
        assertEquals(0, r.rc(), r.err());
        long lines = r.err().lines().filter(l -> l.startsWith("ReportMain: skipped: ")).count();
        assertEquals(2, lines, r.err());
        assertTrue(r.err().contains("Broken.json") && r.err().contains("2026-02-01-adhoc"), r.err());
        r = Fixtures.main("--results", results.toString(), "--out", out.toString(), "--no-plots", "--strict");
        assertEquals(4, r.rc(), r.err());
        r = Fixtures.main("--results", results.toString(), "--out", out.toString(), "--check", "--strict");
        assertEquals(4, r.rc(), r.err());
    }

    @Test
    void aUsersRunGetsItsOwnReportBesideTheReference(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-01-01-full", "ArticleGoschedBench.json",
                Fixtures.gosched("none", 1000.0, 2000.0, 10.0), Fixtures.gosched("defer", 4000.0, 8000.0, 10.0),
                Fixtures.gosched("cpu_control", 3900.0, 7900.0, 10.0));
        manifest(results, "2026-01-01-full");
        Path before = results.resolve("REPORT.md");
        assertEquals(0, Fixtures.main("--results", results.toString(), "--out", before.toString(), "--no-plots")
                .rc());
        String committed = Files.readString(before);
        Path mine = results.resolve(Reference.LOCAL).resolve("2026-03-01-quick");
        Fixtures.write(results.resolve(Reference.LOCAL), "2026-03-01-quick", "ArticleGoschedBench.json",
                Fixtures.gosched("none", 2000.0, 4000.0, 10.0), Fixtures.gosched("defer", 8000.0, 16000.0, 10.0));
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--run", mine.toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains(mine.resolve("REPORT.md").toString()), r.out());
        assertTrue(r.out().contains("conclusions the same"), r.out());
        String md = Files.readString(mine.resolve("REPORT.md"));
        assertTrue(md.contains("## Each figure side by side"), md);
        // this run's none P50 2000 next to the reference's 1000: ratio 2.00x
        assertTrue(md.contains("| ArticleGoschedBench.run | density=10, procs=4, strategy=GO_COMPILER, treatment=none "
                + "| sched.latency.p50 (us) | 2000 ± 10.0 | 1000 ± 10.0 | 2.00x |"), md);
        assertTrue(md.contains("## Conclusions") && md.contains("| C4 |"), md);
        assertTrue(md.contains("its comparisons are indicative only"), "a run without 10 forks per cell says so");
        // the committed report is untouched, and still what the reference gives
        assertEquals(committed, Files.readString(before));
        assertEquals(0, Fixtures.main("--results", results.toString(), "--out", before.toString(), "--check").rc());
    }

    @Test
    void runMustBeAFolder(@TempDir Path results) {
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--run", results.resolve("nope").toString());
        assertEquals(2, r.rc());
        assertFalse(r.err().isBlank());
    }
}
