package dev.gmpdefer.model.defer;

/**
 * Go's two-level pool of heap {@code _defer} records, its policy written once: a bounded per-P local pool
 * ({@code p.deferpool}, capacity {@value #LOCAL_CAPACITY}) and the global list {@code sched.deferpool} under
 * {@code sched.deferlock}. Subclasses store the records (Java objects in {@link DeferPools}, off-heap slots
 * in {@link OffHeapDeferArena}) and move them between the two levels; when and how many is decided here.
 *
 * <p>Only the moves differ between stores; each runs under the lock exactly where Go's does (the spill's
 * batch is built before taking it).
 *
 * <p>Models panic.go: newdefer and freedefer (Go 1.22; the policy is the same since Go 1.13, read in
 * Go 1.19.8, 1.21.12 and 1.23-era panic.go), and mgc.go: clearpools:
 * <ul>
 *   <li>newdefer: if the local pool is empty and the global list looks non-empty (a racy read, as Go's
 *       {@code sched.deferpool != nil}), move records from the global list until the local pool holds half
 *       its capacity ({@value #HALF}), under the lock; then pop the newest local record, or allocate a new
 *       one when both were empty ({@link #beforeTake});</li>
 *   <li>freedefer: if the local pool is full, first move its newest half ({@value #HALF}) to the head of the
 *       global list as one linked batch under the lock; then push the freed record ({@link #beforeGive});</li>
 *   <li>clearpools (at every GC start): drop the global list; the local pools stay
 *       ({@link #clearpools()}).</li>
 * </ul>
 * Counters live in each {@link DeferP}; the owner P's thread writes them.
 */
abstract class TwoLevelPool {
    /** Capacity of a P's local pool ({@code len(p.deferpoolbuf)}). */
    static final int LOCAL_CAPACITY = 32;
    /** Half of it: the refill target and the spill size. */
    static final int HALF = LOCAL_CAPACITY / 2;

    final DeferP[] ps;
    /** {@code sched.deferlock}. */
    final DeferLock lock = new DeferLock();
    /**
     * Records on the global list. Written under the lock; read without it (volatile) as the emptiness hint
     * that Go takes from a racy read of {@code sched.deferpool != nil}.
     */
    private volatile int globalSize;

    TwoLevelPool(DeferP[] ps) {
        this.ps = ps;
    }

    // ---- the moves, per store; each runs under the lock ----

    /** Moves up to {@code max} records from the head of the global list into P {@code p}'s local pool; returns how many. */
    abstract int moveFromGlobal(DeferP p, int max);

    /**
     * Takes P {@code p}'s newest {@code count} local records out of its pool and links them, newest first,
     * into a batch the store keeps for that P. Runs without the lock, as Go builds the batch.
     */
    abstract void detachNewest(DeferP p, int count);

    /** Links P {@code p}'s detached batch in front of the global list. Runs under the lock. */
    abstract void spliceDetached(DeferP p);

    /** Drops every record on the global list (they become garbage, or free memory). */
    abstract void dropGlobal();

    /** Walks the global list and returns its length. */
    abstract int walkGlobal();

    // ---- the policy ----

    /**
     * newdefer's first half on P {@code p}: counts the hit or miss, refills an empty local pool from the
     * global list, and returns whether the local pool now has a record to pop (false: allocate one).
     * Executed only by the owner P.
     */
    final boolean beforeTake(DeferP p) {
        final boolean missed = p.n == 0;
        p.lastMissed = missed;
        if (!missed) {
            p.localHits++;
            return true;
        }
        p.localMisses++;
        if (globalSize != 0) {
            lock.lock();
            try {
                int moved = moveFromGlobal(p, HALF - p.n);
                if (moved > 0) {
                    globalSize = globalSize - moved;
                    p.refills++;
                    p.refillRecords += moved;
                }
            } finally {
                lock.unlock();
            }
        }
        return p.n > 0;
    }

    /**
     * freedefer's first half on P {@code p}: when the local pool is full, spills its newest half to the
     * global list, so that the caller can push the freed record. Executed only by the owner P.
     */
    final void beforeGive(DeferP p) {
        if (p.n == LOCAL_CAPACITY) {
            detachNewest(p, HALF);
            lock.lock();
            try {
                spliceDetached(p);
                globalSize = globalSize + HALF;
            } finally {
                lock.unlock();
            }
            p.spills++;
            p.spillRecords += HALF;
        }
    }

    /**
     * Drops the global list; the local pools keep their records. Models mgc.go: clearpools (the defer part:
     * {@code sched.deferpool = nil} under {@code sched.deferlock}). Called by the GC model at each cycle's
     * start, with the world stopped. Returns the records dropped. Can be executed by any P.
     */
    final int clearpools() {
        lock.lock();
        try {
            int n = globalSize;
            dropGlobal();
            globalSize = 0;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Records on the global list. Exact when no P is in a pool operation. Can be executed by any P. */
    final int globalSize() {
        return globalSize;
    }

    /** Walks the global list under the lock and returns its length (a check of {@link #globalSize()}). */
    final int countGlobal() {
        lock.lock();
        try {
            return walkGlobal();
        } finally {
            lock.unlock();
        }
    }
}
