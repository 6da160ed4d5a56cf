package dev.gmpdefer.bench.defer;

import dev.gmpdefer.model.defer.DeferChain;
import dev.gmpdefer.model.defer.OpenCodedChain;
import dev.gmpdefer.model.defer.OpenFrame;
import org.openjdk.jmh.annotations.CompilerControl;
import dev.gmpdefer.model.defer.DeferFn;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;

/**
 * The simulated Go function the defer benchmarks call: it defers {@code n} calls and returns. Shared so that
 * every benchmark calls it the same way.
 *
 * <p>Shape: up to 9 defers are straight-line statements (Go open-codes 1..8, stack-allocates 9); beyond
 * that one defer statement sits in a loop (Go: pooled heap records). OPEN_CODED cannot hold more than 8
 * sites in a frame, so for n > 8 it nests ceil(n/8) frames of at most 8 defers each, which is how a Go
 * program would have to be written to keep them open-coded.
 */
final class DeferCalls {
    private DeferCalls() {
    }

    /** The shape the benchmarks declare for a call with {@code n} defers. */
    static FuncShape shapeFor(int n) {
        return n <= 9 ? FuncShape.straight(n, 1) : FuncShape.loop();
    }

    /** A deferred function with an observable effect that the JIT cannot remove. */
    static final class Sink implements DeferFn {
        long acc;

        @Override
        public void run(long arg) {
            acc += arg;
        }
    }

    /**
     * One call with {@code n} defers: enter, defer n times on P {@code pid}, return on P {@code retPid}.
     * Returns the number of deferred calls run.
     */
    static int call(DeferChain c, DeferStrategy s, FuncShape shape, int n, DeferFn fn, int pid, int retPid) {
        if (s == DeferStrategy.OPEN_CODED) {
            return n > 8 ? nestedOpen((OpenCodedChain) c, n, fn, retPid) : openCoded((OpenCodedChain) c, n, fn, retPid);
        }
        long sp = c.enterFrame(shape);
        if (shape.inLoop(0)) {
            for (int i = 0; i < n; i++) {
                c.deferproc(pid, 0, fn, i);
            }
        } else {
            for (int i = 0; i < n; i++) {
                c.deferproc(pid, i, fn, i);
            }
        }
        return c.deferreturn(retPid, sp);
    }

    /**
     * A function with {@code n <= 8} open-coded defers, written as the compiler emits it: each defer
     * statement stores its closure in the frame's slot and sets its bit (openDeferRecord), the return runs
     * the set bits last to first (openDeferExit, through deferreturn's frame pop).
     */
    private static int openCoded(OpenCodedChain c, int n, DeferFn fn, int retPid) {
        long sp = c.enterFrame();
        OpenFrame f = c.frame();
        for (int i = 0; i < n; i++) {
            f.record(i, fn, i);
        }
        return c.deferreturn(retPid, sp);
    }

    private static int nestedOpen(OpenCodedChain c, int n, DeferFn fn, int retPid) {
        int frames = 0;
        for (int i = 0; i < n; i += 8) {
            c.enterFrame();
            frames++;
            OpenFrame f = c.frame();
            int k = Math.min(8, n - i);
            for (int j = 0; j < k; j++) {
                f.record(j, fn, i + j);
            }
        }
        int ran = 0;
        for (int f = 0; f < frames; f++) {
            ran += c.deferreturn(retPid, c.topSp());
        }
        return ran;
    }

    /**
     * The plain call the baseline makes instead of a defer: the same function, called where the JIT may not
     * inline it, as Go's defer benchmarks compare with a real function call (CL 202340: 4.4 ns).
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void plainCall(Sink fn, long arg) {
        fn.run(arg);
    }
}
