package dev.gmpdefer.model.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The wait decomposition on a hand-worked timeline of two Ps (the same kind of case as realgo/tracewait's
 * synthetic trace): every wait's causes add up to its length, a stop-the-world range counts on every P,
 * the tail is the waits above the 95th percentile.
 *
 * <pre>
 *   P0: other [0,10)  running [10,50)  idle [50,...)
 *   P1: running [0,30)  gc_worker [30,60)  other [60,...)
 *   stop-the-world [70,80)
 *   waits: [20,40]  [55,85]  [0,5]
 * </pre>
 * [20,40]: P0 running 20; P1 running 10, gc_worker 10: running 15, gc_worker 5 (of 20).
 * [55,85]: P0 idle 15 + 5, stw 10; P1 gc_worker 5, other 10 + 5, stw 10: idle 10, stw 10, gc_worker 2.5,
 * other 7.5 (of 30). [0,5]: P0 other 5; P1 running 5: 2.5 each.
 */
class WaitCausesTest {
    private static final int R = WaitCause.RUNNING.ordinal(), G = WaitCause.GC_WORKER.ordinal(),
            S = WaitCause.STW.ordinal(), I = WaitCause.IDLE.ordinal(), O = WaitCause.OTHER.ordinal();

    private static List<PStateLog> logs(int smallWaits) {
        PStateLog p0 = new PStateLog();
        p0.state(0, WaitCause.OTHER);
        p0.state(10, WaitCause.RUNNING);
        p0.state(50, WaitCause.IDLE);
        PStateLog p1 = new PStateLog();
        p1.state(0, WaitCause.RUNNING);
        p1.state(30, WaitCause.GC_WORKER);
        p1.state(60, WaitCause.OTHER);
        p0.waited(20, 40);
        p1.waited(55, 85);
        p0.waited(0, 5);
        for (int i = 0; i < smallWaits; i++) {
            p1.waited(1, 2); // P0 other, P1 running
        }
        return List.of(p0, p1);
    }

    @Test
    void handWorkedTimeline() {
        WaitCauses w = WaitCauses.of(logs(0), new long[] {70}, new long[] {80}, 1);
        double[] want = new double[WaitCause.ALL.length];
        want[R] = 15 + 2.5;
        want[G] = 5 + 2.5;
        want[S] = 10;
        want[I] = 10;
        want[O] = 7.5 + 2.5;
        assertArrayEquals(want, w.allNs, 1e-9);
        assertEquals(3, w.waits);
        assertEquals(0, w.tailWaits, "p95 of 3 waits is the longest: none above it");
        double sum = 0;
        for (double v : w.allNs) {
            sum += v;
        }
        assertEquals(20 + 30 + 5, sum, 1e-9, "the causes add up to the waits");
    }

    @Test
    void theTailIsTheWaitsAboveP95() {
        WaitCauses w = WaitCauses.of(logs(18), new long[] {70}, new long[] {80}, 1);
        // 21 waits: p95 is the 20th shortest (20 us, [20,40]); only [55,85] is above it
        assertEquals(21, w.waits);
        assertEquals(1, w.tailWaits);
        double[] want = new double[WaitCause.ALL.length];
        want[G] = 2.5;
        want[S] = 10;
        want[I] = 10;
        want[O] = 7.5;
        assertArrayEquals(want, w.tailNs, 1e-9);
    }

    @Test
    void withoutTheRangeTheSameTimeHasItsOwnCauses() {
        // the same timeline with no range: [55,85] is idle 30 on P0; gc_worker 5, other 25 on P1
        WaitCauses w = WaitCauses.of(logs(0), new long[0], new long[0], 0);
        double[] want = new double[WaitCause.ALL.length];
        want[R] = 15 + 2.5;
        want[G] = 5 + 2.5;
        want[I] = 15;
        want[O] = 12.5 + 2.5;
        assertArrayEquals(want, w.allNs, 1e-9);
    }

    @Test
    void noWaitsNoCauses() {
        WaitCauses w = WaitCauses.of(List.of(new PStateLog()), new long[0], new long[0], 0);
        assertEquals(0, w.waits);
        assertArrayEquals(new double[WaitCause.ALL.length], w.allNs);
    }
}
