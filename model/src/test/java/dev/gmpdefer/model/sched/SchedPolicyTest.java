package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.workload.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduling policies of findRunnable, stealWork's random order and inheritTime. */
class SchedPolicyTest {

    /** A runnable G that exits when run, set up by M0 of a scheduler made with Sched.forTest. */
    static G runnable(Sched s, int i) {
        G g = new G(1000 + i);
        Sched.initG(s.allp[0], g, (gg, ex) -> GBody.EXIT, i, null, System.nanoTime());
        return g;
    }

    @Test
    void fairnessTickTakesOneGFromTheGlobalQueueBeforeTheLocalOne() {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).sysmon(false).build());
        P p0 = s.allp[0];
        G local = runnable(s, 1);
        G global1 = runnable(s, 2);
        G global2 = runnable(s, 3);
        p0.local().runqput(local, false);
        s.global.put(global1);
        s.global.put(global2);

        p0.setSchedtick(61); // 61 % 61 == 0: the fairness pick
        assertSame(global1, s.allm[0].findRunnable(), "tick % 61 == 0 takes the global head first");
        assertEquals(1, s.global.size(), "the fairness pick takes exactly one G (max = 1)");

        p0.setSchedtick(62); // not a fairness tick: local first
        assertSame(local, s.allm[0].findRunnable());
        assertFalse(s.allm[0].foundInherit);

        // local empty: the global batch
        assertSame(global2, s.allm[0].findRunnable());
    }

    @Test
    void runnextIsTakenFirstAndInheritsTheSlice() {
        Sched s = Sched.forTest(SchedConfig.builder().procs(1).sysmon(false).build());
        P p0 = s.allp[0];
        G ring = runnable(s, 1);
        G next = runnable(s, 2);
        p0.local().runqput(ring, false);
        p0.local().runqput(next, true);
        p0.setSchedtick(1);
        assertSame(next, s.allm[0].findRunnable());
        assertTrue(s.allm[0].foundInherit);
        assertSame(ring, s.allm[0].findRunnable());
        assertFalse(s.allm[0].foundInherit);
    }

    @Test
    void randomOrderVisitsEveryPExactlyOncePerPass() {
        for (int n = 1; n <= 64; n++) {
            RandomOrder o = new RandomOrder(n);
            dev.gmpdefer.model.internal.FastRand r = new dev.gmpdefer.model.internal.FastRand(n);
            for (int trial = 0; trial < 200; trial++) {
                int x = r.nextInt();
                boolean[] seen = new boolean[n];
                int pos = o.startPos(x);
                int inc = o.step(x);
                for (int k = 0; k < n; k++, pos = o.next(pos, inc)) {
                    assertFalse(seen[pos], "n=" + n + " visits " + pos + " twice");
                    seen[pos] = true;
                }
                for (int i = 0; i < n; i++) {
                    assertTrue(seen[i], "n=" + n + " never visits " + i);
                }
            }
        }
    }

    @Test
    void stealOrderStartsAtRandomPositions() {
        RandomOrder o = new RandomOrder(8);
        dev.gmpdefer.model.internal.FastRand r = new dev.gmpdefer.model.internal.FastRand(42);
        boolean[] starts = new boolean[8];
        boolean[] steps = new boolean[9];
        for (int i = 0; i < 1000; i++) {
            int x = r.nextInt();
            starts[o.startPos(x)] = true;
            steps[o.step(x)] = true;
        }
        for (int i = 0; i < 8; i++) {
            assertTrue(starts[i], "start " + i);
        }
        for (int c : new int[] {1, 3, 5, 7}) { // the numbers coprime to 8
            assertTrue(steps[c], "step " + c);
        }
        assertFalse(steps[2] || steps[4] || steps[6] || steps[8]);
    }

    /**
     * Go's reason for inheritTime (commit e870f06c, BenchmarkPingPongHog): a ping-pong pair readying
     * each other through runnext shares one time slice, so sysmon preempts it after one slice and a
     * CPU hog on the same P gets to run long before the pair is done.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void inheritTimeKeepsAPingPongPairInsideOneSliceWhileAHogWaits() {
        final int rounds = 1_000_000;
        AtomicLong roundsLeftWhenHogStarted = new AtomicLong(-1);
        Program ping = Program.builder("ping").loop(rounds).release(1).acquire(0).endLoop().exit();
        Program pong = Program.builder("pong").loop(rounds).acquire(0).release(1).endLoop().exit();
        Sema a = new Sema();
        Sema b = new Sema();
        G[] pingG = new G[1];
        GBody hog = (g, ex) -> {
            roundsLeftWhenHogStarted.compareAndSet(-1, pingG[0].r2);
            return GBody.EXIT;
        };
        RunResult r = Sched.run(new Workload() {
            @Override
            public String name() {
                return "pingPongHog1P";
            }

            @Override
            public void start(Spawner s) {
                s.spawn(0, pong, 0, new Sema[] {b, a}, false);
                pingG[0] = s.spawn(0, ping, 0, new Sema[] {a, b}, false);
                s.spawn(0, hog, 0, null, false);
            }
        }, SchedConfig.builder().procs(1).forcePreemptNs(1_000_000).build());
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome, r.toString());
        long left = roundsLeftWhenHogStarted.get();
        assertTrue(left > 0, "the hog started while the pair still had rounds left: " + left);
        assertTrue(r.metrics.preemptions >= 1, "sysmon ended the pair's slice: " + r);
        // nearly every hand-off is a runnext start that inherits the slice
        assertTrue(r.metrics.startsRunnext > rounds, r.toString());
        assertTrue(r.metrics.sliceLength.getTotalCount() < 1_000, "slices " + r.metrics.sliceLength.getTotalCount());
    }

    @Test
    void badConfigurationIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedConfig.builder().procs(0));
        assertTrue(e.getMessage().contains("procs") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedConfig.builder().ringCapacity(100));
        assertTrue(e.getMessage().contains("ringCapacity") && e.getMessage().contains("100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedConfig.builder().runnextStealPauseNs(-1));
        assertTrue(e.getMessage().contains("runnextStealPauseNs") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedConfig.builder().forcePreemptNs(0));
        assertTrue(e.getMessage().contains("forcePreemptNs"), e.getMessage());
        // the documented knobs accept Go's, zero and Kotlin's values
        SchedConfig c = SchedConfig.builder().runnextStealPauseNs(0).build();
        assertEquals(0, c.runnextStealPauseNs);
        c = SchedConfig.builder().runnextStealPauseNs(100_000).stealPauseMode(StealPause.Mode.PARK).build();
        assertEquals("PARK(100000ns)", c.stealPause().toString());
    }
}
