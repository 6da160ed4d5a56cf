package dev.gmpdefer.bench;

import dev.gmpdefer.bench.latency.LatencySetup;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.SchedConfig;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad parameter values give one clear message naming the parameter and the valid values. */
class ParamValidationTest {

    private static String validate(String... args) throws Exception {
        return Main.validate(new CommandLineOptions(args));
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
