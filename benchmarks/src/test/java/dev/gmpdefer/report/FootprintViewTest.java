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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-situ decomposition (issue 19, item 5): real Go's extra CPU per defer split by differences of its
 * treatments, beside the model's; an experiment's document never stands for a Go version.
 */
class FootprintViewTest {

    private static void realgo(Path results, String folder, String experiment) throws IOException {
        Path d = Files.createDirectories(results.resolve(folder));
        StringBuilder runs = new StringBuilder();
        Map<String, Double> cpu = Map.of("none", 100.0, "defer", 150.0, "defer_gcoff", 120.0, "defer_primed", 110.0);
        for (String t : List.of("none", "defer", "defer_gcoff", "defer_primed")) {
            for (int k = 0; k < 3; k++) {
                runs.append(runs.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                        "{\"workload\":\"ArticleGosched\",\"treatment\":\"%s\",\"procs\":4,\"params\":{\"goroutines\":100,"
                                + "\"loops\":100,\"density\":10},\"run\":%d,\"wallMs\":10,\"cpuMs\":%f,\"p50Us\":1,"
                                + "\"p95Us\":2,\"p99Us\":3,\"meanUs\":1,\"samples\":10}", t, k, cpu.get(t) + k - 1));
            }
        }
        Files.writeString(d.resolve(RealGo.FILE), "{\"schema\":2,\"goVersion\":\"go1.26.8\",\"numCPU\":2,"
                + "\"runsPerCell\":3," + (experiment.isEmpty() ? "" : "\"experiment\":\"" + experiment + "\",")
                + "\"workloads\":[],\"runs\":[" + runs + "],\"costs\":[]}", StandardCharsets.UTF_8);
        Files.writeString(d.resolve("env.json"), "{\"schema\":1,\"mode\":\"realgo\",\"date\":\"2026-12-06T00:00:00Z\","
                + "\"git\":{\"commit\":\"abc\",\"dirty\":false},\"machine\":{\"nproc\":2,\"cpuModel\":\"Fixture\"}}",
                StandardCharsets.UTF_8);
    }

    @Test
    void goIsSplitByDifferencesAndTheExperimentDecidesNothing(@TempDir Path results) throws IOException {
        realgo(results, "2026-12-06-realgo", "");
        realgo(results, "2026-12-07-realgo-footprints", FootprintView.EXPERIMENT);
        Files.writeString(results.resolve(Reference.FILE), "2026-12-06-realgo\n2026-12-07-realgo-footprints\n",
                StandardCharsets.UTF_8);
        List<RealGo> all = RealGo.loadAll(results);
        assertEquals("2026-12-06-realgo", RealGo.primary(all).run.name(), "the experiment, listed later, is not primary");
        assertEquals(1, RealGo.versions(all).size(), "nor a version's column");
        StringBuilder sb = new StringBuilder();
        FootprintView.render(sb, all, ResultStore.empty());
        String md = sb.toString();
        // 100 goroutines x 100 loops x 10 = 100,000 defers; (150 - 100) ms over them = 500 ns per defer
        assertTrue(md.contains("| 100,000 | 3 | 500 ns | 300 ns | 100 ns | 100 ns | 60.0 % |"), md);
        assertTrue(md.contains("not measured"), "no model cell at that footprint: " + md);
        assertTrue(md.contains("not measured yet"), "and no model experiment: " + md);
    }

    @Test
    void aModelExperimentFolderIsReadIntoItsOwnStoreAndDecidesNothing(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-12-06-latency", "ArticleGoschedBench.json", Fixtures.gosched("defer", 10, 20, 10));
        Fixtures.write(results, "2026-12-07-model-footprints", "ArticleGoschedBench.json",
                Fixtures.gosched("defer", 99, 199, 3));
        Files.writeString(results.resolve("2026-12-07-model-footprints").resolve("env.json"),
                "{\"schema\":1,\"mode\":\"footprints\",\"experiment\":\"footprints\",\"date\":\"2026-12-07T00:00:00Z\"}",
                StandardCharsets.UTF_8);
        Files.writeString(results.resolve(Reference.FILE), "2026-12-06-latency\n2026-12-07-model-footprints\n",
                StandardCharsets.UTF_8);
        ResultStore store = ResultStore.load(results);
        assertEquals(1, store.entries().size());
        assertEquals("2026-12-06-latency", store.entries().get(0).run().name(),
                "the experiment, listed later, supersedes nothing");
        assertEquals(List.of("2026-12-06-latency"), store.runs().stream().map(RunInfo::name).toList());
        ResultStore ex = store.experiment(FootprintView.EXPERIMENT);
        assertEquals(1, ex.entries().size());
        assertEquals("2026-12-07-model-footprints", ex.entries().get(0).run().name());
        assertTrue(store.experiment("other").entries().isEmpty());
    }
}
