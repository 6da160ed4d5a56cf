package dev.gmpdefer.model.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merging per-P metrics into a run's, and a run's into an iteration's, adds every counter once. */
class RunMetricsTest {

    private static PMetrics p(long seed) {
        PMetrics m = new PMetrics(true);
        m.startsRunnext = seed;
        m.startsRing = 2 * seed;
        m.startsSteal = 3 * seed;
        m.stealAttempts = 4 * seed;
        m.preemptions = 5 * seed;
        m.mParks = 6 * seed;
        m.mCpuNanos = 1_000_000 * seed;
        m.record(m.schedLatency, 1000 * seed);
        m.record(m.sliceLength, 2_000_000);
        return m;
    }

    @Test
    void mergeAddsCountersHistogramsAndCpuTime() {
        RunMetrics r = RunMetrics.merge(List.of(p(1), p(2), p(3)));
        assertEquals(6, r.startsRunnext);
        assertEquals(12, r.startsRing);
        assertEquals(18, r.startsSteal);
        assertEquals(36, r.starts());
        assertEquals(24, r.stealAttempts);
        assertEquals(30, r.preemptions);
        assertEquals(36, r.mParks);
        assertEquals(6_000_000, r.mCpuNanos);
        assertEquals(3, r.schedLatency.getTotalCount());
        assertEquals(6.0 / 36, r.runnextShare(), 1e-12);
        Map<String, Double> s = r.toScalars();
        assertEquals(6.0, s.get("m.cpu.ms"), 1e-9);
        assertEquals(6.0, s.get("g.run.ms"), 0.1, "3 slices of 2 ms (2 significant digits)");

        RunMetrics total = new RunMetrics();
        total.add(r);
        total.add(r);
        assertEquals(12, total.startsRunnext);
        assertEquals(12_000_000, total.mCpuNanos);
        assertEquals(6, total.sliceLength.getTotalCount());
    }

    @Test
    void unmeasurableCpuTimeStaysUnknown() {
        PMetrics a = p(1);
        a.mCpuNanos = -1;
        RunMetrics r = RunMetrics.merge(List.of(a, p(2)));
        assertEquals(-1, r.mCpuNanos);
        assertTrue(Double.isNaN(r.toScalars().get("m.cpu.ms")));
    }
}
