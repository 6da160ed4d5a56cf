package dev.gmpdefer.model.sched;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The global run queue: an unbounded FIFO linked through {@link G#schedlink}, guarded by one lock.
 *
 * <p>Models proc.go (Go 1.21): {@code sched.runq}, {@code sched.runqsize} under {@code sched.lock}, and
 * globrunqput, globrunqputhead, globrunqputbatch, globrunqget. Go's sched.lock also guards the idle P
 * list; the model gives that list its own structure ({@link Sched}) and keeps this lock for the queue
 * only, which makes the global queue slightly less contended than Go's.
 *
 * <p>{@link #size} is also read without the lock (Go: {@code sched.runqsize != 0} checks in
 * findRunnable), hence volatile.
 */
public final class GlobalRunQueue {
    /**
     * Go's sched.lock as far as the model needs it: guards this queue and, in {@link Sched}, the idle
     * P list, so that "the global queue is empty, so put my P on the idle list" is one atomic step, as
     * in findRunnable. Reentrant: runqputslow called under it (from globrunqget) takes it again.
     */
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private G head;
    private G tail;
    /** Written under lock; read racily by findRunnable's quick checks. */
    private volatile int size;

    /**
     * @param maxBatch the most Gs one globrunqget may take (Go: len(pp.runq)/2 = 128); kept for the
     *                 caller's documentation and validated, the batch itself is bounded by
     *                 {@link #batchSize}'s {@code ringCapacity/2}, so no scratch array is sized by it
     */
    public GlobalRunQueue(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("GlobalRunQueue: maxBatch must be >= 1: " + maxBatch);
        }
    }

    /** Racy size, for quick emptiness checks. Can be executed by any P. */
    public int size() {
        return size;
    }

    /** Puts gp on the tail. Models proc.go: globrunqput (Go 1.21). Can be executed by any P. */
    public void put(G gp) {
        lock.lock();
        try {
            gp.schedlink = null;
            if (tail != null) {
                tail.schedlink = gp;
            } else {
                head = gp;
            }
            tail = gp;
            size = size + 1;
        } finally {
            lock.unlock();
        }
    }

    /** Puts gp on the head. Models proc.go: globrunqputhead (Go 1.21). Can be executed by any P. */
    public void putHead(G gp) {
        lock.lock();
        try {
            gp.schedlink = head;
            head = gp;
            if (tail == null) {
                tail = gp;
            }
            size = size + 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts {@code n} Gs of {@code batch} on the tail, in order.
     * Models proc.go: globrunqputbatch (Go 1.21), called by runqputslow. Can be executed by any P.
     */
    public void putBatch(G[] batch, int n) {
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n - 1; i++) {
            batch[i].schedlink = batch[i + 1];
        }
        batch[n - 1].schedlink = null;
        lock.lock();
        try {
            if (tail != null) {
                tail.schedlink = batch[0];
            } else {
                head = batch[0];
            }
            tail = batch[n - 1];
            size = size + n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Batch size of globrunqget: {@code n = min(size/gomaxprocs + 1, size, max if max > 0, capacity/2)}.
     * Models the arithmetic of proc.go: globrunqget (Go 1.21).
     */
    public static int batchSize(int size, int gomaxprocs, int max, int ringCapacity) {
        if (gomaxprocs < 1) {
            throw new IllegalArgumentException("globrunqget: gomaxprocs must be >= 1: " + gomaxprocs);
        }
        if (size == 0) {
            return 0;
        }
        int n = size / gomaxprocs + 1;
        if (n > size) {
            n = size;
        }
        if (max > 0 && n > max) {
            n = max;
        }
        if (n > ringCapacity / 2) {
            n = ringCapacity / 2;
        }
        return n;
    }

    /**
     * Takes a batch from the global queue: returns the first G and puts the rest on {@code local}'s
     * tail. Models proc.go: globrunqget (Go 1.21). Executed by the owner of {@code local}.
     *
     * @param max 0 for "no limit beyond the formula", 1 for the fairness pick of one G
     * @return the G to run, or null when the queue is empty
     */
    public G get(LocalRunQueue local, int gomaxprocs, int max, int ringCapacity) {
        lock.lock();
        try {
            int n = batchSize(size, gomaxprocs, max, ringCapacity);
            if (n == 0) {
                return null;
            }
            size = size - n;
            G gp = pop();
            // As Go: each further G goes to the local tail with runqput(pp, gp1, false), under the lock.
            // The ring has room when the caller's ring is empty (findRunnable) since n <= capacity/2;
            // otherwise runqput spills to this queue as Go's would, re-entering the (reentrant) lock.
            // The list is consistent after every pop, so that re-entry is safe. No scratch array: an
            // earlier version staged the batch in one sized by the constructor's maxBatch, which
            // overflowed whenever maxBatch < ringCapacity/2.
            for (n--; n > 0; n--) {
                local.runqput(pop(), false);
            }
            return gp;
        } finally {
            lock.unlock();
        }
    }

    private G pop() {
        G gp = head;
        head = gp.schedlink;
        if (head == null) {
            tail = null;
        }
        gp.schedlink = null;
        return gp;
    }
}
