package dev.gmpdefer.model.defer;

/**
 * HEAP: a new Java object per record, dropped for the GC after it runs: Go up to 1.12 for every defer,
 * where each deferproc pays {@code mallocgc} (the pools only sped up the allocator). Not allocation-free by
 * design.
 *
 * <p>Models panic.go: deferproc + {@code new(_defer)} (Go 1.12 and earlier, without the pools).
 */
final class HeapChain extends RecordChain {
    HeapChain(DeferAllocator alloc) {
        super(alloc);
    }

    @Override
    boolean defer(int pid, int d, int site, DeferFn fn, long arg) {
        DeferP p = ps[pid];
        p.lastMissed = true;
        p.localMisses++;
        p.allocated++;
        p.gets++;
        DeferRecord r = alloc.layout.newRecord();
        r.heap = true;
        push(r, d, fn, arg);
        return true;
    }

    @Override
    void freeHeap(int pid, DeferRecord r) {
        r.clear(); // dropped: the GC takes it
        ps[pid].puts++;
    }
}
