package dev.gmpdefer.bench.latency;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler metrics reach JMH's results as secondary metrics (and so the -rf json files):
 * a tiny in-process JMH run of a latency benchmark with the profiler.
 */
class MetricsPlumbingTest {

    /** A tiny in-process FanoutBench run with the profiler: 2 producers x 200 children, 4 defers each. */
    private static Options tinyFanout(String treatment, int iterations) {
        return new OptionsBuilder()
                .include(FanoutBench.class.getName() + ".run")
                .param("treatment", treatment)
                .param("density", "4")
                .param("procs", "2")
                .param("producers", "2")
                .param("children", "200")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(iterations)
                .addProfiler(SchedMetricsProfiler.class)
                .shouldFailOnError(true)
                .build();
    }

    @Test
    @SuppressWarnings("rawtypes")
    void schedulerMetricsArriveAsSecondaryResults() throws Exception {
        Collection<RunResult> rs = new Runner(tinyFanout("defer", 2)).run();
        assertEquals(1, rs.size());
        Map<String, Result> sec = rs.iterator().next().getSecondaryResults();
        for (String name : new String[] {"sched.latency.p50", "sched.latency.p95", "sched.latency.p99",
                "sched.latency.max", "sched.runnext.share", "sched.starts", "steal.attempts", "preempt.count",
                "slice.p50", "jvm.gc.count", "jvm.gc.pause.ms", "jvm.gc.iteration.count", "defer.cpu.ns", "sched.runs", "m.cpu.ms", "g.run.ms"}) {
            assertTrue(sec.containsKey(name), name + " missing from " + sec.keySet());
        }
        assertEquals("us", sec.get("sched.latency.p50").getScoreUnit());
        assertEquals("fraction", sec.get("sched.runnext.share").getScoreUnit());
        assertEquals("ms", sec.get("m.cpu.ms").getScoreUnit());
        assertTrue(sec.get("m.cpu.ms").getScore() >= 0, "M CPU time per run");
        // 2 producers x 200 children + 2 producers + main, per run, plus one more start per preemption
        double starts = sec.get("sched.starts").getScore();
        assertTrue(starts >= 403.0 && starts <= 403.0 + sec.get("preempt.count").getScore(), "starts " + starts);
        assertEquals(1.0, sec.get("sched.runs").getScore(), 1e-9);
        double share = sec.get("sched.runnext.share").getScore();
        assertTrue(share > 0 && share <= 1, "runnext share " + share);
        assertTrue(sec.get("defer.cpu.ns").getScore() > 0, "the calibration measured the defer cost");
    }

    /**
     * Every treatment's fork runs the whole calibration (the same unmeasured runs, issue 19) and publishes
     * it: here a {@code none} fork publishes the control's match next to the defers' cost.
     */
    @Test
    void everyTreatmentRunsAndPublishesTheCalibration() throws Exception {
        Map<String, Result> sec = new Runner(tinyFanout("none", 1)).run().iterator().next()
                .getSecondaryResults();
        for (String name : new String[] {"defer.cpu.ns", "defer.cpu.total.ns", "defer.cpu.noise.ns", "control.scale",
                "control.source.steady", "m.cpu.ms", "jvm.gc.count", "jvm.gc.pause.ms"}) {
            assertTrue(sec.containsKey(name), name + " missing from " + sec.keySet());
        }
        assertEquals("factor", sec.get("control.scale").getScoreUnit());
        double src = sec.get("control.source.steady").getScore();
        assertTrue(src == 0 || src == 1, "control.source.steady is a flag: " + src);
    }
}
