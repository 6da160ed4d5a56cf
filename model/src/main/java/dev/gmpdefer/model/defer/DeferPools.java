package dev.gmpdefer.model.defer;

/**
 * Go's two-level pool of Java-heap {@code _defer} records: a bounded per-P local pool and the global list
 * {@code sched.deferpool} under {@code sched.deferlock}.
 *
 * <p>Models panic.go: newdefer and freedefer (Go 1.22; the policy is the same since Go 1.13, read in
 * Go 1.21.12 and 1.23-era panic.go): the local pool has capacity 32; newdefer refills it up to half its
 * capacity (16) from the global list when it is empty, then pops the newest local record, and allocates
 * only when both were empty; freedefer, when the local pool is full, first moves 16 records (the newest
 * half) to the head of the global list as one linked batch under the lock, then pushes the freed record.
 *
 * <p>Not modelled: Go drops the global list at every GC start (mgc.go: clearpools); the model keeps it.
 */
final class DeferPools {
    /** Capacity of a P's local pool ({@code len(p.deferpoolbuf)}). */
    static final int LOCAL_CAPACITY = 32;
    /** Half of it: the refill target and the spill size. */
    static final int HALF = LOCAL_CAPACITY / 2;

    private final DeferLayout layout;
    private final DeferP[] ps;

    /** {@code sched.deferlock}. */
    final DeferLock lock = new DeferLock();
    /** {@code sched.deferpool}: guarded by {@link #lock}. */
    private DeferRecord globalHead;
    /**
     * Number of records on the global list. Written under the lock; read without it (volatile) as the
     * emptiness hint that Go takes from a racy read of {@code sched.deferpool != nil}.
     */
    private volatile int globalSize;

    DeferPools(DeferLayout layout, DeferP[] ps) {
        this.layout = layout;
        this.ps = ps;
    }

    /**
     * Takes a record for a defer on P {@code pid}. Models panic.go: newdefer (Go 1.22).
     * Executed only by the owner P.
     */
    DeferRecord newdefer(int pid) {
        final DeferP p = ps[pid];
        assert p.enter();
        final DeferRecord[] pool = p.pool;
        final boolean missed = p.n == 0;
        p.lastMissed = missed;
        if (missed) {
            p.localMisses++;
            if (globalSize != 0) {
                refill(p, pool);
            }
        }
        DeferRecord d;
        int n = p.n;
        if (n > 0) {
            n--;
            d = pool[n];
            pool[n] = null;
            p.n = n;
            if (!missed) {
                p.localHits++;
            }
        } else {
            d = layout.newRecord(); // new(_defer): both pools empty
            p.allocated++;
        }
        d.heap = true;
        p.gets++;
        assert p.exit();
        return d;
    }

    /** Moves up to {@link #HALF} records from the global list to an empty local pool. Executed only by the owner P. */
    private void refill(DeferP p, DeferRecord[] pool) {
        int n = p.n;
        lock.lock();
        try {
            DeferRecord g = globalHead;
            int moved = 0;
            while (n < HALF && g != null) {
                DeferRecord next = g.link;
                g.link = null;
                pool[n++] = g;
                g = next;
                moved++;
            }
            globalHead = g;
            if (moved > 0) {
                globalSize = globalSize - moved;
                p.refills++;
                p.refillRecords += moved;
            }
        } finally {
            lock.unlock();
        }
        p.n = n;
    }

    /**
     * Returns a heap record to P {@code pid}'s pool. Models panic.go: freedefer / popDefer (Go 1.22).
     * Executed only by the owner P (the P the G runs on now, not necessarily the one that allocated it).
     */
    void freedefer(int pid, DeferRecord d) {
        final DeferP p = ps[pid];
        assert p.enter();
        final DeferRecord[] pool = p.pool;
        int n = p.n;
        if (n == LOCAL_CAPACITY) {
            // Transfer half of the local cache to the central cache: the newest 16, linked first..last.
            DeferRecord first = null;
            DeferRecord last = null;
            while (n > HALF) {
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
            lock.lock();
            try {
                last.link = globalHead;
                globalHead = first;
                globalSize = globalSize + HALF;
            } finally {
                lock.unlock();
            }
            p.spills++;
            p.spillRecords += HALF;
        }
        d.clear(); // *d = _defer{}
        pool[n] = d;
        p.n = n + 1;
        p.puts++;
        assert p.exit();
    }

    /** Records on the global list. Exact when no P is in a pool operation. Can be executed by any P. */
    int globalSize() {
        return globalSize;
    }

    /** Walks the global list under the lock and returns its length (a check of {@link #globalSize()}). */
    int countGlobal() {
        lock.lock();
        try {
            int c = 0;
            for (DeferRecord g = globalHead; g != null; g = g.link) {
                c++;
            }
            return c;
        } finally {
            lock.unlock();
        }
    }
}
