package dev.gmpdefer.model.sched;

/**
 * The owner's handle on a P's local run queue: the operations Go documents as "Executed only by the
 * owner P." Its P keeps it private and hands thieves the {@link StealRunQueue} over the same state
 * ({@link #stealer()}), a separate type with no owner operation (Tokio's queue.rs: {@code Local} and
 * {@code Steal} over one {@code Inner}). Owner operations assert the owner thread once one is bound
 * ({@link #bindOwner}); tests run with {@code -ea}.
 *
 * <p>Models proc.go (Go 1.21): runqput, runqputslow, runqget, runqsteal. The state and its memory
 * ordering are described in {@link RunQueueState}. Results are return values: {@link #runqgetRunnext}
 * and {@link #runqgetRing} are runqget's two halves, so the caller knows inheritTime from which one
 * answered, and {@link #runqsteal} reports what it moved to a {@link StealObserver}.
 */
public final class LocalRunQueue {
    private final RunQueueState q;
    private final StealRunQueue stealer;
    /** Where runqputslow sends half of a full ring. */
    private final GlobalRunQueue global;
    /** Owner-only scratch for runqputslow: capacity/2 + 1 slots, so the hot path allocates nothing. */
    private final G[] slowBatch;
    /** Thread allowed to call owner operations; null until bound (tests drive queues from one thread). */
    private volatile Thread ownerThread;

    /**
     * A new, empty queue and its thieves' handle.
     *
     * @param capacity ring size, a power of two >= 2 (Go: 256)
     * @param global   the global queue that {@code runqputslow} spills into
     * @param owner    the P owning this queue (may be null in unit tests; then it is never "running")
     * @param pause    pause before stealing runnext from a running P
     */
    public LocalRunQueue(int capacity, GlobalRunQueue global, P owner, StealPause pause) {
        this.q = new RunQueueState(capacity, owner, pause);
        this.stealer = new StealRunQueue(q);
        this.global = global;
        this.slowBatch = new G[capacity / 2 + 1];
    }

    /** The thieves' handle on this queue (the same one every time). */
    public StealRunQueue stealer() {
        return stealer;
    }

    /** Binds owner operations to {@code t} (checked with assertions). */
    public void bindOwner(Thread t) {
        ownerThread = t;
    }

    private boolean assertOwner() {
        Thread t = ownerThread;
        return t == null || t == Thread.currentThread();
    }

    /** Test hook: starts both counters at {@code start}, to exercise the 2^32 wrap. Only on an empty queue. */
    public void resetCounters(int start) {
        if (q.lpTail() != q.laHead() || q.loRunnext() != null) {
            throw new IllegalStateException("resetCounters: queue not empty");
        }
        q.svCounters(start);
    }

    public int capacity() {
        return q.capacity;
    }

    /**
     * Tries to put {@code gp} on the local runnable queue. With {@code next}, {@code gp} goes into
     * runnext and the G it displaces (if any) is kicked to the tail; otherwise {@code gp} goes to the
     * tail. A full ring spills half of itself to the global queue.
     * Models proc.go: runqput (Go 1.21). Executed only by the owner P.
     */
    public void runqput(G gp, boolean next) {
        assert assertOwner() : "runqput: not the owner";
        put(gp, next);
    }

    /**
     * runqput on a stopped P's queue, by the thread that stopped the world (injectglist's runqputbatch
     * from gcMarkDone): the owner is stopped, so this is the queue's only writer. Models proc.go:
     * runqputbatch (Go 1.21), one G at a time. Executed only with the owner P stopped.
     */
    void runqputWorldStopped(G gp) {
        put(gp, false);
    }

    private void put(G gp, boolean next) {
        final RunQueueState q = this.q;
        if (next) {
            G old;
            do {
                old = q.loRunnext();
            } while (!q.casRunnext(old, gp)); // a thief may have CASed it to null meanwhile: re-read
            if (old == null) {
                return;
            }
            gp = old; // kick the old runnext out to the regular run queue
        }
        for (;;) {
            int h = q.laHead(); // load-acquire, synchronize with consumers
            int t = q.lpTail();
            if (t - h < q.capacity) {
                q.runq[t & q.mask] = gp;
                q.soTail(t + 1); // store-release, publishes slot t; pairs with laTail() in runqgrab
                return;
            }
            if (runqputslow(gp, h, t)) {
                return;
            }
            // runqputslow lost its CAS to a thief: the ring is no longer full, retry the fast path.
        }
    }

