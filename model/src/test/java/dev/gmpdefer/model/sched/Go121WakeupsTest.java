package dev.gmpdefer.model.sched;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Go 1.21's wake-up protocol (proc.go: wakep, pidlegetSpinning, m.becomeSpinning, findRunnable): a
 * wakep that finds no idle P leaves sched.needspinning set, and a non-spinning M about to drop its P
 * spins instead, so the work that wakep saw is not left waiting. Driven from the test thread on a
 * scheduler whose Ms are not started. Also preemptone's repeated requests and goschedImpl without wakep.
 */
class Go121WakeupsTest {

    @Test
    void wakepWithNoIdlePSetsNeedspinningAndUndoesItsSpinningCount() {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).sysmon(false).build());
        s.wakep(1); // both Ps running: nothing to start
        assertEquals(1, s.needspinning.get(), "no idle P: needspinning");
        assertEquals(0, s.nmspinning.get(), "the CAS 0 -> 1 is undone");
        s.nmspinning.set(1);
        s.needspinning.set(0);
        s.wakep(1); // an M is spinning already: wakep returns before looking
        assertEquals(0, s.needspinning.get(), "a spinning M exists: wakep does nothing");
        assertEquals(1, s.nmspinning.get());
    }

    @Test
    void aNonSpinningMThatWouldDropItsPSpinsWhenNeedspinningIsSetAndFindsTheWork() throws Exception {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).sysmon(false).build());
        G work = SchedPolicyTest.runnable(s, 1);
        s.allp[1].local().runqput(work, false); // P1 is running and has a G waiting in its ring
        s.nmspinning.set(1);                 // another M spins: 2 * 1 >= 2 - 0, so M0 may not spin
        s.needspinning.set(1);               // a wakep saw work and found no idle P
        M m0 = s.allm[0];
        G got = CompletableFuture.supplyAsync(m0::findRunnable).get(10, TimeUnit.SECONDS);
        assertSame(work, got, "M0 spins instead of dropping P0, and steals P1's G");
        assertTrue(m0.spinning, "M0 is spinning (schedule's resetspinning comes next)");
        assertEquals(0, s.needspinning.get(), "becomeSpinning clears needspinning");
        assertEquals(2, s.nmspinning.get());
        assertFalse(s.isIdle(0), "P0 was never dropped");
    }

    @Test
    void withoutNeedspinningTheSameMDropsItsP() throws Exception {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).sysmon(false).build());
        G work = SchedPolicyTest.runnable(s, 1);
        s.allp[1].local().runqput(work, false);
        s.nmspinning.set(1);
        M m0 = s.allm[0];
        G[] result = {work};
        Thread t = new Thread(() -> result[0] = m0.findRunnable(), "test-M0");
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!s.isIdle(0) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(s.isIdle(0), "M0 may not spin and nothing asks it to: it drops P0 and stops");
        s.finish(RunResult.Outcome.COMPLETED); // the run ends: the stopped M returns null when woken
        java.util.concurrent.locks.LockSupport.unpark(t); // it parked on this thread, not on its own
        t.join(10_000);
        assertFalse(t.isAlive(), "findRunnable returned");
        assertNull(result[0]);
        assertEquals(1, s.allp[1].stealer().size(), "P1's G is still there, for P1 to run");
    }

    @Test
    void preemptoneAsksAgainButTheLatencyCountsFromTheFirstRequest() {
        G g = new G(7);
        g.requestPreempt(1_000);
        g.requestPreempt(5_000); // sysmon's next pass: Go sets the flag and signals again
        assertTrue(g.laPreempt());
        assertEquals(1_000, g.preemptRequestedAt, "the first request's time is kept");
        g.clearPreempt();
        g.requestPreempt(9_000);
        assertEquals(9_000, g.preemptRequestedAt, "a new request after the yield starts again");
    }

    /**
     * Issue 19's Fanout timeout (1 run in 60): a GC cycle started while the last spinning M was dropping
     * its P; startTheWorld's wakep saw nmspinning != 0 and woke nobody, the M parked, and the mark work
     * waited forever. Go's spinning M checks for idle mark work after dropping its P (checkIdleGCNoP).
     */
    @Test
    void aSpinningMThatDropsItsPWhileMarkWorkIsLeftTakesItBackToMark() {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).gogc(100).sysmon(false).build());
        s.gc.beginMarkForTest(8L << 20); // the cycle has started: mark work for idle workers
        dropP0WhileSpinning(s);
        M m0 = s.allm[0];
        assertTrue(m0.dropSpinningAndRecheck(), "mark work is left: M0 takes P0 back instead of parking");
        assertFalse(s.isIdle(0), "P0 is running again");
        assertTrue(m0.spinning, "M0 spins again, and findRunnable's idle-time marking finds the worker");
        assertEquals(1, s.nmspinning.get());
    }

    @Test
    void withoutMarkWorkTheSpinningMGoesOnToPark() {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).gogc(100).sysmon(false).build());
        dropP0WhileSpinning(s);
        M m0 = s.allm[0];
        assertFalse(m0.dropSpinningAndRecheck(), "nothing to do: M0 stops");
        assertTrue(s.isIdle(0));
        assertFalse(m0.spinning);
        assertEquals(0, s.nmspinning.get());
    }

    /** M0 was spinning, found nothing and has just put P0 on the idle list (findRunnable's drop). */
    private static void dropP0WhileSpinning(Sched s) {
        s.allm[0].spinning = true;
        s.nmspinning.set(1);
        s.global.lock.lock();
        try {
            s.pidleput(s.allp[0]);
        } finally {
            s.global.lock.unlock();
        }
    }
}
