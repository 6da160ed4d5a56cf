package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.internal.FastRand;
import dev.gmpdefer.model.metrics.PMetrics;
import dev.gmpdefer.model.metrics.PStateLog;
import dev.gmpdefer.model.metrics.WaitCause;

import java.util.concurrent.locks.LockSupport;

/**
 * A machine: a platform thread that runs Gs while it holds its P, and parks when there is nothing to
 * do. This class is the scheduling loop; running a G and handling the event it returns is its
 * {@link Executor}, and the calls a running G makes are its {@link RuntimeApi}.
 *
 * <p>Models proc.go (Go 1.21): schedule, findRunnable, stealWork, checkRunqsNoP, becomeSpinning,
 * resetspinning, stopm / startm (the wake-up side).
 *
 * <p>Simplification: Go's Ms and Ps are separate pools (an M gives up its P in a syscall and any idle
 * M may take any idle P). The model has no syscalls, so it pairs them 1:1: M i always runs P i, a
 * parked M's P sits on the idle list, and {@code startm(pp)} wakes the M of {@code pp}. The set of
 * Ps that run, go idle and get woken is the same as Go's for these workloads.
 */
final class M implements Runnable, StealObserver {
    final int id;
    final P p;
    final Sched sched;
    private final LocalRunQueue local;
    private final PMetrics metrics;
    private final FastRand rand;
    /** The P's state log for the wait decomposition (idle and back); null when metrics are off. */
    private final PStateLog log;
    private final Thread thread;

    /** Whether this M is spinning (looking for work to steal). Owned by this M. */
    boolean spinning;

    /** Park/unpark hand-off (proc.go: mPark / notewakeup(&mp.park)). Written by the waker, then unpark. */
    private volatile boolean notified;
    /** Whether the waker wants this M to start spinning (startm's spinning argument). */
    private volatile boolean wakeSpinning;

    /** Runs the Gs this loop finds. */
    private final Executor executor;

    /** Results of findRunnable (multiple returns without allocation). */
    boolean foundInherit;
    private int foundSource;
    static final int SRC_RUNNEXT = 0;
    static final int SRC_RING = 1;
    static final int SRC_GLOBAL_FAIR = 2;
    static final int SRC_GLOBAL = 3;
    static final int SRC_STEAL = 4;
    /** A GC mark worker (findRunnableGCWorker or the idle worker); not counted as a workload start. */
    static final int SRC_GC_WORKER = 5;

    M(int id, P p, Sched sched) {
        this.id = id;
        this.p = p;
        this.sched = sched;
        this.local = p.local();
        this.metrics = p.metrics;
        this.rand = new FastRand(sched.config.seed * 31 + id);
        this.log = metrics.enabled() ? metrics.log : null;
        this.thread = new Thread(this, "gmpdefer-M" + id);
        this.thread.setDaemon(true);
        this.executor = new Executor(p, sched, new RuntimeApi(p, sched));
    }

    void start() {
        p.local().bindOwner(thread);
        thread.start();
    }

