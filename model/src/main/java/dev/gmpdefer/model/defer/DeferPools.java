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
        this.spanObjects = SPAN_BYTES / ((layout.size + 15) / 16 * 16);
    }

    /** malloc.go: the span size of the small size classes of a record (8 KiB). */
    static final int SPAN_BYTES = 8 << 10;

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
            d = mallocRecord(p); // new(_defer): both pools empty
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
        DeferRecord h = globalHead;
        globalHead = null; // the records become garbage for Go's GC ...
        if (h != null) {
            synchronized (freed) {
                freed.addLast(h); // ... and their memory free for the next new(_defer)
            }
        }
    }

    // ---- the records' memory: Go's heap for the record's size class, as the JVM sees it ----

    /**
     * Heads of the record lists that clearpools dropped (each linked through {@code link}): memory Go's
     * GC freed and the sweeper hands back to mallocgc. Guarded by itself (mcentral's lock).
     */
    private final java.util.ArrayDeque<DeferRecord> freed = new java.util.ArrayDeque<>();
    /**
     * Record lists whose memory went back to the OS between runs ({@link #orderFreeMemory}): reused, but
     * as fresh spans (the pages fault in again). Guarded by {@link #freed}.
     */
    private final java.util.ArrayDeque<DeferRecord> scavenged = new java.util.ArrayDeque<>();
    /** Records in one 8 KiB span of the record's size class (48 B: 170; 72 B in the 80 B class: 102). */
    private final int spanObjects;
    /** Every heap record made, in the order made: the JVM's address order of the records. Guarded by {@link #freed}. */
    private DeferRecord[] all = new DeferRecord[1024];
    private int allN;

    /** Test hook: the global list's records, head first. */
    java.util.List<DeferRecord> globalForTest() {
        java.util.List<DeferRecord> l = new java.util.ArrayList<>();
        for (DeferRecord r = globalHead; r != null; r = r.link) {
            l.add(r);
        }
        return l;
    }

    /** Test hook: the position of {@code r} in the order records were made; -1 when not made here. */
    int madeIndexForTest(DeferRecord r) {
        synchronized (freed) {
            for (int i = 0; i < allN; i++) {
                if (all[i] == r) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Between two runs (no P runs): the free record memory is returned to the OS, as realgo's
     * {@code debug.FreeOSMemory} before each run does, so the next run's spans from it are fresh memory
     * (page faults: {@link #refillSpan} counts them as fresh spans); and the free memory and the global pool
     * are put back in the order the records were made. Go's allocator hands out a span's free slots in
     * address order, so a run of a Go program allocates its records from memory laid out in order; the model
     * reuses Java objects in the order the pools and clearpools left them, which scatters them more with
     * every run (ArticleGosched's defer runs took 10-30 % more M CPU in the third measured run than in the
     * first of a fork, issue 19). The relinking has no Go counterpart: it keeps the JVM's memory layout from
     * drifting across runs. Not timed as part of a run (the scheduler calls it before the run starts,
     * through Workload.beforeRun).
     */
    void orderFreeMemory() {
        lock.lock();
        try {
            synchronized (freed) {
                for (DeferRecord r = globalHead; r != null; r = r.link) {
                    r.ordering = true;
                }
                globalHead = relinkMarkedInOrder();
                for (java.util.ArrayDeque<DeferRecord> q : java.util.List.of(freed, scavenged)) {
                    for (DeferRecord h : q) {
                        for (DeferRecord r = h; r != null; r = r.link) {
                            r.ordering = true;
                        }
                    }
                    q.clear();
                }
                DeferRecord f = relinkMarkedInOrder();
                if (f != null) {
                    scavenged.addLast(f);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Links the marked records in the order they were made, unmarking them; returns the head (null: none). */
    private DeferRecord relinkMarkedInOrder() {
        DeferRecord first = null;
        DeferRecord last = null;
        for (int i = 0; i < allN; i++) {
            DeferRecord r = all[i];
            if (r.ordering) {
                r.ordering = false;
                if (first == null) {
                    first = r;
                } else {
                    last.link = r;
                }
                last = r;
            }
        }
        if (last != null) {
            last.link = null;
        }
        return first;
    }

    /**
     * {@code new(_defer)}'s memory on P {@code p}: the next free slot of the P's span; an empty span is
     * refilled with up to a span's worth of records from the memory clearpools freed (sweeping it), or
     * with fresh records when none is free. Models malloc.go: mallocgc's small-object path (nextFreeFast,
     * mcache.refill -> mcentral.cacheSpan, which sweeps a span or gets a new one from mheap) for the
     * record's size class. In the JVM, a record object is made once and then reused, as Go reuses the
     * heap's memory, so the Java heap has no record garbage and its collector has nothing to collect
     * in a measured run (issue 19); for Go's GC the record is still a new allocation (the caller charges
     * mallocgc). Executed only by the owner P.
     */
    private DeferRecord mallocRecord(DeferP p) {
        DeferRecord d = p.span;
        if (d == null) {
            d = refillSpan(p);
        }
        p.span = d.link;
        d.link = null;
        return d;
    }

    private DeferRecord refillSpan(DeferP p) {
        int n = spanObjects;
        DeferRecord first;
        boolean swept;
        synchronized (freed) {
            swept = !freed.isEmpty();
            first = takeSpan(swept ? freed : scavenged, n);
        }
        if (first != null) {
            if (swept) {
                p.sweptSpans++; // mcentral.cacheSpan: a span the GC freed, swept and reused
            } else {
                p.freshSpans++; // memory given back to the OS: mheap.alloc, the pages fault in again
            }
            return first;
        }
        DeferRecord[] span = new DeferRecord[n];
        for (int i = n - 1; i >= 0; i--) {
            DeferRecord r = layout.newRecord();
            span[i] = r;
            r.link = first;
            first = r;
        }
        synchronized (freed) {
            if (allN + n > all.length) {
                all = java.util.Arrays.copyOf(all, Math.max(all.length * 2, allN + n));
            }
            System.arraycopy(span, 0, all, allN, n);
            allN += n;
        }
        p.freshSpans++;
        return first;
    }

    /** Unlinks up to {@code n} records from the head of the first list of {@code q}; null when q is empty. */
    private static DeferRecord takeSpan(java.util.ArrayDeque<DeferRecord> q, int n) {
        DeferRecord h = q.pollFirst();
        if (h == null) {
            return null;
        }
        DeferRecord last = h;
        for (int i = 1; i < n && last.link != null; i++) {
            last = last.link;
        }
        DeferRecord rest = last.link;
        last.link = null;
        if (rest != null) {
            q.addFirst(rest);
        }
        return h;
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
