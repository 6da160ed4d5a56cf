package dev.gmpdefer.model.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared helpers: register n defers in the frame structure each strategy supports. */
final class DeferTestSupport {
    private DeferTestSupport() {
    }

    /** The shape GO_COMPILER gets for n defers: straight-line up to 9, one defer in a loop beyond. */
    static FuncShape shapeFor(int n) {
        return n <= 9 ? FuncShape.straight(n, 1) : FuncShape.loop();
    }

    /**
     * Enters frames and registers defers with arguments base, base+1, ..., base+n-1, in that order. OPEN_CODED
     * frames hold at most 8 sites, so it nests ceil(n/8) frames; the others use one frame. Returns the
     * number of frames entered.
     */
    static int register(DeferChain c, int pid, int n, Recorder fn, long base) {
        DeferStrategy s = c.strategy();
        if (s == DeferStrategy.OPEN_CODED) {
            int frames = 0;
            for (int i = 0; i < n; i += 8) {
                c.enterFrame();
                frames++;
                for (int j = 0; j < 8 && i + j < n; j++) {
                    c.deferproc(pid, j, fn, base + i + j);
                }
            }
            return frames;
        }
        FuncShape shape = shapeFor(n);
        c.enterFrame(shape);
        for (int i = 0; i < n; i++) {
            c.deferproc(pid, shape.numDefers() == 1 ? 0 : i, fn, base + i);
        }
        return 1;
    }

    /** Returns from {@code frames} frames in order, on P {@code pid}; returns the calls run. */
    static int returnFrames(DeferChain c, int pid, int frames) {
        int ran = 0;
        for (int f = 0; f < frames; f++) {
            ran += c.deferreturn(pid, c.topSp());
        }
        return ran;
    }

    /** Asserts that the log holds base+n-1 down to base, each once. */
    static void assertLifo(Recorder r, int from, long base, int n) {
        assertEquals(from + n, r.n, "number of deferred calls");
        for (int i = 0; i < n; i++) {
            assertEquals(base + n - 1 - i, r.log[from + i], "call " + i + " of " + n);
        }
    }

    /** records created = local pools + global pool + held by chains (POOLED, OFFHEAP). */
    static void assertConserved(DeferAllocator a) {
        assertEquals(a.countGlobalPool(), a.globalPoolSize(), "global list length vs counter");
        assertEquals(a.allocated(), a.localPoolTotal() + a.globalPoolSize() + a.outstanding(),
                "conservation: allocated = local + global + outstanding; " + a);
    }
}
