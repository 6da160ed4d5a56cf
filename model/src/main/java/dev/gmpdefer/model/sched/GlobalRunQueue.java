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
    /** Scratch for globrunqget's batch, guarded by lock. */
    private final G[] scratch;

    /**
     * @param maxBatch the most Gs one globrunqget may take (Go: len(pp.runq)/2 = 128)
     */
    public GlobalRunQueue(int maxBatch) {
        this.scratch = new G[Math.max(1, maxBatch)];
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
            n--;
            G[] b = scratch;
            for (int i = 0; i < n; i++) {
                b[i] = pop();
            }
            // Go calls runqput(pp, gp1, false) under sched.lock; the ring has room since the caller's
            // ring is empty or the batch is at most half of it (runqput would spill otherwise, which is
            // what Go does too).
            local.putBatchTail(b, 0, n);
            for (int i = 0; i < n; i++) {
                b[i] = null;
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
