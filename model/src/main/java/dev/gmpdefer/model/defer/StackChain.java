package dev.gmpdefer.model.defer;

/**
 * STACK: every record lives in its frame, linked onto {@code g._defer} by deferprocStack and unlinked by
 * deferreturn; no pool, no allocation.
 *
 * <p>Models panic.go: deferprocStack (Go 1.13+). Go uses it only for defers that run at most once per
 * call; the model also accepts defers in loops (the frame's records grow), which Go's fixed-size frames
 * cannot.
 */
final class StackChain extends RecordChain {
    StackChain(DeferAllocator alloc) {
        super(alloc);
    }

    @Override
    boolean defer(int pid, int d, int site, DeferFn fn, long arg) {
        pushStack(pid, d, fn, arg);
        return false;
    }

    @Override
    void freeHeap(int pid, DeferRecord r) {
        throw new IllegalStateException("STACK chain holds a heap record");
    }
}
