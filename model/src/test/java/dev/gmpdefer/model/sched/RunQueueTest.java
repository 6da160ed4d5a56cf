package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Single-threaded semantics of the local run queue, mirroring Go's TestSchedLocalQueue,
 * TestSchedLocalQueueSteal and TestSchedLocalQueueEmpty (proc_test.go, export_test.go:
 * RunSchedLocalQueueTest, RunSchedLocalQueueStealTest, RunSchedLocalQueueEmptyTest), made exact:
 * Go's steal test accepts len/2 or len/2+1; the model's steal must take exactly ceil(len/2).
 */
class RunQueueTest {
    /** What the last steal of a test moved (JUnit makes a new instance per test). */
    private final Steals steals = new Steals();

    /** Counter starts that put the 2^32 wrap inside the tests (0xFFFFFFF0 and -10 wrap after 16 and 10 puts). */
    static final int[] STARTS = {0, 0xFFFFFFF0, -10, Integer.MAX_VALUE - 5};

    static LocalRunQueue newQueue(int capacity) {
        return new LocalRunQueue(capacity, new GlobalRunQueue(capacity / 2), null, StealPause.NONE);
    }

    static LocalRunQueue newQueue(int capacity, GlobalRunQueue global) {
        return new LocalRunQueue(capacity, global, null, StealPause.NONE);
    }

    static G[] gs(int n) {
        return Gs.newGs(n);
    }

    /** Drains the global queue one G at a time (max = 1 never touches the local ring). */
    static List<G> drainGlobal(GlobalRunQueue global) {
        LocalRunQueue sink = newQueue(256);
        List<G> out = new ArrayList<>();
        for (G g; (g = global.get(sink, 1, 1, 256)) != null; ) {
            out.add(g);
        }
        assertTrue(sink.runqempty(), "max=1 must not put anything on the local ring");
        return out;
    }

    static List<Integer> drainIndexes(LocalRunQueue q) {
        List<Integer> out = new ArrayList<>();
        for (G x; (x = q.runqget()) != null; ) {
            out.add(x.index);
        }
        return out;
    }

    // ---- TestSchedLocalQueue ----

    @ParameterizedTest
    @ValueSource(ints = {0, 0xFFFFFFF0, -10, Integer.MAX_VALUE - 5})
    void ringIsFifoForEveryLength(int start) {
        LocalRunQueue q = newQueue(256);
        q.resetCounters(start);
        G[] g = gs(256);
        assertTrue(q.runqempty());
        assertNull(q.runqget());
        for (int len = 0; len <= 256; len++) {
            for (int j = 0; j < len; j++) {
                q.runqput(g[j], false);
            }
            assertEquals(len, q.size());
            assertEquals(256 - len, q.free());
            assertEquals(len == 0, q.runqempty());
            for (int j = 0; j < len; j++) {
                assertNull(q.runqgetRunnext(), "nothing in runnext: the G comes from the ring (a new slice)");
                assertSame(g[j], q.runqget(), "len " + len + " item " + j);
            }
            assertNull(q.runqget());
            assertTrue(q.runqempty());
        }
        assertEquals(256 * 257 / 2, q.stealer().tailCounter() - start, "tail counted every put across the wrap");
    }

    // ---- TestSchedLocalQueueSteal: every length, exact ceil(len/2), each G exactly once ----

