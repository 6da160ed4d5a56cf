package dev.gmpdefer.model.defer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The global defer pool's lock, {@code sched.deferlock}: a spin-then-sleep mutex that never allocates.
 *
 * <p>Models lock_futex.go: lock2 (Go 1.22) in outline: try once, then spin a few rounds of
 * {@code procyield}, then {@code osyield}, then sleep. Go sleeps on a futex and the unlocker wakes it;
 * the model has no wait queue and sleeps for {@link #SLEEP_NS} before trying again (a simplification that
 * can only lengthen waits under heavy contention). {@link #contended()} counts acquisitions that did not
 * succeed at the first try.
 */
final class DeferLock {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DeferLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's active_spin = 4. */
    static final int ACTIVE_SPIN = 4;
    /** Go's active_spin_cnt = 30 (procyield iterations). */
    static final int ACTIVE_SPIN_CNT = 30;
    /** Sleep between attempts once spinning and yielding failed. */
    static final long SLEEP_NS = 2_000;

    /** 0 = unlocked, 1 = locked. CAS-acquire to lock, store-release to unlock. */
    @SuppressWarnings("unused") private int state;
    /** Acquisitions that had to spin; written only while holding the lock. */
    private long contended;

    /** Models lock_futex.go: lock2. Can be executed by any P. */
    void lock() {
        if (STATE.compareAndSet(this, 0, 1)) { // volatile CAS: acquire; pairs with unlock's release
            return;
        }
        lockSlow();
    }

    private void lockSlow() {
        int spins = 0;
        while (true) {
            if ((int) STATE.getOpaque(this) == 0 && STATE.compareAndSet(this, 0, 1)) {
                contended++; // we hold the lock now, so the plain write is ordered by it
                return;
            }
            if (spins < ACTIVE_SPIN) {
                for (int i = 0; i < ACTIVE_SPIN_CNT; i++) {
                    Thread.onSpinWait();
                }
            } else if (spins == ACTIVE_SPIN) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(SLEEP_NS);
            }
            spins++;
        }
    }

    /** Models lock_futex.go: unlock2. Executed only by the holder. */
    void unlock() {
        STATE.setRelease(this, 0); // publishes the pool updates; pairs with the CAS in lock()
    }

    /** Number of contended acquisitions; exact when no thread holds the lock. Can be executed by any P. */
    long contended() {
        lock();
        try {
            return contended;
        } finally {
            unlock();
        }
    }
}
