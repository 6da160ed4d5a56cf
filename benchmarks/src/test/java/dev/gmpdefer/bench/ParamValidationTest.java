package dev.gmpdefer.bench;

import dev.gmpdefer.bench.latency.LatencySetup;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.SchedConfig;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad parameter values give one clear message naming the parameter and the valid values. */
class ParamValidationTest {

    private static String validate(String... args) throws Exception {
        return Main.validate(args);
    }

    @Test
    void mainRejectsTyposBeforeAnythingRuns() throws Exception {
        String m = validate("ArticleGoschedBench", "-p", "treatment=defr");
        assertTrue(m.contains("treatment") && m.contains("defr") && m.contains("cpu_control"), m);
        m = validate("ArticleGoschedBench", "-p", "density=-1");
        assertTrue(m.contains("density") && m.contains("0..100000"), m);
        m = validate("ArticleGoschedBench", "-p", "procs=0");
        assertTrue(m.contains("procs") && m.contains("1..256"), m);
        m = validate("DeferAllocBench", "-p", "strategy=POOL");
        assertTrue(m.contains("strategy") && m.contains("POOLED"), m);
        m = validate("DeferAllocBench", "-p", "layout=64");
        assertTrue(m.contains("layout") && m.contains("GO122_48"), m);
        m = validate("StealLatencyBench", "-p", "pauseMode=SLEEP");
        assertTrue(m.contains("pauseMode") && m.contains("PARK"), m);
    }

    @Test
    void unknownParameterNamesAreErrorsNamingTheValidOnes() throws Exception {
        String m = validate("ArticleGoschedBench", "-p", "densty=10");
        assertTrue(m.contains("densty") && m.contains("density") && m.contains("treatment"), m);
        // a name another benchmark has is still unknown for the selected one
        m = validate("DeferChainBench", "-p", "treatment=defer");
        assertTrue(m.contains("unknown parameter -p treatment") && m.contains("chainLength"), m);
    }

    @Test
    void wordValuesMatchInAnyCaseAndBecomeCanonical() throws Exception {
        Map<String, List<String>> canonical = new LinkedHashMap<>();
        String[] args = {"ArticleGoschedBench", "-p", "strategy=heap,Pooled", "-p", "treatment=CPU_Control"};
        CommandLineOptions cmd = new CommandLineOptions(args);
        assertNull(Main.validate(cmd, List.of(args), Main.select(cmd), canonical));
        assertEquals(List.of("HEAP", "POOLED"), canonical.get("strategy"));
        assertEquals(List.of("cpu_control"), canonical.get("treatment"));
    }

    @Test
    void aFailedForkMakesTheRunExitNonZeroWithItsFirstErrorLine() {
        // OPEN_CODED passes the value check but the workload rejects it in setup (defers in a loop): a real
        // failure inside the forked JVM
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"ArticleGoschedBench", "-p", "strategy=OPEN_CODED", "-p", "treatment=defer",
                "-p", "procs=2", "-p", "goroutines=10", "-f", "1", "-wi", "0", "-i", "1"},
                new PrintStream(out, true), new PrintStream(err, true));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, e);
        String last = e.strip().substring(e.strip().lastIndexOf('\n') + 1);
        assertTrue(last.contains("failed") && last.contains("ArticleGoschedBench.run")
                && last.contains("IllegalArgumentException: strategy: OPEN_CODED"), last);
    }

    @Test
    void planNamesTheConfigurationsAndAnEstimate() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"StealPauseBench", "--plan"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, e);
        assertTrue(e.contains("plan: ") && e.contains("StealPauseBench") && e.contains("estimate_s="), e);
    }

    @Test
    void mainAcceptsGoodValues() throws Exception {
        assertNull(validate("ArticleGoschedBench", "-p", "treatment=none,defer,cpu_control", "-p", "density=100",
                "-p", "procs=4", "-p", "strategy=GO_COMPILER"));
        assertNull(validate("-l"));
    }

    @Test
    void setupRejectsBadValuesWhenDrivenProgrammatically() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencySetup.create(
                "bogus", 10, "GO_COMPILER", 2, FuncShape.loop(), SchedConfig.builder(), ops -> null));
        assertTrue(e.getMessage().contains("treatment"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LatencySetup.create(
                "defer", -3, "GO_COMPILER", 2, FuncShape.loop(), SchedConfig.builder(), ops -> null));
        assertTrue(e.getMessage().contains("density"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LatencySetup.create(
                "defer", 10, "GO_COMPILER", 0, FuncShape.loop(), SchedConfig.builder(), ops -> null));
        assertTrue(e.getMessage().contains("procs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LatencySetup.create(
                "defer", 10, "OPEN_CODED", 2, FuncShape.loop(), SchedConfig.builder(), ops -> null));
        assertTrue(e.getMessage().contains("OPEN_CODED") && e.getMessage().contains("loop"), e.getMessage());
    }
}
