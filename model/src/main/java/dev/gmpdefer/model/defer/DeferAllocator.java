package dev.gmpdefer.model.defer;

/**
 * The defer machinery shared by the Gs of one scheduler: the strategy, the record layout, the per-P defer
 * state for {@code nprocs} Ps, the global pool ({@code sched.deferpool} / {@code sched.deferlock}) and,
 * for OFFHEAP, the off-heap arena. Each G gets its own {@link DeferChain} from {@link #newChain()}.
 *
 * <p>Models the defer-related parts of runtime2.go: type p ({@code deferpool}, {@code deferpoolbuf}) and
 * type schedt ({@code deferlock}, {@code deferpool}) (Go 1.22).
 *
 * <p>Counters are kept per P and summed on read: each P's counters are written only by the thread running
 * that P, so the sums are exact when no P is inside a defer operation (after the threads joined) and
 * approximate while they run. {@link #outstanding()} counts records (heap, pooled, off-heap, stack) held
 * by chains; open-coded defers have no record and are not counted.
 */
public final class DeferAllocator implements AutoCloseable {
    /** Default records per off-heap slab. */
    public static final int DEFAULT_SLAB_RECORDS = 1024;
    /** Default limit of off-heap records (12 MiB of 48-byte records). */
    public static final int DEFAULT_MAX_OFFHEAP_RECORDS = 1 << 18;

    final DeferStrategy strategy;
    final DeferLayout layout;
    final int nprocs;
    final DeferP[] ps;
    /** Pools of Java-heap records: POOLED and GO_COMPILER (its heap defers); null otherwise. */
    final DeferPools pools;
    /** OFFHEAP only; null otherwise. */
    final OffHeapDeferArena arena;

    private DeferAllocator(DeferStrategy strategy, DeferLayout layout, int nprocs, int slabRecords, int maxOffHeap) {
        if (nprocs <= 0) {
            throw new IllegalArgumentException("nprocs must be > 0: " + nprocs);
        }
        this.strategy = strategy;
        this.layout = layout;
        this.nprocs = nprocs;
        boolean offHeap = strategy == DeferStrategy.OFFHEAP;
        boolean pooled = strategy == DeferStrategy.POOLED || strategy == DeferStrategy.GO_COMPILER || offHeap;
        this.ps = new DeferP[nprocs];
        for (int i = 0; i < nprocs; i++) {
            ps[i] = new DeferP(i, DeferPools.LOCAL_CAPACITY, offHeap, pooled);
        }
        this.pools = pooled && !offHeap ? new DeferPools(layout, ps) : null;
        this.arena = offHeap ? new OffHeapDeferArena(layout, ps, slabRecords, maxOffHeap) : null;
    }

    /** An allocator for {@code nprocs} Ps with Go 1.22's 48-byte records. */
    public static DeferAllocator create(DeferStrategy strategy, int nprocs) {
        return create(strategy, DeferLayout.GO122_48, nprocs);
    }

    /** An allocator for {@code nprocs} Ps with the given record layout. */
    public static DeferAllocator create(DeferStrategy strategy, DeferLayout layout, int nprocs) {
        return new DeferAllocator(strategy, layout, nprocs, DEFAULT_SLAB_RECORDS, DEFAULT_MAX_OFFHEAP_RECORDS);
    }

    /**
     * An OFFHEAP-capable allocator with explicit slab size (a power of two) and record limit; for other
     * strategies the two sizes are ignored.
     */
    public static DeferAllocator create(DeferStrategy strategy, DeferLayout layout, int nprocs,
                                        int slabRecords, int maxOffHeapRecords) {
        return new DeferAllocator(strategy, layout, nprocs, slabRecords, maxOffHeapRecords);
    }

    /** A new, empty defer chain for one G ({@code g._defer = nil}). */
    public DeferChain newChain() {
        return new DeferChain(this);
    }

    /** The strategy. */
    public DeferStrategy strategy() {
        return strategy;
    }

    /** The record layout. */
    public DeferLayout layout() {
        return layout;
    }

    /** Number of Ps. */
    public int nprocs() {
        return nprocs;
    }

    /** The off-heap arena (OFFHEAP only, else null). */
    public OffHeapDeferArena offHeapArena() {
        return arena;
    }

    // ---- the C9 hook: a flag, no scheduler coupling ----

    /**
     * Whether the last newdefer on P {@code pid} found the P's local pool empty (HEAP: always, since it
     * has no pool). A hypothetical scheduler variant (claim C9) may read it after deferproc; the defer
     * code itself never acts on it. Executed only by the owner P.
     */
    public boolean lastNewdeferMissedLocal(int pid) {
        return ps[pid].lastMissed;
    }

    /** newdefer calls on P {@code pid} that found its local pool empty. Can be executed by any P (racy). */
    public long localMisses(int pid) {
        return ps[pid].localMisses;
    }

    // ---- HEAP and STACK bookkeeping (the pools keep their own) ----

    /** Models mallocgc for {@code new(_defer)} with no pool (Go 1.12 and earlier). Executed only by the owner P. */
    DeferRecord heapNewdefer(int pid) {
        DeferP p = ps[pid];
        p.lastMissed = true;
        p.localMisses++;
        p.allocated++;
        p.gets++;
        DeferRecord d = layout.newRecord();
        d.heap = true;
        return d;
    }

    // ---- counters ----

    /** Records created by newdefer: new heap objects or fresh off-heap slots (STACK arenas are not counted). */
    public long allocated() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.allocated;
        }
        return s;
    }

    /** newdefer calls served from a non-empty local pool. */
    public long localHits() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.localHits;
        }
        return s;
    }

    /** newdefer calls that found the local pool empty (HEAP: all). */
    public long localMisses() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.localMisses;
        }
        return s;
    }

    /** Refills of a local pool from the global pool. */
    public long globalRefills() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.refills;
        }
        return s;
    }

    /** Records moved by refills. */
    public long globalRefillRecords() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.refillRecords;
        }
        return s;
    }

    /** Spills of a full local pool to the global pool. */
    public long globalSpills() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.spills;
        }
        return s;
    }

    /** Records moved by spills. */
    public long globalSpillRecords() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.spillRecords;
        }
        return s;
    }

    /** Records held by chains now (taken and not yet released), summed over Ps. */
    public long outstanding() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.gets - p.puts;
        }
        return s;
    }

    /** Records in P {@code pid}'s local pool. */
    public int localPoolSize(int pid) {
        return ps[pid].n;
    }

    /** Records in all local pools. */
    public long localPoolTotal() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.n;
        }
        return s;
    }

    /** Records on the global list (0 for strategies without pools). */
    public int globalPoolSize() {
        return pools != null ? pools.globalSize() : arena != null ? arena.globalSize() : 0;
    }

    /** The global list's length counted by walking it under the lock (a cross-check of {@link #globalPoolSize()}). */
    public int countGlobalPool() {
        return pools != null ? pools.countGlobal() : arena != null ? arena.countGlobal() : 0;
    }

    /** Acquisitions of {@code sched.deferlock} that had to wait. */
    public long lockContentions() {
        return pools != null ? pools.lock.contended() : arena != null ? arena.lock.contended() : 0;
    }

    /** Releases off-heap memory (OFFHEAP); a no-op for the other strategies. Idempotent. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "DeferAllocator{" + strategy + ", " + layout + ", nprocs=" + nprocs + ", allocated=" + allocated()
                + ", outstanding=" + outstanding() + ", local=" + localPoolTotal() + ", global=" + globalPoolSize()
                + ", refills=" + globalRefills() + ", spills=" + globalSpills() + "}";
    }
}
