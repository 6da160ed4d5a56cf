package dev.gmpdefer.model.defer;

import java.util.Arrays;

/**
 * GO_COMPILER: per defer statement, what Go 1.22's compiler emits for the function's {@link FuncShape}:
 * open-coded slots for a function whose defers all qualify, else a stack record for a defer that runs at
 * most once per call, else a pooled heap record. The choice is static per site (the compiler's), read
 * from the shape; Go would have compiled different code at each site.
 *
 * <p>Models walk/stmt.go: walkStmt ODEFER and ssagen/ssa.go: buildssa / (*state).stmt ODEFER (the choice),
 * then panic.go: deferprocStack / deferproc (Go 1.22) and openDeferRecord / openDeferExit.
 */
final class CompilerChain extends RecordChain {
    private final DeferPools pools;
    private OpenFrame[] open = new OpenFrame[INITIAL_FRAMES];

    CompilerChain(DeferAllocator alloc) {
        super(alloc);
        this.pools = alloc.pools;
    }

    @Override
    void checkShape(FuncShape shape) {
        if (shape == null) {
            throw new IllegalArgumentException("enterFrame: GO_COMPILER needs the function's FuncShape");
        }
    }

    @Override
    void growFrames(int n) {
        super.growFrames(n);
        open = Arrays.copyOf(open, n);
    }

    @Override
    void frameEntered(int d) {
        super.frameEntered(d);
        if (frameShape[d].openCoded()) {
            OpenFrame f = open[d];
            if (f == null) {
                f = new OpenFrame(); // once per depth: part of the G's stack
                open[d] = f;
            }
            f.bits = 0;
        }
    }

    @Override
    boolean defer(int pid, int d, int site, DeferFn fn, long arg) {
        switch (frameShape[d].kind(site)) {
            case OPEN_CODED:
                open[d].record(site, fn, arg);
                return false;
            case STACK:
                pushStack(pid, d, fn, arg);
                return false;
            default:
                push(pools.newdefer(pid), d, fn, arg);
                return ps[pid].lastMissed;
        }
    }

    @Override
    int runFrame(int pid, int d, long sp) {
        int ran = frameShape[d].openCoded() ? open[d].exit() : 0;
        return ran + super.runFrame(pid, d, sp);
    }

    @Override
    void freeHeap(int pid, DeferRecord r) {
        pools.freedefer(pid, r);
    }

    @Override
    public int pending() {
        int c = super.pending();
        for (int d = 0; d < depth; d++) {
            if (frameShape[d].openCoded()) {
                c += open[d].pending();
            }
        }
        return c;
    }
}
