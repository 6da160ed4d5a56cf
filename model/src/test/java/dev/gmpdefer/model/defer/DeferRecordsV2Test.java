package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defer records v2: each strategy is its own chain class, clearpools drops only the global list, the
 * open-coded frame is straight-line slots and bits, and sched.deferlock excludes and counts like Go's lock.
 */
class DeferRecordsV2Test {

    @Test
    void everyStrategyHasItsOwnChainClass() {
        Set<Class<?>> classes = new HashSet<>();
        for (DeferStrategy s : DeferStrategy.values()) {
            try (DeferAllocator a = DeferAllocator.create(s, 1)) {
                DeferChain c = a.newChain();
                assertEquals(s, c.strategy());
                classes.add(c.getClass());
            }
        }
        assertEquals(DeferStrategy.values().length, classes.size(), "one chain class per strategy: " + classes);
    }

    /** Fills P 0's local pool and spills twice, so that both levels hold records. */
    private static void fillBothLevels(DeferAllocator a, DeferChain c, Recorder r) {
        long sp = c.enterFrame(FuncShape.loop());
        for (int i = 0; i < 80; i++) {
            c.deferproc(0, 0, r, i);
        }
        c.deferreturn(0, sp);
    }

    @ParameterizedTest
    @EnumSource(value = DeferStrategy.class, names = {"POOLED", "OFFHEAP", "GO_COMPILER"})
    void clearpoolsDropsTheGlobalListAndKeepsTheLocalPools(DeferStrategy s) {
        try (DeferAllocator a = DeferAllocator.create(s, DeferLayout.GO122_48, 2)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            fillBothLevels(a, c, r);
            int local = a.localPoolSize(0);
            int global = a.globalPoolSize();
            assertTrue(local > 0 && global > 0, "both levels hold records: local " + local + ", global " + global);
            assertEquals(global, a.clearpools());
            assertEquals(0, a.globalPoolSize());
            assertEquals(0, a.countGlobalPool());
            assertEquals(local, a.localPoolSize(0), "the per-P pools are kept, as in Go");
            assertEquals(0, a.clearpools(), "nothing left to drop");
            // After the cycle, P 1 (empty local pool) allocates: nothing to refill from.
            long before = a.allocated();
            long sp = c.enterFrame(FuncShape.loop());
            c.deferproc(1, 0, r, 7);
            assertEquals(before + 1, a.allocated(), "a new record: the global list is gone");
            c.deferreturn(1, sp);
            assertEquals(0, a.outstanding());
        }
    }

    @Test
    void offHeapSlotsDroppedByClearpoolsAreReusedBeforeFreshOnes() {
        try (DeferAllocator a = DeferAllocator.create(DeferStrategy.OFFHEAP, DeferLayout.GO122_48, 2, 128)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            fillBothLevels(a, c, r);
            int created = a.offHeapArena().recordsCreated();
            int dropped = a.clearpools();
            assertTrue(dropped > 0);
            long sp = c.enterFrame(FuncShape.loop());
            for (int i = 0; i < dropped; i++) {
                c.deferproc(1, 0, r, i);
            }
            assertEquals(created, a.offHeapArena().recordsCreated(), "the region's dropped slots came back first");
            c.deferreturn(1, sp);
            assertEquals(0, a.outstanding());
        }
    }

    @Test
    void clearpoolsWithoutAPoolDropsNothing() {
        for (DeferStrategy s : new DeferStrategy[] {DeferStrategy.HEAP, DeferStrategy.STACK, DeferStrategy.OPEN_CODED}) {
            try (DeferAllocator a = DeferAllocator.create(s, 1)) {
                assertEquals(0, a.clearpools());
            }
        }
    }

    @Test
    void openFrameRunsTheSetBitsLastToFirstAndClearsEachBeforeItsCall() {
        OpenFrame f = new OpenFrame();
        long[] seen = new long[8];
        int[] bitsSeen = new int[8];
        int[] k = {0};
        DeferFn fn = arg -> {
            seen[k[0]] = arg;
            bitsSeen[k[0]] = f.bits;
            k[0]++;
        };
        f.record(0, fn, 10);
        f.record(3, fn, 13);
        f.record(7, fn, 17);
        assertEquals(0b1000_1001, f.bits);
        assertEquals(3, f.exit());
        assertArrayEquals(new long[] {17, 13, 10}, java.util.Arrays.copyOf(seen, 3));
        // deferBits &^= 1<<i before the call: a panic inside the call would not run it again
        assertArrayEquals(new int[] {0b0000_1001, 0b0000_0001, 0}, java.util.Arrays.copyOf(bitsSeen, 3));
        assertEquals(0, f.bits);
        assertEquals(0, f.exit(), "nothing runs twice");
        f.record(2, fn, 1);
        assertThrows(IllegalStateException.class, () -> f.record(2, fn, 1), "a site at most once per frame");
        assertThrows(IllegalStateException.class, () -> f.record(8, fn, 1), "at most 8 sites");
    }

    @Test
    void openCodedCodeCanWriteTheFrameDirectly() {
        try (DeferAllocator a = DeferAllocator.create(DeferStrategy.OPEN_CODED, 1)) {
            OpenCodedChain c = (OpenCodedChain) a.newChain();
            Recorder r = new Recorder();
            long sp = c.enterFrame();
            OpenFrame f = c.frame();
            for (int i = 0; i < 8; i++) {
                f.record(i, r, i);
            }
            assertEquals(8, c.pending());
            assertEquals(8, c.deferreturn(0, sp));
            DeferTestSupport.assertLifo(r, 0, 0, 8);
            assertTrue(c.isEmpty());
            assertEquals(0, a.allocated(), "no record at all");
        }
    }

    @Test
    void deferLockExcludesAndCountsEveryAcquisition() throws Exception {
        DeferLock lock = new DeferLock();
        int threads = 4;
        int rounds = 20_000;
        long[] counter = {0};
        AtomicLong inside = new AtomicLong();
        Thread[] ts = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        lock.lock();
                        try {
                            if (inside.incrementAndGet() != 1) {
                                throw new AssertionError("two holders at once");
                            }
                            counter[0]++;
                            if ((i & 255) == 0) {
                                Thread.yield(); // hold it a while, so that others spin, yield and sleep
                            }
                            inside.decrementAndGet();
                        } finally {
                            lock.unlock();
                        }
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        assertEquals((long) threads * rounds, counter[0], "no lost update: mutual exclusion");
        DeferLock.Stats s = lock.stats();
        assertEquals((long) threads * rounds, s.acquisitions());
        assertTrue(s.spins() >= 0 && s.yields() >= 0 && s.sleeps() >= 0);
        assertEquals(s, lock.stats(), "reading the counters does not count");
        assertThrows(IllegalStateException.class, lock::unlock, "unlock of unlocked lock");
    }

    @Test
    void aSleeperIsWokenByUnlock() throws Exception {
        DeferLock lock = new DeferLock();
        lock.lock();
        Thread waiter = new Thread(() -> {
            lock.lock();
            lock.unlock();
        });
        waiter.start();
        // wait until the waiter has given up spinning and sleeps (key = SLEEPING), then release
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lock.keyForTest() != DeferLock.SLEEPING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(DeferLock.SLEEPING, lock.keyForTest(), "the waiter went to sleep on the key");
        lock.unlock(); // unlock2 sees SLEEPING and wakes it
        waiter.join(10_000);
        assertTrue(!waiter.isAlive(), "the sleeper was woken");
        DeferLock.Stats s = lock.stats();
        assertEquals(2, s.acquisitions());
        assertNotEquals(0, s.sleeps());
    }
}
