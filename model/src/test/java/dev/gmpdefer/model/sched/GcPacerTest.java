package dev.gmpdefer.model.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pacer's formulas (mgcpacer.go, Go 1.21) on fixed inputs worked out by hand. */
class GcPacerTest {
    private static final long MB = 1L << 20;

    @Test
    void heapGoalIsMarkedTimesOnePlusGogcWithTheMinimumHeap() {
        assertEquals(20 * MB, GcPacer.heapGoal(10 * MB, 0, 0, 100), "10 + 10 x 100/100");
        assertEquals(15 * MB, GcPacer.heapGoal(10 * MB, 0, 0, 50), "10 + 10 x 50/100");
        assertEquals(4 * MB, GcPacer.heapGoal(1 * MB, 0, 0, 100), "2 MB is below the 4 MB minimum");
        assertEquals(2 * MB, GcPacer.heapGoal(1 * MB, 0, 0, 50), "minimum heap scales with GOGC: 4 x 50/100");
        assertEquals(22 * MB, GcPacer.heapGoal(10 * MB, 1 * MB, 1 * MB, 100), "stacks and globals count since Go 1.18");
        assertEquals(Long.MAX_VALUE, GcPacer.heapGoal(10 * MB, 0, 0, -1), "GOGC=off: no goal");
    }

    @Test
    void triggerStaysWithinItsBounds() {
        // first cycle: nothing marked, goal 4 MiB, no runway yet: goal - 0 clamped to 61/64 of the way
        assertEquals(4194304L / 64 * 61, GcPacer.trigger(0, 4 * MB, 0));
        // runway larger than the goal: the lower bound, 45/64 of the way from 7 to 14 MiB
        assertEquals(7340032L / 64 * 45 + 7340032L, GcPacer.trigger(7 * MB, 14 * MB, 20 * MB));
        assertEquals(12_500_992L, GcPacer.trigger(7 * MB, 14 * MB, 20 * MB), "0.85 of the goal, as realgo measured");
        // large heap: the upper bound is goal - 4 MiB; a 10 MiB runway lands inside the bounds
        assertEquals(200 * MB - 10 * MB, GcPacer.trigger(100 * MB, 200 * MB, 10 * MB));
        assertEquals(200 * MB - 4 * MB, GcPacer.trigger(100 * MB, 200 * MB, 1 * MB), "capped at goal - 4 MiB");
        assertEquals(5 * MB, GcPacer.trigger(6 * MB, 5 * MB, 0), "marked above the goal: trigger at the goal");
    }

    @Test
    void runwayAndConsMark() {
        assertEquals(1_572_864L, GcPacer.runway(0.5, MB), "0.5 x 0.75/0.25 x 1 MiB");
        // 2 MiB allocated after the trigger while 4 MiB were scanned at 25 %: (2 x 0.25) / (4 x 0.75)
        assertEquals(1.0 / 6, GcPacer.currentConsMark(12 * MB, 10 * MB, 4 * MB, 0, 0, 1_000_000_000L, 2), 1e-12);
        // assists add to the utilization: 0.5 s of assist over 1 s x 2 Ps = +0.25
        assertEquals((2.0 * 0.5) / (4 * 0.5), GcPacer.currentConsMark(12 * MB, 10 * MB, 4 * MB, 500_000_000L, 0,
                1_000_000_000L, 2), 1e-12);
        assertEquals(0, GcPacer.currentConsMark(10 * MB, 10 * MB, 4 * MB, 0, 0, 1, 2), "no allocation after the trigger");
    }

    @Test
    void dedicatedAndFractionalWorkersForGomaxprocs1To8() {
        double[][] want = { // procs -> dedicated, fractional goal per P
            {0, 0.25}, {0, 0.25}, {0, 0.25}, {1, 0}, {1, 0}, {1, 0.5 / 6}, {2, 0}, {2, 0}};
        for (int procs = 1; procs <= 8; procs++) {
            GcPacer.Workers w = GcPacer.workers(procs);
            assertEquals((int) want[procs - 1][0], w.dedicated(), "dedicated at GOMAXPROCS=" + procs);
            assertEquals(want[procs - 1][1], w.fractionalGoal(), 1e-12, "fractional at GOMAXPROCS=" + procs);
        }
        assertThrows(IllegalArgumentException.class, () -> GcPacer.workers(0));
    }

    @Test
    void assistWorkPerByteIsWorkLeftOverRunwayLeft() {
        assertEquals(1.0, GcPacer.assistWorkPerByte(1000, 200, 2000, 1200), 1e-12);
        assertEquals(800.0, GcPacer.assistWorkPerByte(1000, 200, 2000, 2500), 1e-12, "past the goal: 1 byte of runway");
        assertEquals(0.0, GcPacer.assistWorkPerByte(1000, 1200, 2000, 1200), 1e-12, "no work left");
    }
}