    @ParameterizedTest
    @ValueSource(ints = {0, 0xFFFFFFF0, -10, Integer.MAX_VALUE - 5})
    void stealTakesCeilHalfOfEveryLengthAndLosesNothing(int start) {
        G[] g = gs(256);
        for (int len = 0; len <= 256; len++) {
            LocalRunQueue victim = newQueue(256);
            LocalRunQueue thief = newQueue(256);
            victim.resetCounters(start);
            thief.resetCounters(start + 7 * len); // thief rings wrap at other places
            for (int j = 0; j < len; j++) {
                victim.runqput(g[j], false);
            }
            int want = len - len / 2;
            G stolen = thief.runqsteal(victim.stealer(), false, steals);
            int[] seen = new int[256];
            if (len == 0) {
                assertNull(stolen);
                continue;
            }
            assertNotNull(stolen, "len " + len);
            assertEquals(want, steals.count, "steal count for len " + len);
            assertFalse(steals.runnext);
            // The thief runs the last copied G; the others are on its ring in FIFO order.
            assertSame(g[want - 1], stolen, "the thief returns the last G it copied");
            seen[stolen.index]++;
            assertEquals(want - 1, thief.size());
            assertEquals(len - want, victim.size());
            for (int j = 0; j < want - 1; j++) {
                G x = thief.runqget();
                assertSame(g[j], x, "thief ring order, len " + len);
                seen[x.index]++;
            }
            assertNull(thief.runqget());
            for (int j = want; j < len; j++) {
                G x = victim.runqget();
                assertSame(g[j], x, "victim keeps its newest Gs in order, len " + len);
                seen[x.index]++;
            }
            assertNull(victim.runqget());
            for (int j = 0; j < 256; j++) {
                assertEquals(j < len ? 1 : 0, seen[j], "G " + j + " taken exactly once, len " + len);
            }
        }
    }

    @Test
    void repeatedStealsHalveTheVictim() {
        // 256 -> 128 left -> 64 -> ... -> 1 -> 0: ceil halves each time.
        LocalRunQueue victim = newQueue(256);
        G[] g = gs(256);
        for (G x : g) {
            victim.runqput(x, false);
        }
        int len = 256;
        int next = 0;
        while (len > 0) {
            LocalRunQueue thief = newQueue(256);
            int want = len - len / 2;
            G s = thief.runqsteal(victim.stealer(), false, steals);
            assertEquals(want, steals.count);
            assertSame(g[next + want - 1], s);
            next += want;
            len -= want;
            assertEquals(len, victim.size());
        }
        assertNull(newQueue(256).runqsteal(victim.stealer(), true, steals));
    }

    // ---- runqputslow: 128 + 1 to the global queue, FIFO ----

    @ParameterizedTest
    @ValueSource(ints = {0, 0xFFFFFFF0, -10})
    void fullRingSpillsHalfPlusOneToGlobalInFifoOrder(int start) {
        GlobalRunQueue global = new GlobalRunQueue(128);
        LocalRunQueue q = newQueue(256, global);
        q.resetCounters(start);
        G[] g = gs(257);
        for (int i = 0; i < 256; i++) {
            q.runqput(g[i], false);
        }
        assertEquals(0, global.size());
        assertEquals(0, q.free());
        q.runqput(g[256], false); // ring full: runqputslow
        assertEquals(129, global.size(), "128 + 1 to the global queue");
        assertEquals(128, q.size());
        List<G> spilled = drainGlobal(global);
        assertEquals(129, spilled.size());
        for (int i = 0; i < 128; i++) {
            assertSame(g[i], spilled.get(i), "oldest half first, in order");
        }
        assertSame(g[256], spilled.get(128), "the new G last");
        for (int i = 128; i < 256; i++) {
            assertSame(g[i], q.runqget());
        }
        assertNull(q.runqget());
    }

    @Test
    void fullRingWithRunnextSpillsTheDisplacedRunnext() {
        GlobalRunQueue global = new GlobalRunQueue(2);
        LocalRunQueue q = newQueue(4, global);
        G[] g = gs(6);
        q.runqput(g[0], true); // runnext
        for (int i = 1; i <= 4; i++) {
            q.runqput(g[i], false); // ring full: 1 2 3 4
        }
        q.runqput(g[5], true); // runnext = 5; 0 kicked to the tail of a full ring -> spill 1 2 + 0
        assertSame(g[5], q.stealer().peekRunnext());
        List<G> spilled = drainGlobal(global);
        assertEquals(List.of(g[1], g[2], g[0]), spilled);
        assertSame(g[5], q.runqgetRunnext(), "runnext inherits the slice");
        assertSame(g[3], q.runqget());
        assertSame(g[4], q.runqget());
        assertNull(q.runqget());
    }

