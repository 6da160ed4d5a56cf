package dev.gmpdefer.model.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runnext-steal pause (proc.go: runqgrab's usleep(3), Go 1.21). Only lower bounds are asserted:
 * a pause may last longer on a busy machine (that excess is what StealPauseBench measures), never
 * shorter.
 */
class StealPauseTest {

    @Test
    void spinLastsAtLeastItsLength() {
        StealPause p = new StealPause(3_000, StealPause.Mode.SPIN);
        for (int i = 0; i < 1000; i++) {
            long t0 = System.nanoTime();
            p.pause();
            long d = System.nanoTime() - t0;
            assertTrue(d >= 3_000, "SPIN 3 µs lasted " + d + " ns");
        }
    }

    @Test
    void parkWaitsAndReturns() {
        // parkNanos may return spuriously early (its contract), so only completion is asserted, plus a
        // lower bound over many calls on the total that a wrong unit (e.g. µs taken as ns) would miss.
        StealPause p = new StealPause(100_000, StealPause.Mode.PARK);
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            p.pause();
        }
        long d = System.nanoTime() - t0;
        assertTrue(d >= 20 * 100_000 / 2, "20 x PARK 100 µs took " + d + " ns");
    }

    @Test
    void zeroIsNoPause() {
        assertEquals(0, StealPause.NONE.nanos());
        StealPause p = new StealPause(0, StealPause.Mode.PARK);
        Thread.currentThread().interrupt(); // a real park would return at once anyway; 0 must not park
        p.pause();
        assertTrue(Thread.interrupted(), "a zero pause must not consume the interrupt");
        assertEquals("PARK(0ns)", p.toString());
    }

    @Test
    void badValuesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StealPause(-1, StealPause.Mode.SPIN));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StealPause(3_000, null));
        assertTrue(e.getMessage().contains("mode"), e.getMessage());
    }

    @Test
    void configCarriesThePause() {
        SchedConfig c = SchedConfig.builder().runnextStealPauseNs(100_000).stealPauseMode(StealPause.Mode.PARK).build();
        StealPause p = c.stealPause();
        assertEquals(100_000, p.nanos());
        assertSame(StealPause.Mode.PARK, p.mode());
        assertEquals(SchedConfig.GO_RUNNEXT_STEAL_PAUSE_NS, SchedConfig.defaults().stealPause().nanos());
        assertEquals(3_000, SchedConfig.GO_RUNNEXT_STEAL_PAUSE_NS);
    }
}
