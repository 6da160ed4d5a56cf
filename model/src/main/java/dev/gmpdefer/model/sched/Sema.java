package dev.gmpdefer.model.sched;

/**
 * A counting semaphore with at most one waiter: the model's channel hand-off.
 *
 * <p>Stands in for a channel or runtime semaphore (sema.go: semacquire1 / semrelease1; chan.go: send
 * with a parked receiver) as far as the scheduler sees it: a release that finds a waiter readies it into
 * the releaser's runnext; an acquire that finds no token parks the G. The waiter is recorded and marked
 * {@code _Gwaiting} under the lock only after the G has been switched out (park_m), so a waker can never
 * run a G whose previous M is still inside its body.
 *
 * <p>Simplification: one waiter at most (enough for ping-pong pairs and hand-offs). Fields are guarded
 * by this object's monitor, except {@link #tokens}, which the lock-free fast path reads.
 */
public final class Sema {
    /** Available tokens. Written under the monitor; the fast path CASes it. */
    final java.util.concurrent.atomic.AtomicInteger tokens = new java.util.concurrent.atomic.AtomicInteger();
    /** The parked G, or null. Guarded by the monitor. */
    G waiter;

    public Sema() {
    }

    public Sema(int initialTokens) {
        if (initialTokens < 0) {
            throw new IllegalArgumentException("initialTokens must be >= 0: " + initialTokens);
        }
        tokens.set(initialTokens);
    }

    /** Fast path of semacquire: takes a token if one is there. Can be executed by any P. */
    boolean tryAcquire() {
        for (;;) {
            int t = tokens.get();
            if (t == 0) {
                return false;
            }
            if (tokens.compareAndSet(t, t - 1)) {
                return true;
            }
            // CAS lost to another acquirer or a releaser: re-read, the count is still meaningful.
        }
    }
}
