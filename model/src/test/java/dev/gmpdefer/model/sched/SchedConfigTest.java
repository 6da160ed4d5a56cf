package dev.gmpdefer.model.sched;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SchedConfig: Go's constants as defaults; every bad knob value is an IllegalArgumentException naming it. */
class SchedConfigTest {

    static void rejects(String knob, String value, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e, knob + " " + value);
        assertTrue(ex.getMessage().contains(knob), "message names the knob: " + ex.getMessage());
        assertTrue(ex.getMessage().contains(value), "message names the value: " + ex.getMessage());
    }

    @Test
    void defaultsAreGos() {
        SchedConfig c = SchedConfig.defaults();
        assertEquals(256, c.ringCapacity);
        assertEquals(10_000_000L, c.forcePreemptNs);
        assertEquals(3_000L, c.runnextStealPauseNs);
        assertEquals(StealPause.Mode.PARK, c.stealPauseMode, "Go's usleep(3) as Linux sleeps it");
        assertTrue(c.procs >= 1);
    }

    @Test
    void badValuesAreRejectedNamingTheKnob() {
        SchedConfig.Builder b = SchedConfig.builder();
        rejects("procs", "0", () -> b.procs(0));
        rejects("procs", "257", () -> b.procs(257));
        rejects("ringCapacity", "3", () -> b.ringCapacity(3));
        rejects("ringCapacity", "1", () -> b.ringCapacity(1));
        rejects("ringCapacity", "131072", () -> b.ringCapacity(131072));
        rejects("forcePreemptNs", "999", () -> b.forcePreemptNs(999));
        rejects("runnextStealPauseNs", "-1", () -> b.runnextStealPauseNs(-1));
        rejects("runnextStealPauseNs", "1000000001", () -> b.runnextStealPauseNs(1_000_000_001L));
        rejects("stealPauseMode", "null", () -> b.stealPauseMode(null));
        rejects("timeoutNs", "999999", () -> b.timeoutNs(999_999));
    }

    @Test
    void goodValuesAreKept() {
        SchedConfig c = SchedConfig.builder().procs(8).ringCapacity(4).forcePreemptNs(1_000)
                .runnextStealPauseNs(0).stealPauseMode(StealPause.Mode.PARK).seed(42).sysmon(false)
                .recordMetrics(false).build();
        assertEquals(8, c.procs);
        assertEquals(4, c.ringCapacity);
        assertEquals(1_000, c.forcePreemptNs);
        assertEquals(0, c.runnextStealPauseNs);
        assertEquals(StealPause.Mode.PARK, c.stealPauseMode);
        assertEquals(42, c.seed);
        assertFalse(c.sysmon);
        assertFalse(c.recordMetrics);
        assertTrue(c.toString().contains("PARK(0ns)"), c.toString());
        assertEquals(100_000, SchedConfig.builder().runnextStealPauseNs(100_000).build().runnextStealPauseNs,
                "Kotlin's 100 µs is possible");
    }
}
