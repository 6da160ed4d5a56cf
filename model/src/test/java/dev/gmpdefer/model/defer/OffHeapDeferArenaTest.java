package dev.gmpdefer.model.defer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.*;

/** The off-heap arena: no leak, stale-handle detection, bounds, exhaustion, release on close. */
class OffHeapDeferArenaTest {

    private static DeferAllocator small(int maxRecords) {
        return DeferAllocator.create(DeferStrategy.OFFHEAP, DeferLayout.GO122_48, 2, maxRecords);
    }

    @ParameterizedTest
    @EnumSource(DeferLayout.class)
    void noLeakAfterManyRounds(DeferLayout layout) {
        try (DeferAllocator a = DeferAllocator.create(DeferStrategy.OFFHEAP, layout, 2, 4096)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            for (int round = 0; round < 50; round++) {
                long sp = c.enterFrame();
                for (int i = 0; i < 1 + round * 7; i++) {
                    c.deferproc(round & 1, r, i);
                }
                c.deferreturn((round >> 1) & 1, sp);
                assertEquals(0, a.outstanding());
                DeferTestSupport.assertConserved(a);
            }
            assertEquals(a.allocated(), a.offHeapArena().recordsCreated());
            assertTrue(a.allocated() < 2 * 344 + 64, "records are reused, not leaked: " + a.allocated());
        }
    }

    @Test
    void doubleFreeIsDetectedAndNamesTheHandle() {
        try (DeferAllocator a = small(64)) {
            OffHeapDeferArena arena = a.offHeapArena();
            int h = arena.newdefer(0);
            arena.freedefer(0, h);
            DeferHandleException e = assertThrows(DeferHandleException.class, () -> arena.freedefer(0, h));
            assertEquals(h, e.handle());
            assertTrue(e.getMessage().contains("double free"), e.getMessage());
            assertTrue(e.getMessage().contains(Integer.toHexString(h)), e.getMessage());
            assertEquals(0, a.outstanding(), "the failed free changed nothing");
            assertEquals(1, a.localPoolSize(0));
        }
    }

    @Test
    void useAfterFreeIsDetectedEvenWhenTheSlotIsReused() {
        try (DeferAllocator a = small(64)) {
            OffHeapDeferArena arena = a.offHeapArena();
            int h1 = arena.newdefer(0);
            arena.init((h1 & OffHeapDeferArena.SLOT_MASK) - 1, 7, new Recorder(), 42, 0);
            assertEquals(42, arena.arg(h1));
            arena.freedefer(0, h1);
            DeferHandleException e = assertThrows(DeferHandleException.class, () -> arena.sp(h1));
            assertTrue(e.getMessage().contains("use after free"), e.getMessage());
            int h2 = arena.newdefer(0); // same slot, next generation
            assertEquals(h1 & OffHeapDeferArena.SLOT_MASK, h2 & OffHeapDeferArena.SLOT_MASK);
            assertNotEquals(h1, h2);
            arena.init((h2 & OffHeapDeferArena.SLOT_MASK) - 1, 9, new Recorder(), 43, 0);
            assertEquals(43, arena.arg(h2), "deferproc writes every word of a reused record");
            assertEquals(9, arena.sp(h2));
            assertThrows(DeferHandleException.class, () -> arena.arg(h1));
            assertThrows(DeferHandleException.class, () -> arena.freedefer(1, h1));
            arena.freedefer(1, h2);
            assertEquals(0, a.outstanding());
        }
    }

    @Test
    void generationWrapsAfter2048Reuses() {
        try (DeferAllocator a = small(64)) {
            OffHeapDeferArena arena = a.offHeapArena();
            int first = arena.newdefer(0);
            arena.freedefer(0, first);
            int h = 0;
            for (int i = 1; i < 2048; i++) {
                h = arena.newdefer(0);
                assertNotEquals(first, h, "reuse " + i);
                arena.freedefer(0, h);
            }
            assertEquals(first, arena.newdefer(0), "documented limit: generations are 11 bits");
        }
    }

    @Test
    void boundsChecksAreOnAndForgedHandlesRejected() {
        assertTrue(UnsafeBuffer.SHOULD_BOUNDS_CHECK, "Agrona bounds checks must stay on in tests");
        try (DeferAllocator a = small(64)) {
            OffHeapDeferArena arena = a.offHeapArena();
            int h = arena.newdefer(0);
            int beyond = (h & ~OffHeapDeferArena.SLOT_MASK) | 5000;
            assertThrows(IllegalArgumentException.class, () -> arena.sp(beyond));
            assertThrows(IllegalArgumentException.class, () -> arena.sp(0), "nil handle");
            assertThrows(IllegalArgumentException.class, () -> arena.freedefer(0, -1));
            int neverHandedOut = (h & ~OffHeapDeferArena.SLOT_MASK) | 40; // inside the region, never used
            assertThrows(IllegalArgumentException.class, () -> arena.sp(neverHandedOut));
            arena.freedefer(0, h);
        }
    }

    @Test
    void exhaustionIsAClearErrorAndLeavesTheArenaConsistent() {
        try (DeferAllocator a = small(40)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            long sp = c.enterFrame();
            for (int i = 0; i < 40; i++) {
                c.deferproc(0, r, i);
            }
            assertEquals(40, a.offHeapArena().recordsCreated());
            DeferArenaExhaustedException e = assertThrows(DeferArenaExhaustedException.class,
                    () -> c.deferproc(0, r, 99));
            assertTrue(e.getMessage().contains("exhausted") && e.getMessage().contains("40"), e.getMessage());
            assertEquals(40, a.outstanding());
            assertEquals(40, c.deferreturn(0, sp) + 0 * c.pending(), "the 41st defer was not registered");
            DeferTestSupport.assertLifo(r, 0, 0, 40);
            assertEquals(0, a.outstanding());
            DeferTestSupport.assertConserved(a);
            // Pooled records serve new defers again.
            sp = c.enterFrame();
            c.deferproc(0, r, 1);
            c.deferreturn(0, sp);
        }
    }

    @Test
    void closeReleasesAllMemory() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getMemoryUsed();
        DeferAllocator a = DeferAllocator.create(DeferStrategy.OFFHEAP, DeferLayout.GO114_72, 1, 8192);
        DeferChain c = a.newChain();
        Recorder r = new Recorder();
        long sp = c.enterFrame();
        for (int i = 0; i < 5000; i++) {
            c.deferproc(0, r, i);
        }
        int h = c.headHandle();
        OffHeapDeferArena arena = a.offHeapArena();
        long reserved = arena.reservedBytes();
        assertTrue(reserved >= 8192L * 72, "one region for all 8192 records: reserved " + reserved);
        assertTrue(direct.getMemoryUsed() - before >= 8192L * 72, "direct memory in use grew");
        c.deferreturn(0, sp);
        a.close();
        assertTrue(arena.isClosed());
        assertEquals(0, arena.reservedBytes());
        assertTrue(direct.getMemoryUsed() - before < 1024, "direct memory returned: " + (direct.getMemoryUsed() - before));
        assertThrows(IllegalArgumentException.class, () -> arena.sp(h), "handles die with the arena");
        a.close(); // idempotent
        // The pools still hold slots, but a fresh slot is refused once closed.
        try (DeferAllocator b = small(64)) {
            b.close();
            DeferChain cb = b.newChain();
            cb.enterFrame();
            assertThrows(IllegalStateException.class, () -> cb.deferproc(0, r, 0));
        }
    }
}
