package dev.gmpdefer.model.defer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.gmpdefer.model.defer.DeferTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** LIFO order and exactly-once execution, normal return and panic path, every strategy and layout. */
class DeferChainTest {
    static final int[] LENGTHS = {1, 2, 8, 9, 17, 33, 100, 1000, 10_000};

    static Stream<Arguments> strategiesAndLengths() {
        List<Arguments> l = new ArrayList<>();
        for (DeferStrategy s : DeferStrategy.values()) {
            for (DeferLayout layout : DeferLayout.values()) {
                for (int n : LENGTHS) {
                    l.add(Arguments.of(s, layout, n));
                }
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("strategiesAndLengths")
    void normalReturnRunsFrameNewestFirstExactlyOnce(DeferStrategy s, DeferLayout layout, int n) {
        try (DeferAllocator a = DeferAllocator.create(s, layout, 1)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            int frames = register(c, 0, n, r, 1000);
            assertEquals(n, c.pending());
            assertEquals(0, r.n, "nothing runs before return");
            assertEquals(n, returnFrames(c, 0, frames));
            assertLifo(r, 0, 1000, n);
            assertTrue(c.isEmpty());
            assertEquals(0, a.outstanding());
            // Second round reuses pooled records and must behave the same.
            r.reset();
            frames = register(c, 0, n, r, 5);
            returnFrames(c, 0, frames);
            assertLifo(r, 0, 5, n);
            assertEquals(0, a.outstanding());
            if (s == DeferStrategy.POOLED || s == DeferStrategy.OFFHEAP) {
                assertConserved(a);
                assertEquals(n, a.allocated(), "second round allocates nothing");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("strategiesAndLengths")
    void panicRunsEveryFrameNewestFirstExactlyOnce(DeferStrategy s, DeferLayout layout, int n) {
        try (DeferAllocator a = DeferAllocator.create(s, layout, 1)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            // Three nested calls, each deferring about a third: all of them run at the panic.
            int third = Math.max(1, n / 3);
            int done = 0;
            int frames = 0;
            while (done < n) {
                int k = Math.min(third, n - done);
                frames += register(c, 0, k, r, done);
                done += k;
            }
            assertEquals(frames, c.depth());
            assertEquals(n, c.gopanic(0));
            assertLifo(r, 0, 0, n);
            assertTrue(c.isEmpty());
            assertEquals(0, a.outstanding());
        }
    }

    @ParameterizedTest
    @EnumSource(DeferStrategy.class)
    void returnRunsOnlyTheInnermostFrame(DeferStrategy s) {
        try (DeferAllocator a = DeferAllocator.create(s, 1)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            long outer = c.enterFrame(FuncShape.straight(3, 1));
            for (int i = 0; i < 3; i++) {
                c.deferproc(0, i, r, 10 + i);
            }
            long inner = c.enterFrame(FuncShape.straight(2, 1));
            c.deferproc(0, 0, r, 20);
            c.deferproc(0, 1, r, 21);
            assertThrows(IllegalStateException.class, () -> c.deferreturn(0, outer), "outer is not innermost");
            assertEquals(2, c.deferreturn(0, inner));
            assertArrayEquals(new long[] {21, 20}, r.calls());
            assertEquals(3, c.pending());
            assertEquals(3, c.deferreturn(0, outer));
            assertArrayEquals(new long[] {21, 20, 12, 11, 10}, r.calls());
            assertTrue(c.isEmpty());
            assertEquals(0, a.outstanding());
        }
    }

    /** A G that migrates: defers registered on P0 run (and their records are freed) on P1. */
    @ParameterizedTest
    @EnumSource(DeferStrategy.class)
    void migrationBetweenRegisterAndReturn(DeferStrategy s) {
        try (DeferAllocator a = DeferAllocator.create(s, 2)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            for (int round = 0; round < 20; round++) {
                int from = round & 1;
                int to = from ^ 1;
                int frames = register(c, from, 40, r, round * 100L);
                returnFrames(c, to, frames);
                assertLifo(r, round * 40, round * 100L, 40);
                assertEquals(0, a.outstanding());
                if (s == DeferStrategy.POOLED || s == DeferStrategy.OFFHEAP) {
                    assertConserved(a);
                }
            }
        }
    }

    /** A deferred call that itself defers (in its own frame) while the outer frame's defers run. */
    @ParameterizedTest
    @EnumSource(DeferStrategy.class)
    void deferredCallMayDeferInItsOwnFrame(DeferStrategy s) {
        try (DeferAllocator a = DeferAllocator.create(s, 1)) {
            DeferChain c = a.newChain();
            Recorder r = new Recorder();
            DeferFn nested = arg -> {
                long sp = c.enterFrame(FuncShape.straight(2, 1));
                c.deferproc(0, 0, r, arg * 10);
                c.deferproc(0, 1, r, arg * 10 + 1);
                c.deferreturn(0, sp);
            };
            long sp = c.enterFrame(FuncShape.straight(3, 1));
            c.deferproc(0, 0, r, 1);
            c.deferproc(0, 1, nested, 5);
            c.deferproc(0, 2, r, 3);
            assertEquals(3, c.deferreturn(0, sp));
            assertArrayEquals(new long[] {3, 51, 50, 1}, r.calls());
            assertTrue(c.isEmpty());
            assertEquals(0, a.outstanding());
        }
    }

    @Test
    void openCodedFrameRejectsMoreThanEightSitesAndRepeatedSites() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.OPEN_CODED, 1);
        DeferChain c = a.newChain();
        Recorder r = new Recorder();
        c.enterFrame();
        assertThrows(IllegalStateException.class, () -> c.deferproc(0, 8, r, 0));
        c.deferproc(0, 3, r, 0);
        assertThrows(IllegalStateException.class, () -> c.deferproc(0, 3, r, 0));
    }

    @Test
    void openCodedBitsRunHighestSiteFirst() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.OPEN_CODED, 1);
        DeferChain c = a.newChain();
        Recorder r = new Recorder();
        long sp = c.enterFrame();
        // A conditional defer: sites 0, 2 and 5 execute, sites 1, 3, 4 are skipped.
        c.deferproc(0, 0, r, 0);
        c.deferproc(0, 2, r, 2);
        c.deferproc(0, 5, r, 5);
        assertEquals(3, c.deferreturn(0, sp));
        assertArrayEquals(new long[] {5, 2, 0}, r.calls());
    }

    @Test
    void misuseIsReported() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.GO_COMPILER, 1);
        DeferChain c = a.newChain();
        assertThrows(IllegalArgumentException.class, c::enterFrame, "GO_COMPILER needs a shape");
        assertThrows(IllegalStateException.class, () -> c.deferproc(0, new Recorder(), 0), "no frame");
        assertThrows(IllegalStateException.class, () -> c.deferreturn(0, 1), "no frame");
        assertThrows(NullPointerException.class, () -> {
            c.enterFrame(FuncShape.loop());
            c.deferproc(0, 0, null, 0);
        });
    }

