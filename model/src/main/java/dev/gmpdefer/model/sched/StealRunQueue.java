package dev.gmpdefer.model.sched;

/**
 * The thieves' handle on a P's local run queue: the operations Go documents as "Can be executed by
 * any P." It has no way to put a G in the ring or to take runnext without the steal rules; the owner's
 * operations are on {@link LocalRunQueue}, a separate type (Tokio's {@code Steal} next to its
 * {@code Local}). Any thread may hold it.
 */
public final class StealRunQueue {
    private final RunQueueState q;

    StealRunQueue(RunQueueState q) {
        this.q = q;
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
        final RunQueueState q = this.q;
        final G[] runq = q.runq;
        final int mask = q.mask;
        for (;;) {
            int h = q.laHead(); // load-acquire, synchronize with other consumers
            int t = q.laTail(); // load-acquire, synchronize with the producer; pairs with soTail()
            int n = t - h; // an unsigned 32-bit length, as in Go
            n = n - (n >>> 1); // half, rounded up; >>> keeps an inconsistent (huge) n unsigned
            if (n == 0) {
                if (stealRunNextG) {
                    G next = q.loRunnext();
                    if (next != null) {
                        if (q.owner != null && q.owner.isRunning()) {
                            // Sleep so that the victim, which may be about to schedule runnext itself
                            // (the G that readied it is likely to block soon), gets the chance to.
                            // Go: usleep(3) (~50x a channel operation); see StealPause.
                            q.pause.pause();
                        }
                        if (!q.casRunnext(next, null)) {
                            continue; // the owner ran it or replaced it: re-read everything
                        }
                        batch[batchHead & batchMask] = next;
                        return GRABBED_RUNNEXT;
                    }
                }
                return 0;
            }
            if (Integer.compareUnsigned(n, q.capacity >>> 1) > 0) { // read inconsistent h and t
                continue;
            }
            for (int i = 0; i < n; i++) {
                batch[(batchHead + i) & batchMask] = runq[(h + i) & mask];
            }
            if (q.casRelHead(h, h + n)) { // cas-release, commits consume
                return n;
            }
            // Another consumer moved head: the copied slots may be stale, grab again.
        }
    }

    /**
     * Reports whether the queue has no Gs, ring and runnext both. Reads head, tail, runnext and tail
     * again until tail is stable, since runqput may move a G from runnext to the ring in between.
     * Models proc.go: runqempty (Go 1.21). Can be executed by any P.
     */
    public boolean runqempty() {
        final RunQueueState q = this.q;
        for (;;) {
            int head = q.laHead();
            int tail = q.laTail();
            G next = q.lvRunnext();
            if (tail == q.laTail()) {
                return head == tail && next == null;
            }
        }
    }

    /** Ring length (tail - head) as a thief sees it; a consistent snapshot. Can be executed by any P. */
    public int size() {
        final RunQueueState q = this.q;
        for (;;) {
            int h = q.laHead();
            int t = q.laTail();
            int n = t - h;
            if (n >= 0 && n <= q.capacity) {
                return n;
            }
        }
    }

    /** Ring capacity. */
    public int capacity() {
        return q.capacity;
    }

    /** Current runnext, for tests and diagnostics. Can be executed by any P. */
    public G peekRunnext() {
        return q.lvRunnext();
    }

    /** Raw head counter, for tests. */
    public int headCounter() {
        return q.laHead();
    }

    /** Raw tail counter, for tests. */
    public int tailCounter() {
        return q.laTail();
    }
}