    @Test
    void capacityFourSpillsTwoPlusOneRepeatedly() {
        GlobalRunQueue global = new GlobalRunQueue(2);
        LocalRunQueue q = newQueue(4, global);
        q.resetCounters(0xFFFFFFF8); // wraps during the test
        G[] g = gs(100);
        for (G x : g) {
            q.runqput(x, false);
        }
        // Expected order from a sequential model: each spill is the ring's two oldest, then the new G.
        java.util.ArrayDeque<Integer> ring = new java.util.ArrayDeque<>();
        List<Integer> expectGlobal = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (ring.size() == 4) {
                expectGlobal.add(ring.poll());
                expectGlobal.add(ring.poll());
                expectGlobal.add(i);
            } else {
                ring.add(i);
            }
        }
        List<G> spilled = drainGlobal(global);
        List<Integer> got = new ArrayList<>();
        int[] seen = new int[100];
        for (G x : spilled) {
            got.add(x.index);
            seen[x.index]++;
        }
        assertEquals(expectGlobal, got, "global queue order: 2 oldest + the new G per spill, FIFO");
        assertEquals(List.copyOf(ring), drainIndexes(q), "the ring keeps the rest in order");
        for (Integer i : ring) {
            seen[i]++;
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(1, seen[i], "G " + i);
        }
        assertEquals(0, spilled.size() % 3, "each spill is capacity/2 + 1 = 3 Gs");
    }

    @Test
    void runqputslowRejectsANonFullRing() {
        LocalRunQueue q = newQueue(4);
        G[] g = gs(2);
        q.runqput(g[0], false);
        assertThrows(IllegalStateException.class, () -> q.runqputslow(g[1], q.stealer().headCounter(), q.stealer().tailCounter()));
    }

    // ---- runnext ----

    @Test
    void runnextDisplacementAndRunqgetOrder() {
        LocalRunQueue q = newQueue(256);
        G[] g = gs(4);
        q.runqput(g[0], true);
        assertSame(g[0], q.stealer().peekRunnext());
        assertEquals(0, q.size());
        q.runqput(g[1], true); // kicks g0 to the tail
        assertSame(g[1], q.stealer().peekRunnext());
        assertEquals(1, q.size());
        q.runqput(g[2], false);
        q.runqput(g[3], true); // kicks g1 to the tail
        // runnext first (inherits the slice), then the ring in FIFO order (new slices).
        assertSame(g[3], q.runqget());
        assertNull(q.runqgetRunnext(), "runqget took runnext first");
        assertSame(g[0], q.runqgetRing());
        assertSame(g[2], q.runqget());
        assertSame(g[1], q.runqget());
        assertNull(q.runqget());
        assertNull(q.runqgetRunnext());
        assertNull(q.runqgetRing());
        assertTrue(q.runqempty());
        // runqget's halves: runnext (inheritTime) only from runnext, the ring (new slice) only from the ring
        q.runqput(g[0], false);
        q.runqput(g[1], true);
        assertSame(g[0], q.runqgetRing());
        assertNull(q.runqgetRing());
        assertSame(g[1], q.runqgetRunnext());
    }

    @Test
    void runqemptySeesRunnext() {
        LocalRunQueue q = newQueue(4);
        G g = Gs.newG(0);
        q.runqput(g, true);
        assertFalse(q.runqempty(), "runnext alone makes the queue non-empty");
        assertEquals(0, q.size());
        q.runqget();
        assertTrue(q.runqempty());
    }

    // ---- stealing runnext ----

    @Test
    void runnextIsStolenOnlyWhenAllowedAndTheRingIsEmpty() {
        LocalRunQueue victim = newQueue(4);
        G[] g = gs(3);
        victim.runqput(g[0], true);

        LocalRunQueue thief = newQueue(4);
        assertNull(thief.runqsteal(victim.stealer(), false, steals), "stealRunNextG=false never takes runnext");
        assertSame(g[0], victim.stealer().peekRunnext());

        assertSame(g[0], thief.runqsteal(victim.stealer(), true, steals));
        assertTrue(steals.runnext);
        assertEquals(1, steals.count);
        assertNull(victim.stealer().peekRunnext());
        assertEquals(0, thief.size(), "the stolen runnext is returned, not queued");

        // With a non-empty ring the ring is stolen, runnext stays.
        victim.runqput(g[1], true);
        victim.runqput(g[2], false);
        assertSame(g[2], thief.runqsteal(victim.stealer(), true, steals));
        assertFalse(steals.runnext);
        assertSame(g[1], victim.stealer().peekRunnext());
        assertSame(g[1], victim.runqget());
        assertTrue(victim.runqempty());
        assertNull(thief.runqsteal(victim.stealer(), true, steals));
    }

    static LocalRunQueue queueOfP(boolean running, StealPause pause) {
        P pp = new P(0, 4, new GlobalRunQueue(2), pause, new PMetrics(false));
        pp.setStatus(running ? P.RUNNING : P.IDLE);
        return pp.local();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void runnextStealPausesOnlyWhenTheVictimIsRunning() {
        // Lower bound when running: a SPIN pause is exact, so the steal lasts at least the pause.
        LocalRunQueue running = queueOfP(true, new StealPause(20_000_000L, StealPause.Mode.SPIN));
        G g = Gs.newG(0);
        running.runqput(g, true);
        long t0 = System.nanoTime();
        assertSame(g, newQueue(4).runqsteal(running.stealer(), true, steals));
        assertTrue(System.nanoTime() - t0 >= 20_000_000L, "paused before stealing runnext of a running P");

        // Idle victim: no pause. The pause is 5 s, so a steal that paused would take >= 5 s;
        // 2.5 s leaves a wide margin for a busy machine.
        LocalRunQueue idle = queueOfP(false, new StealPause(5_000_000_000L, StealPause.Mode.SPIN));
        idle.runqput(g, true);
        t0 = System.nanoTime();
        assertSame(g, newQueue(4).runqsteal(idle.stealer(), true, steals));
        assertTrue(System.nanoTime() - t0 < 2_500_000_000L, "no pause when the victim P is idle");

        // No pause either when the ring is non-empty (the ring is stolen, runnext is not touched).
        LocalRunQueue busy = queueOfP(true, new StealPause(5_000_000_000L, StealPause.Mode.SPIN));
        busy.runqput(Gs.newG(1), true);
        busy.runqput(Gs.newG(2), false);
        t0 = System.nanoTime();
        assertEquals(2, newQueue(4).runqsteal(busy.stealer(), true, steals).index);
        assertTrue(System.nanoTime() - t0 < 2_500_000_000L, "no pause when the ring has Gs");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void ownerThatRunsRunnextDuringThePauseWinsAndTheThiefRetries() throws Exception {
        // The thief sleeps 200 ms before its CAS; the owner takes runnext meanwhile. Exactly one of
        // them must end up with the G (which one depends on thread start-up; either is correct).
        LocalRunQueue victim = queueOfP(true, new StealPause(200_000_000L, StealPause.Mode.PARK));
        G g = Gs.newG(0);
        victim.runqput(g, true);
        AtomicReference<G> thiefGot = new AtomicReference<>();
        AtomicInteger phase = new AtomicInteger();
        Thread thief = new Thread(() -> {
            phase.set(1);
            thiefGot.set(newQueue(4).runqsteal(victim.stealer(), true, steals));
        });
        thief.start();
        while (phase.get() == 0) {
            Thread.onSpinWait();
        }
        Thread.sleep(50);
        G ownerGot = victim.runqget();
        thief.join();
        assertTrue((ownerGot == g) ^ (thiefGot.get() == g), "runnext taken exactly once: owner "
                + ownerGot + ", thief " + thiefGot.get());
        assertTrue(victim.runqempty());
    }

    // ---- wrap-around near 2^32 ----

    @ParameterizedTest
    @ValueSource(ints = {4, 256})
    void countersWrapAroundTwoToThe32(int capacity) {
        for (int start : new int[] {0xFFFFFFF0, -10, -1, Integer.MAX_VALUE - 1}) {
            LocalRunQueue q = newQueue(capacity);
            q.resetCounters(start);
            G[] g = gs(3 * capacity);
            int next = 0;
            int expectTake = 0;
            // Cycle fill/half-drain/steal so that head and tail cross the wrap at several offsets.
            for (int round = 0; round < 40; round++) {
                int room = q.free();
                for (int i = 0; i < room; i++) {
                    q.runqput(g[next++ % g.length], false);
                }
                assertEquals(capacity, q.size());
                assertEquals(capacity, q.stealer().tailCounter() - q.stealer().headCounter(), "length across the wrap");
                LocalRunQueue thief = newQueue(capacity);
                G s = thief.runqsteal(q.stealer(), false, steals);
                int stolen = capacity / 2;
                assertEquals(stolen, steals.count);
                assertSame(g[(expectTake + stolen - 1) % g.length], s);
                for (int i = 0; i < stolen - 1; i++) {
                    assertSame(g[(expectTake + i) % g.length], thief.runqget());
                }
                expectTake += stolen;
                G x = q.runqget();
                assertSame(g[expectTake % g.length], x, "FIFO across the wrap, start " + start);
                expectTake++;
            }
            // The tail crossed 2^32 (as an unsigned counter) exactly when start + puts overflowed.
            long puts = Integer.toUnsignedLong(q.stealer().tailCounter() - start);
            assertEquals(next, puts);
            assertTrue(Integer.toUnsignedLong(start) + puts > 0xFFFFFFFFL || start == Integer.MAX_VALUE - 1,
                    "test actually crossed the unsigned wrap");
        }
    }

    @Test
    void resetCountersRejectsANonEmptyQueue() {
        LocalRunQueue q = newQueue(4);
        q.runqput(Gs.newG(0), true);
        assertThrows(IllegalStateException.class, () -> q.resetCounters(5));
    }

    @Test
    void badCapacityIsRejected() {
        for (int c : new int[] {0, 1, 3, 6, -4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LocalRunQueue(c, new GlobalRunQueue(1), null, StealPause.NONE));
            assertTrue(e.getMessage().contains(String.valueOf(c)), e.getMessage());
        }
    }

    // ---- TestSchedLocalQueueEmpty: runqempty is never spuriously true ----

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runqemptyIsNeverSpuriouslyTrue() throws Exception {
        // Go: RunSchedLocalQueueEmptyTest. The owner holds G0 (in runnext or the ring), then puts G1
        // (kicking G0 when both are "next") and takes one; meanwhile another thread asks runqempty,
        // which must be false throughout since at least one G is queued at every instant.
        final int iters = 20_000;
        LocalRunQueue q = newQueue(256);
        G[] g = gs(2);
        AtomicInteger ready = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread checker = new Thread(() -> {
            for (int i = 0; i < iters; i++) {
                // barrier 2: both arrive at 2i+2
                ready.incrementAndGet();
                while (ready.get() < 2 * i + 2) {
                    Thread.onSpinWait();
                }
                if (q.runqempty()) {
                    failure.compareAndSet(null, "iteration " + i + ": queue reported empty");
                }
                checks.incrementAndGet();
                // The next iteration's barrier (2i+4) needs the owner's next increment, which comes
                // after its next runqput of G0, so the check never sees the owner's final drain.
            }
        });
        checker.setDaemon(true);
        checker.start();
        for (int i = 0; i < iters; i++) {
            boolean next0 = (i & 1) == 0;
            boolean next1 = (i & 2) == 0;
            q.runqput(g[0], next0);
            ready.incrementAndGet();
            while (ready.get() < 2 * i + 2) {
                Thread.onSpinWait();
            }
            q.runqput(g[1], next1);
            assertNotNull(q.runqget());
            while (checks.get() < i + 1) {
                Thread.onSpinWait();
            }
            assertNotNull(q.runqget());
            assertTrue(q.runqempty());
        }
        checker.join(10_000);
        if (failure.get() != null) {
            fail(failure.get());
        }
        assertEquals(iters, checks.get());
    }
}
