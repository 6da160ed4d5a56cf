package dev.gmpdefer.model.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A P's local run queue: a fixed ring of G slots with free-running int head and tail, plus the
 * {@code runnext} slot. Single producer (the owner P), many consumers (the owner and thieves).
 *
 * <p>Models proc.go (Go 1.21): {@code p.runq [256]guintptr}, {@code p.runqhead}, {@code p.runqtail},
 * {@code p.runnext} and the functions runqput, runqputslow, runqget, runqgrab, runqsteal, runqempty.
 *
 * <p>Memory ordering, as in Go:
 * <ul>
 *   <li>{@code tail}: written only by the owner, with a store-release ({@link #soTail}) after the slot is
 *       written with a plain store; the owner reads its own tail plainly ({@link #lpTail}), thieves with
 *       a load-acquire ({@link #laTail}).</li>
 *   <li>{@code head}: read with load-acquire by everyone ({@link #laHead}); consumers commit with a
 *       CAS-release ({@link #casRelHead}). Java has no CAS-release for fields, so
 *       {@code compareAndExchangeRelease} is used and its witness compared.</li>
 *   <li>{@code runnext}: the owner sets it, anyone may CAS it to null; sequentially consistent CAS
 *       ({@link #casRunnext}). Go reads it plainly in runqput/runqget/runqgrab; Java's JIT may hoist a
 *       plain field load out of a retry loop, so the model reads it with an opaque load
 *       ({@link #loRunnext}), which is as cheap on x86 and cannot be hoisted.</li>
 * </ul>
 *
 * <p>Capacity is a constructor argument (a power of two, 256 in Go) so that tests can use 4 and reach
 * wrap-around and overflow. The counters are Java ints used as unsigned 32-bit numbers: differences
 * ({@code tail - head}) are exact across the 2^32 wrap, and slots are {@code index & mask}.
 *
 * <p>The class implements both {@link LocalRunQueue} (owner) and {@link StealRunQueue} (thief); code
 * holds it through one of the two interfaces. Owner-only methods assert the owner thread when one is
 * bound ({@link #bindOwner}); tests run with {@code -ea}.
 */
public final class RunQueue implements LocalRunQueue, StealRunQueue {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle RUNNEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RunQueue.class, "head", int.class);
            TAIL = l.findVarHandle(RunQueue.class, "tail", int.class);
            RUNNEXT = l.findVarHandle(RunQueue.class, "runnext", G.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The ring. Slots in [head, tail) are live; the owner writes slot tail, everyone reads live slots. */
    private final G[] runq;
    private final int mask;
    private final int capacity;

    /** Consumed index. Everyone reads (acquire); consumers CAS (release). */
    @SuppressWarnings("unused") private int head;
    /** Produced index. Only the owner writes (release); the owner reads plainly, thieves acquire. */
    @SuppressWarnings("unused") private int tail;
    /** Next G to run; set by the owner, CASed to null by anyone. */
    @SuppressWarnings("unused") private G runnext;

    /** Where runqputslow sends half of a full ring. */
    private final GlobalRunQueue global;
    /** The P that owns this queue (for the runnext-steal pause: "is the victim running?"). */
    private final P owner;
    /** Pause before stealing runnext from a running P. */
    private final StealPause pause;

    /** Owner-only scratch for runqputslow: capacity/2 + 1 slots, so the hot path allocates nothing. */
    private final G[] slowBatch;
    /** Owner-only results of the last runqget / runqsteal (multiple returns without allocation). */
    private boolean lastInheritTime;
    private int lastStealCount;
    private boolean lastStealWasRunnext;

    /** Thread allowed to call owner operations; null until bound (tests drive queues from one thread). */
    private volatile Thread ownerThread;

    /**
     * @param capacity ring size, a power of two >= 2 (Go: 256)
     * @param global   the global queue that {@code runqputslow} spills into
     * @param owner    the P owning this queue (may be null in unit tests; then it is never "running")
     * @param pause    pause before stealing runnext from a running P
     */
    public RunQueue(int capacity, GlobalRunQueue global, P owner, StealPause pause) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("runq capacity must be a power of two >= 2: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.runq = new G[capacity];
        this.global = global;
        this.owner = owner;
        this.pause = pause == null ? StealPause.NONE : pause;
        this.slowBatch = new G[capacity / 2 + 1];
    }

    /** Binds owner operations to {@code t} (checked with assertions). */
    public void bindOwner(Thread t) {
        ownerThread = t;
    }

    /** Test hook: starts both counters at {@code start}, to exercise the 2^32 wrap. Only on an empty queue. */
    public void resetCounters(int start) {
        if (lpTail() != laHead() || loRunnext() != null) {
            throw new IllegalStateException("resetCounters: queue not empty");
        }
        HEAD.setRelease(this, start);
        TAIL.setRelease(this, start);
    }

    public int capacity() {
        return capacity;
    }

    // ---- accessors (JCTools naming: lp plain load, la load-acquire, so store-release, lo opaque load) ----

    private int laHead() {
        return (int) HEAD.getAcquire(this);
    }

    /** CAS-release of head; returns true when head moved from {@code expect} to {@code update}. */
    private boolean casRelHead(int expect, int update) {
        return (int) HEAD.compareAndExchangeRelease(this, expect, update) == expect;
    }

    private int lpTail() {
        return (int) TAIL.get(this);
    }

    private int laTail() {
        return (int) TAIL.getAcquire(this);
    }

    private void soTail(int v) {
        TAIL.setRelease(this, v);
    }

    private G loRunnext() {
        return (G) RUNNEXT.getOpaque(this);
    }

    private boolean casRunnext(G expect, G update) {
        return RUNNEXT.compareAndSet(this, expect, update);
    }

    private boolean assertOwner() {
        Thread t = ownerThread;
        return t == null || t == Thread.currentThread();
    }

    // ---- owner operations ----

    /**
     * Tries to put {@code gp} on the local runnable queue. With {@code next}, {@code gp} goes into
     * runnext and the G it displaces (if any) is kicked to the tail; otherwise {@code gp} goes to the
     * tail. A full ring spills half of itself to the global queue.
     * Models proc.go: runqput (Go 1.21). Executed only by the owner P.
     */
    @Override
    public void runqput(G gp, boolean next) {
        assert assertOwner() : "runqput: not the owner";
        if (next) {
            G old;
            do {
                old = loRunnext();
            } while (!casRunnext(old, gp)); // a thief may have CASed it to null meanwhile: re-read
            if (old == null) {
                return;
            }
            gp = old; // kick the old runnext out to the regular run queue
        }
        for (;;) {
            int h = laHead(); // load-acquire, synchronize with consumers
            int t = lpTail();
            if (t - h < capacity) {
                runq[t & mask] = gp;
                soTail(t + 1); // store-release, publishes slot t; pairs with laTail() in runqgrab
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
        G[] batch = slowBatch;
        int n = (t - h) / 2;
        if (n != capacity / 2) {
            throw new IllegalStateException("runqputslow: queue is not full");
        }
        for (int i = 0; i < n; i++) {
            batch[i] = runq[(h + i) & mask];
        }
        if (!casRelHead(h, h + n)) { // cas-release, commits consume
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
     * Gets a G from the local runnable queue: runnext first (inheritTime = true), then the ring head
     * (inheritTime = false). Models proc.go: runqget (Go 1.21; a single CAS on runnext since Go 1.18,
     * since only the owner ever sets it non-null). Executed only by the owner P.
     */
    @Override
    public G runqget() {
        assert assertOwner() : "runqget: not the owner";
        G next = loRunnext();
        // If the CAS fails, a thief took runnext; it could only become non-null again through the
        // owner (us), so there is nothing to retry: fall through to the ring.
        if (next != null && casRunnext(next, null)) {
            lastInheritTime = true;
            return next;
        }
        lastInheritTime = false;
        for (;;) {
            int h = laHead(); // load-acquire, synchronize with other consumers
            int t = lpTail();
            if (t == h) {
                return null;
            }
            G gp = runq[h & mask];
            if (casRelHead(h, h + 1)) { // cas-release, commits consume
                return gp;
            }
            // A thief took a batch starting at h: re-read head.
        }
    }

    @Override
    public boolean lastInheritTime() {
        return lastInheritTime;
    }

    /**
     * Steals half of the Gs from {@code victim}'s queue into this ring and returns one of them.
     * Models proc.go: runqsteal (Go 1.21). Executed only by the owner P of this (the thief's) queue.
     */
    @Override
    public G runqsteal(StealRunQueue victim, boolean stealRunNextG) {
        assert assertOwner() : "runqsteal: not the owner";
        RunQueue p2 = (RunQueue) victim;
        // Go's batch is always a [256] ring and every P has one; here capacities are per queue, and a
        // victim with a larger ring could hand over more than this ring can hold (ceil(len/2) of it).
        assert p2 != this : "runqsteal: a P cannot steal from itself";
        assert p2.capacity <= capacity : "runqsteal: victim ring larger than the thief's";
        int t = lpTail();
        int n = p2.runqgrab(runq, mask, t, stealRunNextG);
        if (n == 0) {
            return null;
        }
        lastStealWasRunnext = n == GRABBED_RUNNEXT;
        if (n == GRABBED_RUNNEXT) {
            n = 1;
        }
        lastStealCount = n;
        n--;
        G gp = runq[(t + n) & mask];
        if (n == 0) {
            return gp;
        }
        int h = laHead(); // load-acquire, synchronize with consumers
        if (t - h + n >= capacity) {
            throw new IllegalStateException("runqsteal: runq overflow");
        }
        soTail(t + n); // store-release, makes the stolen Gs available for consumption
        return gp;
    }

    @Override
    public int lastStealCount() {
        return lastStealCount;
    }

    @Override
    public boolean lastStealWasRunnext() {
        return lastStealWasRunnext;
    }

    /** runqgrab's result when it took the victim's runnext (one G). */
    static final int GRABBED_RUNNEXT = -1;

    /**
     * Grabs a batch of Gs from this (the victim's) queue into {@code batch}, starting at
     * {@code batchHead}: {@code n = len - len/2} (half, rounded up) from the head, committed with one
     * CAS-release of head. Only when the ring is empty and {@code stealRunNextG} is set, it takes
     * runnext instead, after a pause if the victim P is running.
     * Models proc.go: runqgrab (Go 1.21). Can be executed by any P.
     *
     * @return the number of Gs grabbed from the ring, or {@link #GRABBED_RUNNEXT} for runnext (one G)
     */
    int runqgrab(G[] batch, int batchMask, int batchHead, boolean stealRunNextG) {
        for (;;) {
            int h = laHead(); // load-acquire, synchronize with other consumers
            int t = laTail(); // load-acquire, synchronize with the producer; pairs with soTail()
            int n = t - h; // an unsigned 32-bit length, as in Go
            n = n - (n >>> 1); // half, rounded up; >>> keeps an inconsistent (huge) n unsigned
            if (n == 0) {
                if (stealRunNextG) {
                    G next = loRunnext();
                    if (next != null) {
                        if (owner != null && owner.isRunning()) {
                            // Sleep so that the victim, which may be about to schedule runnext itself
                            // (the G that readied it is likely to block soon), gets the chance to.
                            // Go: usleep(3) (~50x a channel operation); see StealPause.
                            pause.pause();
                        }
                        if (!casRunnext(next, null)) {
                            continue; // the owner ran it or replaced it: re-read everything
                        }
                        batch[batchHead & batchMask] = next;
                        return GRABBED_RUNNEXT;
                    }
                }
                return 0;
            }
            if (Integer.compareUnsigned(n, capacity >>> 1) > 0) { // read inconsistent h and t
                continue;
            }
            for (int i = 0; i < n; i++) {
                batch[(batchHead + i) & batchMask] = runq[(h + i) & mask];
            }
            if (casRelHead(h, h + n)) { // cas-release, commits consume
                return n;
            }
            // Another consumer moved head: the copied slots may be stale, grab again.
        }
    }

    /**
     * Puts {@code n} Gs of {@code batch} (from index {@code from}) on the ring tail; the caller has made
     * sure they fit. Part of proc.go: globrunqget (Go 1.21), which calls runqput(pp, gp, false) per G.
     * Executed only by the owner P.
     */
    @Override
    public void putBatchTail(G[] batch, int from, int n) {
        assert assertOwner() : "putBatchTail: not the owner";
        for (int i = 0; i < n; i++) {
            runqput(batch[from + i], false);
        }
    }

    @Override
    public int free() {
        return capacity - (lpTail() - laHead());
    }

    // ---- any P ----

    /**
     * Reports whether the queue has no Gs, ring and runnext both. Reads head, tail, runnext and tail
     * again until tail is stable, since runqput may move a G from runnext to the ring in between.
     * Models proc.go: runqempty (Go 1.21). Can be executed by any P.
     */
    @Override
    public boolean runqempty() {
        for (;;) {
            int head = laHead();
            int tail = laTail();
            G next = (G) RUNNEXT.getVolatile(this); // Go: atomic.Loaduintptr(&pp.runnext)
            if (tail == laTail()) {
                return head == tail && next == null;
            }
        }
    }

    @Override
    public int size() {
        for (;;) {
            int h = laHead();
            int t = laTail();
            int n = t - h;
            if (n >= 0 && n <= capacity) {
                return n;
            }
        }
    }

    /** Current runnext, for tests and diagnostics. Can be executed by any P. */
    public G peekRunnext() {
        return (G) RUNNEXT.getVolatile(this);
    }

    /** Raw head counter, for tests. */
    public int headCounter() {
        return laHead();
    }

    /** Raw tail counter, for tests. */
    public int tailCounter() {
        return laTail();
    }
}
