package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed results/REPORT.md is exactly what the committed JSON gives (it is never edited by hand). */
class CommittedReportTest {

    @Test
    void committedReportIsRegeneratedByteForByte() {
        Path results = Paths.get("..", "results");
        Path report = results.resolve("REPORT.md");
        assumeTrue(Files.exists(report), "no committed results/REPORT.md yet");
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--out", report.toString(), "--check");
        assertEquals(0, r.rc(), r.err() + " Regenerate it with scripts/report.sh and commit it.");
    }

    /**
     * reference.txt lists only folders that supply a figure (issue 22, item 6): each listed folder gives the
     * report a model result, a real-Go document it reads (the primary run, a version column, a paired session,
     * an experiment) or a model experiment; a folder kept for a calibration the code cites says so in a
     * comment on its line.
     */
    @Test
    void theManifestListsOnlyFoldersThatSupplyAFigure() throws java.io.IOException {
        Path results = Paths.get("..", "results");
        assumeTrue(Files.exists(results.resolve(Reference.FILE)), "no committed reference");
        ResultStore s = ResultStore.load(results);
        java.util.Set<String> used = new java.util.TreeSet<>();
        s.entries().forEach(e -> used.add(e.run().name()));
        s.experiment("footprints").runs().forEach(r -> used.add(r.name()));
        java.util.List<RealGo> all = RealGo.loadAll(results);
        if (RealGo.primary(all) != null) {
            used.add(RealGo.primary(all).run.name());
        }
        RealGo.versions(all).forEach(g -> used.add(g.run.name()));
        RealGo.sessions(all).forEach(g -> used.add(g.run.name()));
        RealGo.experiments(all, "footprints").forEach(g -> used.add(g.run.name()));
        for (String line : Files.readAllLines(results.resolve(Reference.FILE))) {
            String name = line.replaceFirst("#.*", "").strip();
            if (name.isEmpty() || line.contains("#")) {
                continue; // a comment, or a folder kept for the calibration its comment names
            }
            org.junit.jupiter.api.Assertions.assertTrue(used.contains(name), Reference.FILE + " lists `" + name
                    + "`, which supplies no figure: take it out of the manifest (git history keeps it)");
        }
    }

    /** The power plan (issue 22, item 2) sizes every workload within its bounds and says where the budget binds. */
    @Test
    void thePowerPlanSizesRunsWithinTheBudget() throws java.io.IOException {
        Path results = Paths.get("..", "results");
        RealGo g = RealGo.primary(RealGo.loadAll(results));
        assumeTrue(g != null, "no committed real-Go run");
        java.util.List<PowerPlan.Row> rows = PowerPlan.of(g);
        org.junit.jupiter.api.Assertions.assertFalse(rows.isEmpty());
        for (PowerPlan.Row r : rows) {
            org.junit.jupiter.api.Assertions.assertTrue(r.planned() >= Stats.MIN_RUNS && r.planned() <= 100, r.tsv());
            assertEquals(r.needed() > r.planned(), r.capped(), "capped exactly when the need exceeds the plan: " + r.tsv());
        }
        String tsv = PowerPlan.tsv(g);
        org.junit.jupiter.api.Assertions.assertTrue(tsv.startsWith("# Runs per cell") && tsv.contains("\nArticleGosched\t"), tsv);
    }
}
