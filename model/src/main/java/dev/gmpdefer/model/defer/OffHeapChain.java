package dev.gmpdefer.model.defer;

/**
 * OFFHEAP: the records of {@link PooledChain}'s policy, in the off-heap arena, linked by int handles;
 * {@code g._defer} is the newest record's handle. Each operation checks its handle once. Not in Go.
 *
 * <p>Models panic.go: deferproc -> newdefer, deferreturn -> popDefer -> freedefer (Go 1.22).
 */
final class OffHeapChain extends DeferChain {
    private final OffHeapDeferArena arena;
    /** {@code g._defer}: the newest record's handle, 0 = nil. */
    private int headHandle;

    OffHeapChain(DeferAllocator alloc) {
        super(alloc);
        this.arena = alloc.arena;
    }

    @Override
    boolean defer(int pid, int d, int site, DeferFn fn, long arg) {
        int h = arena.newdefer(pid);
        arena.init((h & OffHeapDeferArena.SLOT_MASK) - 1, frameSp[d], fn, arg, headHandle);
        headHandle = h;
        return ps[pid].lastMissed;
    }

    @Override
    int runFrame(int pid, int d, long sp) {
        int ran = 0;
        int h;
        while ((h = headHandle) != 0) {
            int slot = arena.checkLive(h, "deferreturn");
            if (arena.spAt(slot) != sp) {
                break;
            }
            DeferFn fn = arena.fnAt(slot);
            long arg = arena.argAt(slot);
            headHandle = arena.linkAt(slot);
            arena.freedeferSlot(pid, slot); // h was validated by checkLive above
            fn.run(arg);
            ran++;
        }
        return ran;
    }

    @Override
    boolean noRecords() {
        return headHandle == 0;
    }

    @Override
    public int pending() {
        int c = 0;
        for (int h = headHandle; h != 0; h = arena.linkAt(arena.checkLive(h, "pending"))) {
            c++;
        }
        return c;
    }

    @Override
    int headHandle() {
        return headHandle;
    }
}
