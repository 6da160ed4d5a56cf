package dev.gmpdefer.model.defer;

/**
 * {@link TwoLevelPool} of Java-heap {@code _defer} records (POOLED, and GO_COMPILER's heap defers): each P's
 * local pool is a {@code DeferRecord[32]}, the global list is linked through the records' {@code link}
 * fields, as Go links {@code sched.deferpool} through {@code d.link}.
 *
 * <p>Models panic.go: newdefer / freedefer (Go 1.22); the policy is {@link TwoLevelPool}'s.
 */
final class DeferPools extends TwoLevelPool {
    private final DeferLayout layout;
    /** {@code sched.deferpool}: guarded by {@link #lock}. */
    private DeferRecord globalHead;
    /** Per P: the spill batch between {@link #detachNewest} and {@link #spliceDetached}; owned by that P. */
    private final DeferRecord[] batchFirst;
    private final DeferRecord[] batchLast;

    DeferPools(DeferLayout layout, DeferP[] ps) {
        super(ps);
        this.layout = layout;
        this.batchFirst = new DeferRecord[ps.length];
        this.batchLast = new DeferRecord[ps.length];
    }

    /**
     * Takes a record for a defer on P {@code pid}. Models panic.go: newdefer (Go 1.22).
     * Executed only by the owner P.
     */
    DeferRecord newdefer(int pid) {
        final DeferP p = ps[pid];
        assert p.enter();
        DeferRecord d;
        if (beforeTake(p)) {
            int n = p.n - 1;
            d = p.pool[n];
            p.pool[n] = null;
            p.n = n;
        } else {
            d = layout.newRecord(); // new(_defer): both pools empty
            p.allocated++;
        }
        d.heap = true;
        p.gets++;
        assert p.exit();
        return d;
    }

    /**
     * Returns a heap record to P {@code pid}'s pool. Models panic.go: freedefer / popDefer (Go 1.22).
     * Executed only by the owner P (the P the G runs on now, not necessarily the one that allocated it).
     */
    void freedefer(int pid, DeferRecord d) {
        final DeferP p = ps[pid];
        assert p.enter();
        beforeGive(p);
        d.clear(); // *d = _defer{}
        p.pool[p.n++] = d;
        p.puts++;
        assert p.exit();
    }

    @Override
    int moveFromGlobal(DeferP p, int max) {
        DeferRecord[] pool = p.pool;
        int n = p.n;
        DeferRecord g = globalHead;
        int moved = 0;
        while (moved < max && g != null) {
            DeferRecord next = g.link;
            g.link = null;
            pool[n++] = g;
            g = next;
            moved++;
        }
        globalHead = g;
        p.n = n;
        return moved;
    }

    @Override
    void detachNewest(DeferP p, int count) {
        DeferRecord[] pool = p.pool;
        int n = p.n;
        DeferRecord first = null;
        DeferRecord last = null;
        for (int i = 0; i < count; i++) {
            n--;
            DeferRecord x = pool[n];
            pool[n] = null;
            if (first == null) {
                first = x;
            } else {
                last.link = x;
            }
            last = x;
        }
        p.n = n;
        batchFirst[p.id] = first;
        batchLast[p.id] = last;
    }

    @Override
    void spliceDetached(DeferP p) {
        DeferRecord first = batchFirst[p.id];
        DeferRecord last = batchLast[p.id];
        batchFirst[p.id] = null;
        batchLast[p.id] = null;
        last.link = globalHead;
        globalHead = first;
    }

    @Override
    void dropGlobal() {
        globalHead = null; // the records become garbage, as Go's do
    }

    @Override
    int walkGlobal() {
        int c = 0;
        for (DeferRecord g = globalHead; g != null; g = g.link) {
            c++;
        }
        return c;
    }
}
