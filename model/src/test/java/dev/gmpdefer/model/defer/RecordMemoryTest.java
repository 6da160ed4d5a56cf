package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java objects behind heap records (issue 19): made once, by spans, and reused after clearpools; the
 * free memory and the global list put back in the order the records were made between runs.
 */
class RecordMemoryTest {

    @Test
    void recordsDroppedByClearpoolsAreReusedNotRemade() {
        try (DeferAllocator a = DeferAllocator.create(DeferStrategy.POOLED, 1)) {
            DeferChain c = a.newChain();
            long sp = c.enterFrame();
            for (int i = 0; i < 100; i++) {
                c.deferproc(0, x -> { }, i);
            }
            c.deferreturn(0, sp);
            assertEquals(80, a.clearpools(), "80 on the global list, 20 in the local pool");
            sp = c.enterFrame();
            for (int i = 0; i < 100; i++) {
                c.deferproc(0, x -> { }, i); // 20 from the local pool, then new(_defer) 80 times
            }
            c.deferreturn(0, sp);
            assertEquals(180, a.allocated(), "for Go's GC, 80 more records were allocated");
            // the first span (170 made at once) served the first 100 and 70 of these; the last 10 came from
            // a span's worth of the records clearpools dropped: nothing new was made
            assertEquals(1, a.pools.ps[0].freshSpans);
            assertEquals(1, a.pools.ps[0].sweptSpans);
        }
    }

    @Test
    void betweenRunsTheGlobalListIsInTheOrderTheRecordsWereMade() {
        try (DeferAllocator a = DeferAllocator.create(DeferStrategy.POOLED, 2)) {
            DeferChain c = a.newChain();
            long sp = c.enterFrame();
            for (int i = 0; i < 300; i++) {
                c.deferproc(i % 2, x -> { }, i); // on both Ps: the pools interleave the records
            }
            c.deferreturn(1, sp);
            List<DeferRecord> before = a.pools.globalForTest();
            a.orderFreeMemory();
            List<DeferRecord> after = a.pools.globalForTest();
            assertEquals(before.size(), after.size());
            assertTrue(after.containsAll(before), "the same records");
            for (int i = 1; i < after.size(); i++) {
                assertTrue(a.pools.madeIndexForTest(after.get(i - 1)) < a.pools.madeIndexForTest(after.get(i)),
                        "in the order made, at " + i);
            }
            assertEquals(a.globalPoolSize(), a.countGlobalPool(), "the count still matches the list");
        }
    }

    @Test
    void memoryFreedBetweenRunsComesBackAsFreshSpansMemoryFreedInARunAsSweptOnes() {
        try (DeferAllocator a = DeferAllocator.create(DeferStrategy.POOLED, 1)) {
            DeferChain c = a.newChain();
            long sp = c.enterFrame();
            for (int i = 0; i < 400; i++) {
                c.deferproc(0, x -> { }, i); // 3 fresh spans (170 each)
            }
            c.deferreturn(0, sp);
            assertEquals(3, a.freshSpans(0));
            a.clearpools();
            a.orderFreeMemory(); // between runs: the free memory goes back to the OS (FreeOSMemory)
            sp = c.enterFrame();
            for (int i = 0; i < 400; i++) {
                c.deferproc(0, x -> { }, i);
            }
            assertEquals(0, a.pools.ps[0].sweptSpans, "memory given back to the OS is never a swept span");
            long fresh = a.freshSpans(0);
            assertTrue(fresh > 3, "its spans fault in again: " + fresh);
            c.deferreturn(0, sp);
            a.clearpools(); // a cycle inside a run: the memory stays the process's
            sp = c.enterFrame();
            for (int i = 0; i < 400; i++) {
                c.deferproc(0, x -> { }, i);
            }
            c.deferreturn(0, sp);
            assertTrue(a.pools.ps[0].sweptSpans > 0, "a span the GC freed in the run is swept and reused");
        }
    }
}