    @Test
    void heapStrategyAllocatesEveryRecordAndAlwaysMissesThePool() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.HEAP, 1);
        DeferChain c = a.newChain();
        Recorder r = new Recorder();
        for (int round = 0; round < 3; round++) {
            long sp = c.enterFrame();
            for (int i = 0; i < 10; i++) {
                assertTrue(c.deferproc(0, r, i), "HEAP has no pool: newdefer always misses");
            }
            c.deferreturn(0, sp);
        }
        assertEquals(30, a.allocated());
        assertEquals(30, a.localMisses());
        assertEquals(0, a.outstanding());
        assertTrue(a.lastNewdeferMissedLocal(0));
    }

    @Test
    void stackRecordsNeverTouchThePools() {
        DeferAllocator a = DeferAllocator.create(DeferStrategy.STACK, 1);
        DeferChain c = a.newChain();
        Recorder r = new Recorder();
        long sp = c.enterFrame();
        for (int i = 0; i < 100; i++) {
            assertFalse(c.deferproc(0, r, i));
        }
        assertEquals(100, a.outstanding());
        c.deferreturn(0, sp);
        assertEquals(0, a.allocated());
        assertEquals(0, a.localMisses() + a.localHits() + a.globalRefills() + a.globalSpills());
        assertEquals(0, a.outstanding());
    }
}
