package dev.gmpdefer.model.sched;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The global queue: globrunqget's batch formula, FIFO order, putHead, putBatch (proc.go, Go 1.21). */
class GlobalRunQueueTest {

    /** Go's formula written independently: min(size/gomaxprocs + 1, size, max if max > 0, cap/2). */
    @Test
    void batchSizeKnownValues() {
        assertEquals(0, GlobalRunQueue.batchSize(0, 4, 0, 256));
        assertEquals(1, GlobalRunQueue.batchSize(1, 1, 0, 256), "size caps size/procs+1");
        assertEquals(3, GlobalRunQueue.batchSize(10, 4, 0, 256), "10/4 + 1");
        assertEquals(26, GlobalRunQueue.batchSize(100, 4, 0, 256));
        assertEquals(1, GlobalRunQueue.batchSize(100, 4, 1, 256), "fairness pick: max = 1");
        assertEquals(5, GlobalRunQueue.batchSize(100, 4, 5, 256));
        assertEquals(128, GlobalRunQueue.batchSize(1000, 1, 0, 256), "cap/2 = 128");
        assertEquals(128, GlobalRunQueue.batchSize(1000, 4, 0, 256));
        assertEquals(2, GlobalRunQueue.batchSize(3, 1, 0, 4), "cap 4 -> at most 2");
        assertEquals(1, GlobalRunQueue.batchSize(3, 8, 0, 256), "3/8 + 1");
    }

