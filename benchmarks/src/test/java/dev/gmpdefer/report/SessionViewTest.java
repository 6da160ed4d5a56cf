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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Go versions and paired sessions (issue 20): the newest Go decides whatever the manifest's order, every
 * version gets a column, a paired session's model runs stay out of the main tables and appear beside
 * real Go of the same session with their wait causes and fingerprints.
 */
class SessionViewTest {

    private static void realgo(Path results, String folder, String goVersion, String session) throws IOException {
        Path d = Files.createDirectories(results.resolve(folder));
        StringBuilder runs = new StringBuilder();
        for (String t : List.of("none", "defer", "cpu_control")) {
            for (int k = 0; k < 2; k++) {
                runs.append(runs.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                        "{\"workload\":\"Fanout\",\"treatment\":\"%s\",\"procs\":2,\"params\":{},\"run\":%d,"
                                + "\"wallMs\":10,\"cpuMs\":20,\"gcCycles\":%d,\"p50Us\":1,\"p95Us\":%d,\"p99Us\":3,"
                                + "\"meanUs\":1,\"samples\":10,\"own\":{\"p50Us\":1,\"p95Us\":%d,\"p99Us\":3,"
                                + "\"maxUs\":4,\"meanUs\":1,\"samples\":100}}", t, k, t.equals("defer") ? 2 : 0,
                        t.equals("defer") ? 40 : 20, t.equals("defer") ? 30 + k : 10 + k));
            }
        }
        String traced = session.isEmpty() ? "[]" : "[{\"workload\":\"Fanout\",\"treatment\":\"defer\",\"procs\":2,"
                + "\"waitByCause\":{\"waits\":10,\"waitUs\":100,\"tailWaits\":1,\"tailUs\":50,"
                + "\"all\":{\"running\":60,\"gc_worker\":20,\"stw\":0,\"idle\":10,\"syscall\":0,\"other\":10},"
                + "\"tail\":{\"running\":25,\"gc_worker\":25,\"stw\":0,\"idle\":0,\"syscall\":0,\"other\":0}}}]";
        String fps = session.isEmpty() ? "[]" : "[{\"side\":\"jvm\",\"when\":\"start\",\"block\":\"Fanout\","
                + "\"memNsPerLoad\":150,\"xorshiftNsPerStep\":1.6},{\"side\":\"go\",\"when\":\"start\",\"block\":"
                + "\"Fanout\",\"memNsPerLoad\":170,\"xorshiftNsPerStep\":1.7},{\"side\":\"go\",\"when\":\"end\","
                + "\"block\":\"Fanout\",\"memNsPerLoad\":190,\"xorshiftNsPerStep\":1.7}]";
        Files.writeString(d.resolve(RealGo.FILE), "{\"schema\":2,\"goVersion\":\"" + goVersion + "\",\"numCPU\":2,"
                + "\"runsPerCell\":2,\"session\":\"" + session + "\",\"workloads\":[{\"workload\":\"Fanout\","
                + "\"bench\":\"FanoutBench\",\"procs\":[2],\"params\":{},\"records\":\"stack\",\"own\":\"go -> run\"}],"
                + "\"runs\":[" + runs + "],\"traced\":" + traced + ",\"fingerprints\":" + fps + ",\"costs\":[{\"name\":"
                + "\"1 defer\",\"kind\":\"open-coded\",\"defers\":1,\"nsPerOp\":3,\"nsPerDefer\":"
                + (goVersion.contains("1.26") ? 1.2 : 0.9) + "}]}", StandardCharsets.UTF_8);
        Files.writeString(d.resolve("env.json"), "{\"schema\":1,\"mode\":\"" + (session.isEmpty() ? "realgo" : "paired")
                + "\",\"date\":\"2026-12-06T00:00:00Z\",\"git\":{\"commit\":\"abc\",\"dirty\":false},"
                + "\"machine\":{\"nproc\":2,\"cpuModel\":\"Fixture CPU\"}}", StandardCharsets.UTF_8);
    }

    private static ObjectNode fanout(String treatment, double p95, double running, double gcw) {
        ObjectNode e = Fixtures.entry("dev.gmpdefer.bench.latency.FanoutBench.run",
                Map.of("treatment", treatment, "procs", "2"), 10, 1, "ms/op");
        Fixtures.metric(e, "sched.latency.p95", p95, 1, "us");
        for (String c : SessionView.CAUSES) {
            double v = c.equals("running") ? running : c.equals("gc_worker") ? gcw : 0;
            Fixtures.metric(e, "wait.cause." + c + ".us", v, 0, "us");
            Fixtures.metric(e, "wait.tail.cause." + c + ".us", v / 2, 0, "us");
        }
        return e;
    }

    @Test
    void newestGoDecidesSessionsStayInTheirSection(@TempDir Path results) throws IOException {
        Fixtures.write(results, "2026-12-06-latency", "FanoutBench.json", fanout("none", 10, 1, 0),
                fanout("defer", 11, 1, 0));
        realgo(results, "2026-12-06-realgo-go1.26", "go1.26.8", "");
        realgo(results, "2026-12-06-realgo-go1.19", "go1.19.8", "");
        Fixtures.write(results, "2026-12-06-paired", "FanoutBench.json", fanout("none", 999, 75, 25),
                fanout("defer", 999, 50, 50));
        realgo(results, "2026-12-06-paired", "go1.26.8", "2026-12-06-paired");
        Files.writeString(results.resolve(Reference.FILE), "2026-12-06-latency\n2026-12-06-realgo-go1.26\n"
                + "2026-12-06-realgo-go1.19\n2026-12-06-paired\n", StandardCharsets.UTF_8);

        List<RealGo> all = RealGo.loadAll(results);
        assertEquals(3, all.size());
        assertEquals("go1.26.8", RealGo.primary(all).goVersion, "the newest Go, though 1.19 is listed later");
        assertEquals("2026-12-06-realgo-go1.26", RealGo.load(results).run.name(), "not the paired session's");
        assertEquals(List.of("go1.26.8", "go1.19.8"), RealGo.versions(all).stream().map(g -> g.goVersion).toList());
        assertEquals(List.of("2026-12-06-paired"), RealGo.sessions(all).stream().map(g -> g.session).toList());

        ResultStore store = ResultStore.load(results);
        assertTrue(store.entries().stream().noneMatch(e -> e.run().name().equals("2026-12-06-paired")),
                "a paired session's 3-fork model runs never supersede the reference's");

        Path out = results.resolve("REPORT.md");
        Fixtures.Run r = Fixtures.main("--results", results.toString(), "--out", out.toString());
        assertEquals(0, r.rc(), r.err());
        String md = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(md.contains("## Real Go versions side by side"), md);
        assertTrue(md.contains("| 1 defer | 1.20 | 0.900 |"), md);
        assertTrue(md.contains("| Fanout, 2, defer / cpu_control | 2.90x"), md);
        assertTrue(md.contains("## Paired sessions"), md);
        assertTrue(md.contains("| 2026-12-06-paired | 2026-12-06-paired | go1.26.8 | 1 | 150 - 150 | 170 - 190 |"), md);
        // model 50/50 running/gc_worker, Go 60/20/0/10/0/10; tails: model the same shares, Go 50/50
        assertTrue(md.contains("| defer | 50 / 50 / 0 / 0 / 0 / 0 | 60 / 20 / 0 / 10 / 0 / 10 | 50 / 50 / 0 / 0 / 0 / 0 "
                + "| 50 / 50 / 0 / 0 / 0 / 0 |"), md);
        assertFalse(md.contains("999"), "the session's model figures are not in the main tables");
    }

    /** The model's causes are realgo/tracewait's, by name and order (one list for both sides). */
    @Test
    void theCausesAreTracewaits() throws IOException {
        String go = Files.readString(Path.of("..", "realgo", "tracewait", "decompose.go"), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("var Causes = \\[\\]string\\{([^}]*)\\}").matcher(go);
        assertTrue(m.find(), "decompose.go declares Causes");
        List<String> goCauses = java.util.Arrays.stream(m.group(1).split(",")).map(x -> x.trim().replace("\"", ""))
                .toList();
        assertEquals(goCauses, SessionView.CAUSES);
    }

    @Test
    void sharesAreOfTheSum() {
        assertEquals("n/a", SessionView.shares(null));
        assertEquals("n/a", SessionView.shares(Map.of("running", 0.0)));
        assertEquals("75 / 0 / 0 / 5.0 / 0 / 20", SessionView.shares(Map.of("running", 30.0, "idle", 2.0, "other", 8.0)));
    }
}
