package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C6 from collapsed stacks: shares of the find/steal path, and the verdict they give. */
class FlameSharesTest {

    private static void profile(Path results, String treatment, long inFind, long inSteal, long other) throws Exception {
        Path dir = results.resolve("flamegraphs/ArticleGoschedBench-treatment=" + treatment
                + "/dev.gmpdefer.bench.latency.ArticleGoschedBench.run-SingleShotTime-treatment-" + treatment);
        Files.createDirectories(dir);
        String text = "java/lang/Thread.run;dev/gmpdefer/model/sched/M.run;dev/gmpdefer/model/sched/M.findRunnable;"
                + "dev/gmpdefer/model/sched/RunQueue.runqget " + inFind + "\n"
                + "java/lang/Thread.run;dev/gmpdefer/model/sched/M.run;dev/gmpdefer/model/sched/M.findRunnable;"
                + "dev/gmpdefer/model/sched/M.stealWork;dev/gmpdefer/model/sched/RunQueue.runqsteal " + inSteal + "\n"
                + "java/lang/Thread.run;dev/gmpdefer/model/sched/M.run;dev/gmpdefer/model/sched/M.execute " + other + "\n";
        Files.writeString(dir.resolve("collapsed-cpu.csv"), text);
    }

    @Test
    void sharesAndVerdict(@TempDir Path results) throws Exception {
        profile(results, "none", 10, 10, 80);        // 20 %
        profile(results, "defer", 30, 3, 67);        // 33 %: x1.65 like the article
        profile(results, "cpu_control", 30, 3, 67);  // ... but the CPU control grows the same
        List<FlameShares.Row> rows = FlameShares.load(results);
        assertEquals(3, rows.size());
        FlameShares.Row none = FlameShares.find(rows, "ArticleGoschedBench", "none");
        assertNotNull(none);
        assertEquals(100, none.samples());
        assertEquals(0.20, none.share(), 1e-12);
        assertEquals(0.10, none.stealShare(), 1e-12);

        ClaimEvaluator.Result c6 = c6(rows);
        assertEquals(Verdict.NOT_REPRODUCED, c6.verdict(), c6.evidence().toString());
        assertTrue(String.join(" ", c6.evidence()).contains("cpu_control"), c6.evidence().toString());

        profile(results, "cpu_control", 15, 3, 82);  // now the control stays low: the growth is the defers'
        assertEquals(Verdict.REPRODUCED, c6(FlameShares.load(results)).verdict());
    }

    @Test
    void withoutProfilesTheVerdictSaysSo(@TempDir Path results) throws Exception {
        ClaimEvaluator.Result c6 = c6(FlameShares.load(results));
        assertEquals(Verdict.PENDING, c6.verdict());
    }

    private static ClaimEvaluator.Result c6(List<FlameShares.Row> rows) {
        for (ClaimEvaluator.Result r : new ClaimEvaluator(ResultStore.empty(), ClaimBook.load(), rows).evaluate()) {
            if (r.claim().id().equals("C6")) {
                return r;
            }
        }
        throw new AssertionError("no C6");
    }
}