    /**
     * Puts {@code gp} and a batch of work (half of the full ring, oldest first) on the global queue.
     * Models proc.go: runqputslow (Go 1.21). Executed only by the owner P.
     *
     * @return false when a consumer moved head meanwhile; the caller retries runqput
     */
    boolean runqputslow(G gp, int h, int t) {
        final RunQueueState q = this.q;
        G[] batch = slowBatch;
        int n = (t - h) / 2;
        if (n != q.capacity / 2) {
            throw new IllegalStateException("runqputslow: queue is not full");
        }
        for (int i = 0; i < n; i++) {
            batch[i] = q.runq[(h + i) & q.mask];
        }
        if (!q.casRelHead(h, h + n)) { // cas-release, commits consume
            for (int i = 0; i < n; i++) {
                batch[i] = null;
            }
            return false;
        }
        batch[n] = gp;
        global.putBatch(batch, n + 1); // links them FIFO under the global lock (globrunqputbatch)
        for (int i = 0; i <= n; i++) {
            batch[i] = null;
        }
        return true;
    }

    /**
     * Gets a G from the local runnable queue: runnext first, then the ring head; null when both are
     * empty. For callers that need inheritTime, {@link #runqgetRunnext} and {@link #runqgetRing} are the
     * two halves. Models proc.go: runqget (Go 1.21). Executed only by the owner P.
     */
    public G runqget() {
        G gp = runqgetRunnext();
        return gp != null ? gp : runqgetRing();
    }

    /**
     * runqget's first half: takes runnext, which inherits the time slice (inheritTime = true); null
     * when it is empty or a thief took it. A single CAS since Go 1.18: only the owner ever sets runnext
     * non-null, so a failed CAS means a thief emptied it and there is nothing to retry.
     * Models proc.go: runqget (Go 1.21), the runnext part. Executed only by the owner P.
     */
    public G runqgetRunnext() {
        assert assertOwner() : "runqget: not the owner";
        final RunQueueState q = this.q;
        G next = q.loRunnext();
        return next != null && q.casRunnext(next, null) ? next : null;
    }

    /**
     * runqget's second half: takes the ring head, which starts a new time slice (inheritTime = false);
     * null when the ring is empty. Models proc.go: runqget (Go 1.21), the ring part.
     * Executed only by the owner P.
     */
    public G runqgetRing() {
        assert assertOwner() : "runqget: not the owner";
        final RunQueueState q = this.q;
        for (;;) {
            int h = q.laHead(); // load-acquire, synchronize with other consumers
            int t = q.lpTail();
            if (t == h) {
                return null;
            }
            G gp = q.runq[h & q.mask];
            if (q.casRelHead(h, h + 1)) { // cas-release, commits consume
                return gp;
            }
            // A thief took a batch starting at h: re-read head.
        }
    }

    /**
     * Steals half of the Gs from {@code victim}'s queue into this ring and returns one of them; the
     * count and whether it was runnext go to {@code observer}. Models proc.go: runqsteal (Go 1.21).
     * Executed only by the owner P of this (the thief's) queue.
     */
    public G runqsteal(StealRunQueue victim, boolean stealRunNextG, StealObserver observer) {
        assert assertOwner() : "runqsteal: not the owner";
        final RunQueueState q = this.q;
        // Go's batch is always a [256] ring and every P has one; here capacities are per queue, and a
        // victim with a larger ring could hand over more than this ring can hold (ceil(len/2) of it).
        assert victim != stealer : "runqsteal: a P cannot steal from itself";
        assert victim.capacity() <= q.capacity : "runqsteal: victim ring larger than the thief's";
        int t = q.lpTail();
        int n = victim.runqgrab(q.runq, q.mask, t, stealRunNextG);
        if (n == 0) {
            return null;
        }
        boolean runnext = n == StealRunQueue.GRABBED_RUNNEXT;
        if (runnext) {
            n = 1;
        }
        observer.stolen(n, runnext);
        n--;
        G gp = q.runq[(t + n) & q.mask];
        if (n == 0) {
            return gp;
        }
        int h = q.laHead(); // load-acquire, synchronize with consumers
        if (t - h + n >= q.capacity) {
            throw new IllegalStateException("runqsteal: runq overflow");
        }
        q.soTail(t + n); // store-release, makes the stolen Gs available for consumption
        return gp;
    }

    /** Free slots left in the ring (capacity - length). Executed only by the owner P. */
    public int free() {
        return q.capacity - (q.lpTail() - q.laHead());
    }

    /** proc.go: runqempty (Go 1.21), through the thieves' handle. Can be executed by any P. */
    public boolean runqempty() {
        return stealer.runqempty();
    }

    /** Ring length; see {@link StealRunQueue#size}. */
    public int size() {
        return stealer.size();
    }
}
