package dev.gmpdefer.model.defer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.gmpdefer.model.defer.DeferTestSupport.assertConserved;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Go's newdefer/freedefer pool policy, step by step, for the two pooled strategies: the local pool never
 * exceeds 32, transfers are exactly 16 (a refill moves fewer only when the global list holds fewer),
 * refills happen only when the local pool is empty, records are created only when both pools are empty,
 * and records are conserved.
 */
class DeferPoolInvariantsTest {

    /** Runs after each record is freed (the record is freed before its call) and checks the local bound. */
    static final class BoundCheck implements DeferFn {
        final DeferAllocator a;
        int pid;
        int maxSeen;
        int calls;

        BoundCheck(DeferAllocator a) {
            this.a = a;
        }

        @Override
        public void run(long arg) {
            int n = a.localPoolSize(pid);
            maxSeen = Math.max(maxSeen, n);
            assertTrue(n <= 32, "local pool above 32: " + n);
            assertEquals(a.globalSpills() * 16, a.globalSpillRecords(), "every spill moves exactly 16");
            calls++;
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeferStrategy.class, names = {"POOLED", "OFFHEAP"})
    void policyStepByStep(DeferStrategy s) {
        try (DeferAllocator a = DeferAllocator.create(s, 2)) {
            DeferChain c = a.newChain();
            BoundCheck fn = new BoundCheck(a);

            // P0: 100 defers with both pools empty: every newdefer misses and creates a record.
            long sp = c.enterFrame();
            for (int i = 0; i < 100; i++) {
                assertTrue(c.deferproc(0, fn, i), "empty pools: newdefer reports the miss");
                assertTrue(a.lastNewdeferMissedLocal(0));
            }
            assertEquals(100, a.allocated());
            assertEquals(100, a.outstanding());
            assertEquals(0, a.globalRefills());
            assertConserved(a);

            // Return on P0: frees fill the local pool to 32, and every free into a full pool spills 16 first.
            // Frees 1-32 fill it; frees 33, 49, 65, 81, 97 spill: 5 spills, 80 global, 20 local.
            fn.pid = 0;
            assertEquals(100, c.deferreturn(0, sp));
            assertEquals(32, fn.maxSeen);
            assertEquals(5, a.globalSpills());
            assertEquals(80, a.globalSpillRecords());
            assertEquals(80, a.globalPoolSize());
            assertEquals(20, a.localPoolSize(0));
            assertEquals(0, a.outstanding());
            assertConserved(a);

            // P1 (empty local pool): 40 defers. A refill happens exactly when the local pool is empty,
            // moves 16, and nothing is allocated while the global list has records.
            sp = c.enterFrame();
            long refills = a.globalRefills();
            for (int i = 0; i < 40; i++) {
                int before = a.localPoolSize(1);
                boolean missed = c.deferproc(1, fn, i);
                assertEquals(before == 0, missed, "deferproc reports a miss iff the local pool was empty");
                long now = a.globalRefills();
                if (before == 0) {
                    assertEquals(refills + 1, now, "an empty local pool is refilled");
                } else {
                    assertEquals(refills, now, "no refill while the local pool has records");
                }
                refills = now;
                assertConserved(a);
            }
            assertEquals(3, a.globalRefills());
            assertEquals(48, a.globalRefillRecords(), "each refill moves exactly 16");
            assertEquals(100, a.allocated(), "no allocation while the global list had records");
            assertEquals(8, a.localPoolSize(1));
            assertEquals(32, a.globalPoolSize());
            assertEquals(37, a.localHits());

            // Drain the global list: P1 takes 8 local, then 16 + 16 from global, then both are empty.
            long sp2 = c.enterFrame();
            for (int i = 0; i < 8 + 32; i++) {
                c.deferproc(1, fn, i);
            }
            assertEquals(0, a.globalPoolSize());
            assertEquals(0, a.localPoolSize(1));
            assertEquals(100, a.allocated());
            assertTrue(c.deferproc(1, fn, 0));
            assertEquals(101, a.allocated(), "both pools empty: a new record");
            assertConserved(a);

            // Return both frames on P1 (81 frees): the bound and the transfer size hold throughout.
            // (The global list only ever changes by whole batches of 16 here, so every refill moves 16.)
            fn.pid = 1;
            c.deferreturn(1, sp2);
            c.deferreturn(1, sp);
            assertEquals(0, a.outstanding());
            assertConserved(a);
            assertTrue(fn.maxSeen <= 32);
            assertEquals(a.globalSpills() * 16, a.globalSpillRecords());
            assertEquals(a.globalRefills() * 16, a.globalRefillRecords());
        }
    }
}
