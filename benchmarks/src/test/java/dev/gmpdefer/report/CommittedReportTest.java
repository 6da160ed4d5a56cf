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
}