    /**
     * globrunqget's batch (proc.go, Go 1.21): n = runqsize/gomaxprocs + 1, then at most runqsize, at most
     * max when max > 0, at most len(runq)/2. Each row was worked out by hand from those four steps, one row
     * per step that decides (not computed by a copy of the formula): {size, procs, max, cap, n}.
     */
    @Test
    void batchSizeWorkedByHand() {
        int[][] rows = {
            // size/procs + 1 decides
            {7, 2, 0, 256, 4},      // 7/2 = 3, + 1 = 4; 4 <= 7, no max, 4 <= 128
            {9, 9, 0, 256, 2},      // 9/9 + 1 = 2
            {17, 8, 0, 256, 3},     // 17/8 = 2, + 1 = 3
            {255, 2, 0, 256, 128},  // 255/2 + 1 = 128 = 256/2: both give 128
            // runqsize decides: fewer Gs than size/procs + 1
            {1, 1, 0, 256, 1},      // 1/1 + 1 = 2 > 1 -> 1
            {2, 1, 0, 256, 2},      // 2/1 + 1 = 3 > 2 -> 2
            {5, 1, 0, 16, 5},       // 5 + 1 = 6 > 5 -> 5; 5 <= 16/2 = 8
            // max decides (the fairness pick passes 1)
            {100, 4, 1, 256, 1},    // 26 -> max 1
            {40, 2, 7, 256, 7},     // 40/2 + 1 = 21 -> max 7
            {3, 1, 7, 256, 3},      // 3 + 1 = 4 > 3 -> 3; 3 <= 7
            // half the ring decides
            {600, 1, 0, 256, 128},  // 601 -> 600 -> 128
            {600, 1, 200, 256, 128},// 601 -> 600 -> max 200 -> 128
            {10, 1, 0, 4, 2},       // 11 -> 10 -> 4/2 = 2
            {9, 2, 0, 16, 5},       // 9/2 + 1 = 5 <= 8
            {30, 2, 0, 16, 8},      // 30/2 + 1 = 16 -> 16/2 = 8
            // nothing there
            {0, 1, 0, 256, 0},      // 0/1 + 1 = 1 > 0 -> 0
            {0, 3, 1, 4, 0},
        };
        for (int[] r : rows) {
            assertEquals(r[4], GlobalRunQueue.batchSize(r[0], r[1], r[2], r[3]),
                    "size " + r[0] + " procs " + r[1] + " max " + r[2] + " cap " + r[3]);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlobalRunQueue.batchSize(5, 0, 0, 256));
        assertTrue(e.getMessage().contains("gomaxprocs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GlobalRunQueue(0));
        assertTrue(e.getMessage().contains("maxBatch"), e.getMessage());
    }

    @Test
    void getReturnsTheFirstAndPutsTheRestOnTheLocalTailInOrder() {
        GlobalRunQueue global = new GlobalRunQueue(128);
        G[] g = Gs.newGs(10);
        for (G x : g) {
            global.put(x);
        }
        assertEquals(10, global.size());
        LocalRunQueue local = RunQueueTest.newQueue(256, global);
        assertSame(g[0], global.get(local, 4, 0, 256)); // n = 10/4 + 1 = 3
        assertEquals(7, global.size());
        assertEquals(2, local.size());
        assertNull(local.stealer().peekRunnext(), "the batch goes to the ring, not runnext");
        assertSame(g[1], local.runqget());
        assertSame(g[2], local.runqget());
        assertNull(local.runqget());
        // Fairness pick: one G, nothing on the local ring.
        assertSame(g[3], global.get(local, 4, 1, 256));
        assertEquals(0, local.size());
        // The rest, in FIFO order, in batches of size/1 + 1 capped by size and cap/2 = 2.
        List<G> rest = new ArrayList<>();
        LocalRunQueue small = RunQueueTest.newQueue(4, global);
        for (G x; (x = global.get(small, 1, 0, 4)) != null; ) {
            rest.add(x);
            for (G y; (y = small.runqget()) != null; ) {
                rest.add(y);
            }
        }
        assertEquals(List.of(g[4], g[5], g[6], g[7], g[8], g[9]), rest);
        assertEquals(0, global.size());
        assertNull(global.get(local, 1, 0, 256));
    }

    @Test
    void getIntoAFullRingSpillsBackWithoutLosingAnything() {
        // Go never calls globrunqget(max = 0) with a full ring, but if it did, runqput would spill
        // under the (reentrant) lock. Conservation must hold.
        GlobalRunQueue global = new GlobalRunQueue(2);
        LocalRunQueue local = RunQueueTest.newQueue(4, global);
        G[] g = Gs.newGs(14);
        for (int i = 0; i < 4; i++) {
            local.runqput(g[i], false);
        }
        for (int i = 4; i < 14; i++) {
            global.put(g[i]);
        }
        // n = min(10/1 + 1, 10, 4/2) = 2: returns g4, puts g5 on a full ring -> spill g0 g1 g5.
        assertSame(g[4], global.get(local, 1, 0, 4));
        assertEquals(10 - 2 + 3, global.size(), "10 - the batch of 2 + the spill of 2 + 1");
        List<Integer> order = new ArrayList<>();
        for (G x; (x = global.get(RunQueueTest.newQueue(256), 1, 1, 256)) != null; ) {
            order.add(x.index);
        }
        assertEquals(List.of(6, 7, 8, 9, 10, 11, 12, 13, 0, 1, 5), order);
        assertEquals(List.of(2, 3), RunQueueTest.drainIndexes(local));
    }

    @Test
    void batchIsNotBoundedByTheConstructorsMaxBatch() {
        // Regression: get() used to stage the batch in a scratch array of length maxBatch, which
        // overflowed (after size had been decremented) when maxBatch < ringCapacity/2.
        GlobalRunQueue global = new GlobalRunQueue(1);
        G[] g = Gs.newGs(10);
        for (G x : g) {
            global.put(x);
        }
        LocalRunQueue local = RunQueueTest.newQueue(256, global);
        assertSame(g[0], global.get(local, 1, 0, 256)); // n = min(11, 10, 128) = 10
        assertEquals(0, global.size());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), RunQueueTest.drainIndexes(local));
    }

    @Test
    void putHeadAndPutBatch() {
        GlobalRunQueue global = new GlobalRunQueue(128);
        G[] g = Gs.newGs(6);
        global.putHead(g[0]); // empty queue: head and tail
        global.put(g[1]);
        global.putHead(g[2]);
        global.putBatch(new G[] {g[3], g[4], g[5]}, 2); // only the first two
        global.putBatch(new G[0], 0);
        assertEquals(5, global.size());
        List<Integer> order = new ArrayList<>();
        for (G x; (x = global.get(RunQueueTest.newQueue(256), 1, 1, 256)) != null; ) {
            order.add(x.index);
            assertNull(x.schedlink, "pop clears the link");
        }
        assertEquals(List.of(2, 0, 1, 3, 4), order);
    }
}
