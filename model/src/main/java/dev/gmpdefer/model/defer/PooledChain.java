package dev.gmpdefer.model.defer;

/**
 * POOLED: every defer gets a heap record from the two-level pool, as Go 1.13+'s deferproc does for the
 * defers the compiler cannot put on the stack or open-code (defers in loops, more than 8, ...).
 *
 * <p>Models panic.go: deferproc -> newdefer, popDefer -> freedefer (Go 1.22), through {@link DeferPools}.
 */
final class PooledChain extends RecordChain {
    private final DeferPools pools;

    PooledChain(DeferAllocator alloc) {
        super(alloc);
        this.pools = alloc.pools;
    }

    @Override
    boolean defer(int pid, int d, int site, DeferFn fn, long arg) {
        push(pools.newdefer(pid), d, fn, arg);
        return ps[pid].lastMissed;
    }

    @Override
    void freeHeap(int pid, DeferRecord r) {
        pools.freedefer(pid, r);
    }
}
