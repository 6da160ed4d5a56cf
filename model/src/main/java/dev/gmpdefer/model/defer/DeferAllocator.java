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
    /** Default limit of off-heap records (12 MiB of 48-byte records, reserved when the arena is made). */
    public static final int DEFAULT_MAX_OFFHEAP_RECORDS = 1 << 18;

    final DeferStrategy strategy;
    final DeferLayout layout;
    final int nprocs;
    final DeferP[] ps;
    /** Pools of Java-heap records: POOLED and GO_COMPILER (its heap defers); null otherwise. */
    final DeferPools pools;
    /** OFFHEAP only; null otherwise. */
    final OffHeapDeferArena arena;

    /** {@link #pools} or {@link #arena}, whichever the strategy has; null for strategies without a pool. */
    private final TwoLevelPool pool;

    private DeferAllocator(DeferStrategy strategy, DeferLayout layout, int nprocs, int maxOffHeap) {
        if (nprocs <= 0) {
            throw new IllegalArgumentException("nprocs must be > 0: " + nprocs);
        }
        this.strategy = strategy;
        this.layout = layout;
        this.nprocs = nprocs;
        this.ps = new DeferP[nprocs];
        for (int i = 0; i < nprocs; i++) {
            ps[i] = new DeferP(i, strategy.pool);
        }
        this.pools = strategy.pool == DeferStrategy.Pool.HEAP_RECORDS ? new DeferPools(layout, ps) : null;
        this.arena = strategy.pool == DeferStrategy.Pool.OFFHEAP_SLOTS
                ? new OffHeapDeferArena(layout, ps, maxOffHeap) : null;
        this.pool = pools != null ? pools : arena;
    }

    /** An allocator for {@code nprocs} Ps with Go 1.22's 48-byte records. */
    public static DeferAllocator create(DeferStrategy strategy, int nprocs) {
        return create(strategy, DeferLayout.GO122_48, nprocs);
    }

    /** An allocator for {@code nprocs} Ps with the given record layout. */
    public static DeferAllocator create(DeferStrategy strategy, DeferLayout layout, int nprocs) {
        return new DeferAllocator(strategy, layout, nprocs, DEFAULT_MAX_OFFHEAP_RECORDS);
    }

    /** An allocator with an explicit limit of off-heap records (OFFHEAP; ignored by the other strategies). */
    public static DeferAllocator create(DeferStrategy strategy, DeferLayout layout, int nprocs,
                                        int maxOffHeapRecords) {
        return new DeferAllocator(strategy, layout, nprocs, maxOffHeapRecords);
    }

    /** A new, empty defer chain for one G ({@code g._defer = nil}), of the strategy's chain class. */
    public DeferChain newChain() {
        return strategy.newChain(this);
    }

    /**
     * Drops the global pool's records; the per-P pools keep theirs. Models mgc.go: clearpools (Go 1.22), which
     * gcStart calls with the world stopped; returns the records dropped (0 for strategies without a pool).
     * Can be executed by any P, but only while no P is in a defer operation (the world is stopped).
     */
    public int clearpools() {
        return pool == null ? 0 : pool.clearpools();
    }

    /**
     * Between two runs (no P runs): the free record memory goes back to the OS (its next spans are fresh
     * memory) and back in the order it was made ({@link DeferPools#orderFreeMemory}); a no-op for strategies
     * without Java-heap pools.
     */
    public void orderFreeMemory() {
        if (pools != null) {
            pools.orderFreeMemory();
        }
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

    // ---- counters ----

    /** Records created by newdefer: new heap objects or fresh off-heap slots (STACK arenas are not counted). */
    public long allocated() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.allocated;
        }
        return s;
    }

    /** Records created by newdefer on P {@code pid}. Executed only by the owner P (a plain read of its counter). */
    public long allocated(int pid) {
        return ps[pid].allocated;
    }

    /**
     * Spans of fresh memory (new, or given back to the OS between runs) that newdefer's allocations on P
     * {@code pid} started: each costs Go page faults ({@code DeferPools.refillSpan}). Executed only by the
     * owner P.
     */
    public long freshSpans(int pid) {
        return ps[pid].freshSpans;
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
        return pool == null ? 0 : pool.globalSize();
    }

    /** The global list's length counted by walking it under the lock (a cross-check of {@link #globalPoolSize()}). */
    public int countGlobalPool() {
        return pool == null ? 0 : pool.countGlobal();
    }

    /** Acquisitions of {@code sched.deferlock} that had to wait (spin, yield or sleep). */
    public long lockContentions() {
        return pool == null ? 0 : pool.lock.contended();
    }

    /**
     * {@code sched.deferlock}'s acquisitions, procyield rounds, osyields and futex sleeps, as
     * {acquisitions, spins, yields, sleeps}; zeros for strategies without a pool. Exact when no P is in a
     * pool operation.
     */
    public long[] lockStats() {
        if (pool == null) {
            return new long[4];
        }
        DeferLock.Stats s = pool.lock.stats();
        return new long[] {s.acquisitions(), s.spins(), s.yields(), s.sleeps()};
    }

    /** Records taken by chains so far (heap, pooled, off-heap and stack records), summed over Ps. */
    public long recordsTaken() {
        long s = 0;
        for (DeferP p : ps) {
            s += p.gets;
        }
        return s;
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
