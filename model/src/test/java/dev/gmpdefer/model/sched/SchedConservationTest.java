package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.workload.Program;
import dev.gmpdefer.model.workload.Treatment;
import dev.gmpdefer.model.workload.TreatmentOps;
import dev.gmpdefer.model.workload.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conservation under the whole scheduler: many Gs over 2-8 Ps with spawning, stealing, Gosched, goyield
 * and frequent forced preemption. Every G must run to its end exactly once, no G may be run by two Ms
 * at once, none may be lost, and the run must terminate.
 */
class SchedConservationTest {

    /** Wraps a body: counts each entry and fails if two Ms run the same logical G at once. */
    static final class Checked implements GBody {
        final GBody inner;
        final AtomicIntegerArray busy;
        final AtomicIntegerArray exits;
        final AtomicLong runs;
        final AtomicLong violations;

        Checked(GBody inner, int n, AtomicLong runs, AtomicLong violations) {
            this.inner = inner;
            this.busy = new AtomicIntegerArray(n);
            this.exits = new AtomicIntegerArray(n);
            this.runs = runs;
            this.violations = violations;
        }

        @Override
        public int run(G g, Exec exec) {
            int id = (int) g.r0;
            if (!busy.compareAndSet(id, 0, 1)) {
                violations.incrementAndGet();
            }
            runs.incrementAndGet();
            int ev = inner.run(g, exec);
            if (ev == EXIT) {
                exits.incrementAndGet(id);
            }
            busy.set(id, 0);
            return ev;
        }
    }

    @ParameterizedTest(name = "procs={0} gs={1} ring={2}")
    @CsvSource({"2, 100000, 256", "4, 100000, 4", "8, 50000, 16", "3, 200000, 256"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyGRunsToItsEndExactlyOnce(int procs, int gs, int ring) {
        AtomicLong runs = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        // Each worker: a little work, Gosched (global queue), work, goyield (local tail), work, exit.
        Program worker = Program.builder("worker").work(3).gosched().work(3).goyield().work(5).exit();
        Checked checked = new Checked(worker, gs, runs, violations);
        // Spawners give each worker a unique id in r0; spawning goes through runnext and overflows
        // small rings into the global queue; idle Ps steal.
        GBody spawner = (g, ex) -> {
            int per = (int) g.r1;
            while (g.r2 < per) {
                long id = g.r0 * per + g.r2;
                g.r2++;
                ex.newproc(checked, id);
                if (g.laPreempt()) {
                    return GBody.PREEMPTED;
                }
            }
            return GBody.EXIT;
        };
        int spawners = 10;
        int per = gs / spawners;
        SchedConfig cfg = SchedConfig.builder().procs(procs).ringCapacity(ring)
                .forcePreemptNs(20_000) // preempt after 20 µs: very frequent
                .timeoutNs(100_000_000_000L).build();
        RunResult r = Sched.run(new Workload() {
            @Override
            public String name() {
                return "conservation";
            }

            @Override
            public void start(Spawner s) {
                for (int i = 0; i < spawners; i++) {
                    G g = s.spawn(i % s.procs(), spawner, i, null, false);
                    g.r1 = per;
                }
            }
        }, cfg);
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome, r.toString());
        assertEquals(0, violations.get(), "a G ran on two Ms at once");
        for (int i = 0; i < spawners * per; i++) {
            assertEquals(1, checked.exits.get(i), "G with id " + i + " exits");
        }
        assertEquals(r.created, r.exited);
        assertEquals(spawners + (long) spawners * per, r.created);
        // every run of a body is one start recorded by execute
        assertEquals(runs.get() + spawnerRuns(r, runs.get()), r.metrics.starts(), r.toString());
        assertTrue(r.gObjects < r.created, "Gs are recycled: " + r.gObjects + " objects for " + r.created + " Gs");
        if (procs > 1) {
            assertTrue(r.metrics.stealSuccesses > 0 || r.metrics.startsGlobalBatch > 0, r.toString());
        }
    }

    /** Starts of spawner Gs (everything that is not a checked worker run). */
    private static long spawnerRuns(RunResult r, long workerRuns) {
        return r.metrics.starts() - workerRuns;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void articleLoopCompletesWithEveryGoschedThroughTheGlobalQueue() {
        RunResult r = Sched.run(Workloads.articleGosched(2_000, 20, 0, new TreatmentOps(Treatment.NONE, null)),
                SchedConfig.builder().procs(2).build());
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome);
        assertEquals(2_001, r.created);
        assertEquals(2_000L * 20, r.metrics.gosched);
        // every G start is one of: first start (2001), a start after Gosched (40000) or after a preemption
        assertEquals(2_001 + 2_000L * 20 + r.metrics.preemptions, r.metrics.starts());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void blockedForeverIsReportedAsDeadlock() {
        Program stuck = Program.builder("stuck").acquire(0).exit();
        RunResult r = Sched.run(new Workload() {
            @Override
            public String name() {
                return "deadlock";
            }

            @Override
            public void start(Spawner s) {
                s.spawn(0, stuck, 0, new Sema[] {new Sema()}, false);
            }
        }, SchedConfig.builder().procs(2).build());
        assertEquals(RunResult.Outcome.DEADLOCK, r.outcome);
        assertEquals(1, r.created);
        assertEquals(0, r.exited);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pingPongPairsCompleteNextToHogs() {
        RunResult r = Sched.run(Workloads.pingPongHog(4, 2_000, 2, Program.unitsFor(5_000_000), 0,
                        new TreatmentOps(Treatment.NONE, null)),
                SchedConfig.builder().procs(2).build());
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome, r.toString());
        assertEquals(4 * 2 + 2, r.created);
        assertTrue(r.metrics.startsRunnext > 4_000, "ready() hands off through runnext: " + r);
    }
}
