package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.workload.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous-preemption stand-in (SchedConfig.asyncPreempt, Go 1.14+'s signal-based preemption):
 * two hogs share one P, each one call of a function whose loop has no calls in it. With asynchronous
 * preemption sysmon's request is honoured at a back-edge of that loop, so the hogs take turns; without
 * it (GODEBUG=asyncpreemptoff=1) the only safe point is the function's prologue, already passed, so
 * each hog runs to its end, as tight loops did before Go 1.14.
 */
class AsyncPreemptTest {
    private static RunResult twoHogsOnOneP(boolean async) {
        Program hog = Program.builder("hog").work(Program.unitsFor(60_000_000L)).exit(); // ~60 ms, one call
        Workload w = new Workload() {
            @Override
            public String name() {
                return "twoHogs";
            }

            @Override
            public void start(Spawner s) {
                s.spawn(0, hog, 0, null, false);
                s.spawn(0, hog, 0, null, false);
            }
        };
        return Sched.run(w, SchedConfig.builder().procs(1).asyncPreempt(async).build());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void backEdgesArePreemptibleOnlyWithAsyncPreemption() {
        RunResult on = twoHogsOnOneP(true);
        assertEquals(RunResult.Outcome.COMPLETED, on.outcome, on.toString());
        assertTrue(on.metrics.asyncPreemptions > 0, "sysmon's request is honoured inside the loop: " + on);
        // A request sysmon made for the first hog can land on the second just before its work() prologue
        // (preemptone flags whatever G the P runs by then): at most one preemption is not asynchronous.
        assertTrue(on.metrics.preemptions - on.metrics.asyncPreemptions <= 1, "no prologue is reached while hogging: " + on);

        RunResult off = twoHogsOnOneP(false);
        assertEquals(RunResult.Outcome.COMPLETED, off.outcome, off.toString());
        assertEquals(0, off.metrics.asyncPreemptions);
        assertTrue(off.metrics.preemptions <= 1, "without it, each hog runs its one call to the end: " + off);
        assertTrue(off.metrics.starts() <= 3, "each hog started once (twice at most for that late request): " + off);
    }
}