    void join() {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("M" + id + " did not stop within 10 s after the run ended");
        }
    }

    @Override
    public void run() {
        p.setStatus(P.RUNNING); // acquirep
        logState(WaitCause.OTHER);
        long cpu0 = threadCpuNanos();
        try {
            schedule();
        } catch (Throwable t) {
            sched.fail(t); // the caller of Sched.run rethrows it
        } finally {
            metrics.mCpuNanos = cpu0 < 0 ? -1 : threadCpuNanos() - cpu0; // read after join
        }
    }

    /** CPU time of the calling thread in ns, or -1 when the JVM does not measure it. */
    private static long threadCpuNanos() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported() && t.isThreadCpuTimeEnabled() ? t.getCurrentThreadCpuTime() : -1;
    }

    // ---- the scheduler loop ----

    /**
     * One round of scheduling: find a runnable G and execute it, forever (until the run ends).
     * Models proc.go: schedule (Go 1.21). Executed only by the owner P.
     */
    private void schedule() {
        while (!sched.stopping()) {
            G gp = findRunnable(); // blocks until work is available
            if (gp == null) {
                return; // the run is over
            }
            // This thread is going to run a G and is not spinning anymore, so if it was marked as
            // spinning, unmark it and maybe start a new spinning M.
            if (spinning) {
                resetspinning();
            }
            executor.execute(gp, foundInherit, foundSource);
        }
    }

    /**
     * Finds a runnable G to execute, trying the fairness pick, the local queue, the global queue and
     * other Ps; parks the M when there is nothing, and tries again when woken.
     * Models proc.go: findRunnable (Go 1.21); netpoll, timers and GC work are not modelled.
     * Executed only by the owner P.
     *
     * @return the G, with {@link #foundInherit} and {@link #foundSource} set; null when the run ends
     */
    G findRunnable() {
        final Sched s = sched;
        final GlobalRunQueue global = s.global;
        final int procs = s.procs;
        final int cap = s.config.ringCapacity;
        for (;;) {
            if (s.stopping()) {
                return null;
            }
            if (s.gcwaiting) {
                gcstopm();
                continue;
            }
            // Try to schedule a GC worker (mgcpacer.go: findRunnableGCWorker), ahead of the run queues.
            if (s.gc.blackenEnabled) {
                G w = s.gc.findRunnableGCWorker(p, System.nanoTime());
                if (w != null) {
                    return found(w, false, SRC_GC_WORKER);
                }
            }
            // Check the global runnable queue once in a while to ensure fairness. Otherwise two
            // goroutines can completely occupy the local runqueue by constantly respawning each other.
            if (p.schedtick() % SchedConfig.GO_FAIRNESS_TICK == 0 && global.size() > 0) {
                G gp = global.get(local, procs, 1, cap);
                if (gp != null) {
                    return found(gp, false, SRC_GLOBAL_FAIR);
                }
            }
            // local runq
            // local runq: runnext inherits the time slice, the ring head starts a new one
            G gp = local.runqgetRunnext();
            if (gp != null) {
                return found(gp, true, SRC_RUNNEXT);
            }
            gp = local.runqgetRing();
            if (gp != null) {
                return found(gp, false, SRC_RING);
            }
            // global runq
            if (global.size() != 0) {
                gp = global.get(local, procs, 0, cap);
                if (gp != null) {
                    return found(gp, false, SRC_GLOBAL);
                }
            }
            // Spinning Ms: steal work from other Ps. Limit the number of spinning Ms to half the
            // number of busy Ps, to prevent excessive CPU consumption when GOMAXPROCS>>1 but the
            // program parallelism is low.
            if (spinning || 2 * s.nmspinning.get() < procs - s.npidle.get()) {
                if (!spinning) {
                    becomeSpinning();
                }
                gp = stealWork();
                if (gp != null) {
                    return found(gp, false, SRC_STEAL);
                }
            }
            // We have nothing to do. If we're in the GC mark phase and there is mark work, run idle-time
            // marking rather than give up the P.
            if (s.gc.blackenEnabled) {
                G w = s.gc.findIdleGCWorker(p, System.nanoTime());
                if (w != null) {
                    return found(w, false, SRC_GC_WORKER);
                }
            }
            // Return P (after one last look at the global queue, under the same lock as the idle list,
            // so a G put there now cannot be missed by both sides).
            boolean spinAgain = false;
            boolean stw = false;
            global.lock.lock();
            try {
                if (s.stopping()) {
                    return null;
                }
                if (s.gcwaiting) {
                    stw = true; // a stop-the-world began: goto top, where gcstopm stops this P
                } else {
                    if (global.size() != 0) {
                        gp = global.get(local, procs, 0, cap);
                        if (gp != null) {
                            return found(gp, false, SRC_GLOBAL);
                        }
                    }
                    if (!spinning && s.needspinning.get() == 1) {
                        // A wakep found work but no idle P: spin instead of dropping the P (Go 1.21's
                        // "delicate dance" from the other side).
                        becomeSpinning();
                        spinAgain = true;
                    } else {
                        long t = System.nanoTime();
                        executor.endSlice(t);
                        if (log != null) {
                            log.state(t, WaitCause.IDLE);
                        }
                        s.pidleput(p); // releasep + pidleput
                        s.checkdead();
                    }
                }
            } finally {
                global.lock.unlock();
            }
            if (spinAgain || stw) {
                continue; // goto top
            }
            if (spinning && dropSpinningAndRecheck()) {
                continue; // got our P back, spinning again
            }
            stopm();
        }
    }

    private G found(G gp, boolean inherit, int source) {
        foundInherit = inherit;
        foundSource = source;
        return gp;
    }

    /**
     * Delicate dance: this M, which has just dropped its P, goes from spinning to non-spinning, possibly
     * while new work is being submitted. It decrements nmspinning first, then checks again every place
     * whose submitter may have seen nmspinning != 0 and so woken nobody: the per-P run queues
     * ({@link #recheckRunqs}) and the GC's idle mark work ({@link #checkIdleGCNoP}). Models that part of
     * proc.go: findRunnable (Go 1.21); the global queue was checked under the lock before the drop.
     * Executed only by this M.
     *
     * @return true when this M took its P back and spins again
     */
    boolean dropSpinningAndRecheck() {
        spinning = false;
        if (sched.nmspinning.decrementAndGet() < 0) {
            throw new IllegalStateException("findRunnable: negative nmspinning");
        }
        return recheckRunqs() || checkIdleGCNoP();
    }

    /**
     * After giving up the P while spinning: when the GC is marking and mark work is left for an idle
     * worker, take our P back and go spinning again, so that findRunnable's idle-time marking picks the
     * work up. Without this, a cycle that starts while the last spinning M drops its P has nobody to
     * mark it: startTheWorld's wakep sees nmspinning != 0 and wakes no one, the spinning M then parks,
     * and the run waits for a mark that never happens (the 1-in-60 Fanout timeout of issue 19). Models
     * proc.go: checkIdleGCNoP (Go 1.21), which returns the P and the worker; here the M goes back to
     * the top of findRunnable, which finds the worker. Executed only by this M.
     */
    private boolean checkIdleGCNoP() {
        final Sched s = sched;
        if (!s.gc.blackenEnabled || !s.gc.markWorkAvailable() || !s.gc.needIdleMarkWorker()) {
            return false;
        }
        boolean got;
        s.global.lock.lock();
        try {
            got = s.pidleget(p);
        } finally {
            s.global.lock.unlock();
        }
        if (!got) {
            return false; // someone woke us meanwhile (startm): stopm returns at once
        }
        p.setStatus(P.RUNNING); // acquirep
        logState(WaitCause.OTHER);
        becomeSpinning();
        return true;
    }

    /**
     * After giving up the P while spinning: if any non-idle P has work, take our P back and go
     * spinning again (proc.go: checkRunqsNoP, Go 1.21). Executed only by this M.
     */
    private boolean recheckRunqs() {
        final Sched s = sched;
        for (P p2 : s.allp) {
            if (!s.isIdle(p2.id) && !p2.stealer().runqempty()) {
                boolean got;
                s.global.lock.lock();
                try {
                    got = s.pidleget(p);
                } finally {
                    s.global.lock.unlock();
                }
                if (got) {
                    p.setStatus(P.RUNNING); // acquirep
                    logState(WaitCause.OTHER);
                    becomeSpinning();
                    return true;
                }
                return false; // someone woke us meanwhile (startm): stopm returns at once
            }
        }
        return false;
    }

    /**
     * Stops this M's P for a stop-the-world and sleeps until the world starts again with work for it.
     * Models proc.go: gcstopm (Go 1.21): a spinning M stops spinning first. Executed only by this M.
     */
    private void gcstopm() {
        if (spinning) {
            spinning = false;
            if (sched.nmspinning.decrementAndGet() < 0) {
                throw new IllegalStateException("gcstopm: negative nmspinning");
            }
        }
        long t = System.nanoTime();
        executor.endSlice(t);
        if (log != null) {
            log.state(t, WaitCause.IDLE); // _Pgcstop; the stop-the-world range counts as stw on every P
        }
        sched.gcstopP(p);
        stopm();
    }

    /** proc.go: m.becomeSpinning (Go 1.21): also clears sched.needspinning. Executed only by this M. */
    private void becomeSpinning() {
        spinning = true;
        sched.nmspinning.incrementAndGet();
        sched.needspinning.set(0);
    }

    /** proc.go: resetspinning (Go 1.21). Executed only by this M. */
    private void resetspinning() {
        spinning = false;
        if (sched.nmspinning.decrementAndGet() < 0) {
            throw new IllegalStateException("findRunnable: negative nmspinning");
        }
        // M wakeup policy is deliberately somewhat conservative, so check if we need to wakeup
        // another P here.
        sched.wakep(p.id + 1);
    }

    /**
     * Attempts to steal a runnable G from any P: 4 passes over all Ps in a random order, runnext
     * only on the last pass, idle Ps skipped. Models proc.go: stealWork (Go 1.21), without timers.
     * Executed only by the owner P.
     */
    private G stealWork() {
        final Sched s = sched;
        final RandomOrder order = s.stealOrder;
        final P[] allp = s.allp;
        for (int i = 0; i < SchedConfig.GO_STEAL_TRIES; i++) {
            boolean stealRunNextG = i == SchedConfig.GO_STEAL_TRIES - 1;
            int r = rand.nextInt();
            int pos = order.startPos(r);
            int inc = order.step(r);
            for (int k = 0; k < order.count(); k++, pos = order.next(pos, inc)) {
                if (s.stopping() || s.gcwaiting) {
                    return null;
                }
                P p2 = allp[pos];
                if (p2 == p) {
                    continue;
                }
                // Don't bother to attempt to steal if p2 is idle.
                if (s.isIdle(pos)) {
                    continue;
                }
                metrics.stealAttempts++;
                long t0 = System.nanoTime();
                G gp = local.runqsteal(p2.stealer(), stealRunNextG, this);
                if (gp != null) {
                    metrics.record(metrics.stealDuration, System.nanoTime() - t0);
                    metrics.stealSuccesses++;
                    return gp;
                }
            }
        }
        return null;
    }

    /** Counts what a steal moved (from runqsteal). Executed only by this M. */
    @Override
    public void stolen(int count, boolean runnext) {
        metrics.gsStolen += count;
        if (runnext) {
            metrics.runnextSteals++;
        }
    }

    /**
     * Stops this M until it is woken with work (its P taken off the idle list by wakep or by the end
     * of the run). Models proc.go: stopm (Go 1.21) and, on wake-up, acquirep. Executed only by this M.
     */
    private void stopm() {
        metrics.mParks++;
        while (!notified && !sched.stopping()) {
            LockSupport.park(this);
        }
        notified = false;
        if (sched.stopping()) {
            return;
        }
        metrics.mUnparks++;
        p.setStatus(P.RUNNING); // acquirep
        logState(WaitCause.OTHER);
        if (wakeSpinning) {
            spinning = true; // nmspinning was incremented by wakep on our behalf
        }
    }

    /** Logs this P's new state now (when metrics are on). Executed only by this M. */
    private void logState(WaitCause c) {
        if (log != null) {
            log.state(System.nanoTime(), c);
        }
    }

    /** Wakes this M (startm(pp, spinning) for the P paired with it). Can be executed by any thread. */
    void wake(boolean spinning) {
        wakeSpinning = spinning;
        notified = true; // volatile write publishes wakeSpinning; pairs with the read in stopm
        LockSupport.unpark(thread);
    }

}
