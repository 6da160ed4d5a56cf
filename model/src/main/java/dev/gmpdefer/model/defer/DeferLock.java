package dev.gmpdefer.model.defer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global defer pool's lock, {@code sched.deferlock}: Go's runtime mutex on Linux, a three-state futex
 * lock that never allocates.
 *
 * <p>Models lock_futex.go: lock2 / unlock2 (read in Go 1.19.8; the same through Go 1.23): the key is
 * {@link #UNLOCKED}, {@link #LOCKED} or {@link #SLEEPING} (locked, and a thread may sleep on it). lock2
 * swaps in LOCKED; if the lock was held it spins {@link #ACTIVE_SPIN} rounds of {@code procyield(30)}
 * ({@link Thread#onSpinWait()}), then {@link #PASSIVE_SPIN} round of {@code osyield}
 * ({@link Thread#yield()}), each trying to CAS the unlocked key back to what it saw (LOCKED, or SLEEPING once
 * it has slept, so that a sleeper's wake-up is not lost), then swaps in SLEEPING and, unless that found the
 * lock free, sleeps on the key ({@code futexsleep}) until an unlock wakes it. unlock2 swaps in UNLOCKED and,
 * if the key was SLEEPING, wakes one sleeper ({@code futexwakeup(key, 1)}).
 *
 * <p>The futex is emulated with the lock's own monitor: {@link #futexsleep} waits only while the key still
 * holds the value it was given (as the kernel checks {@code *addr == val}), and a wake-up that finds no
 * sleeper is kept for the next one, which then returns at once (a spurious wake-up, which lock2 tolerates:
 * it loops). Neither path allocates.
 *
 * <p>Counters ({@link #stats()}): acquisitions, and the procyield rounds, osyields and sleeps they took;
 * each acquirer adds its own after it holds the lock, so the sums are exact when no thread holds it.
 */
final class DeferLock {
    private static final VarHandle KEY;

    static {
        try {
            KEY = MethodHandles.lookup().findVarHandle(DeferLock.class, "key", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code mutex_unlocked}. */
    static final int UNLOCKED = 0;
    /** {@code mutex_locked}. */
    static final int LOCKED = 1;
    /** {@code mutex_sleeping}: locked, and a thread may be sleeping on the key. */
    static final int SLEEPING = 2;
    /** Go's {@code active_spin} = 4 (rounds of procyield; only on multiprocessors, as in Go). */
    static final int ACTIVE_SPIN = 4;
    /** Go's {@code active_spin_cnt} = 30 (pause instructions per procyield). */
    static final int ACTIVE_SPIN_CNT = 30;
    /** Go's {@code passive_spin} = 1 (rounds of osyield). */
    static final int PASSIVE_SPIN = 1;

    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

    /** {@code l.key}: swapped and CASed with volatile (sequentially consistent) accesses, as Go's atomics. */
    @SuppressWarnings("unused") private volatile int key;

    /** The futex's wait queue: the monitor of this object. Wake-ups not yet taken by a sleeper. */
    private int pendingWakeups;

    // Counters: written only while holding the lock.
    private long acquisitions;
    private long contended;
    /** Acquisitions made by {@link #stats()} itself. */
    private long reads;
    private long spins;
    private long yields;
    private long sleeps;

    /** Models lock_futex.go: lock2. Can be executed by any P. */
    void lock() {
        int v = (int) KEY.getAndSet(this, LOCKED); // speculative grab
        if (v == UNLOCKED) {
            acquisitions++;
            return;
        }
        lockSlow(v);
    }

    private void lockSlow(int v) {
        int wait = v; // LOCKED or SLEEPING: what to leave in the key when we take it
        int spin = MULTIPROCESSOR ? ACTIVE_SPIN : 0;
        long mySpins = 0;
        long myYields = 0;
        long mySleeps = 0;
        while (true) {
            for (int i = 0; i < spin; i++) {
                if (tryTake(wait)) {
                    account(mySpins, myYields, mySleeps);
                    return;
                }
                for (int k = 0; k < ACTIVE_SPIN_CNT; k++) {
                    Thread.onSpinWait(); // procyield
                }
                mySpins++;
            }
            for (int i = 0; i < PASSIVE_SPIN; i++) {
                if (tryTake(wait)) {
                    account(mySpins, myYields, mySleeps);
                    return;
                }
                Thread.yield(); // osyield
                myYields++;
            }
            v = (int) KEY.getAndSet(this, SLEEPING);
            if (v == UNLOCKED) {
                account(mySpins, myYields, mySleeps);
                return;
            }
            wait = SLEEPING;
            mySleeps++;
            futexsleep(SLEEPING);
        }
    }

    /** {@code for l.key == mutex_unlocked { if atomic.Cas(&l.key, mutex_unlocked, wait) { return } }}. */
    private boolean tryTake(int wait) {
        while (key == UNLOCKED) {
            if (KEY.compareAndSet(this, UNLOCKED, wait)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a slow acquirer's counts; called holding the lock. */
    private void account(long s, long y, long z) {
        acquisitions++;
        contended++;
        spins += s;
        yields += y;
        sleeps += z;
    }

    /** Models lock_futex.go: unlock2. Executed only by the holder. */
    void unlock() {
        int v = (int) KEY.getAndSet(this, UNLOCKED);
        if (v == UNLOCKED) {
            throw new IllegalStateException("unlock of unlocked lock");
        }
        if (v == SLEEPING) {
            futexwakeup();
        }
    }

    /** Models os_linux.go: futexsleep(addr, val, -1): sleeps while the key is {@code val}, or until woken. */
    private void futexsleep(int val) {
        synchronized (this) {
            if (pendingWakeups == 0 && key == val) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a spurious wake-up for lock2, which loops
                }
            }
            if (pendingWakeups > 0) {
                pendingWakeups--;
            }
        }
    }

    /** Models os_linux.go: futexwakeup(addr, 1): wakes one sleeper, or keeps the wake-up for the next. */
    private void futexwakeup() {
        synchronized (this) {
            pendingWakeups++;
            notify();
        }
    }

    /** Lock statistics. */
    record Stats(long acquisitions, long spins, long yields, long sleeps) {
    }

    /**
     * The counters (acquisitions made to read them are not counted); exact when no other thread holds or
     * waits for the lock. Can be executed by any P.
     */
    Stats stats() {
        lock();
        try {
            reads++;
            return new Stats(acquisitions - reads, spins, yields, sleeps);
        } finally {
            unlock();
        }
    }

    /** The key (UNLOCKED, LOCKED or SLEEPING), for tests. */
    int keyForTest() {
        return key;
    }

    /** Acquisitions that did not get the lock at the first try (they spun, yielded or slept). */
    long contended() {
        lock();
        try {
            reads++;
            return contended;
        } finally {
            unlock();
        }
    }
}
