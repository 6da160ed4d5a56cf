package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.internal.FastRand;
import dev.gmpdefer.model.metrics.PMetrics;

import java.util.concurrent.locks.LockSupport;

/**
 * A machine: a platform thread that runs Gs while it holds its P, and parks when there is nothing to
 * do. Implements {@link Exec}, the runtime calls a running G can make.
 *
 * <p>Models proc.go (Go 1.21): schedule, findRunnable, stealWork, execute, resetspinning, stopm /
 * startm, goexit0, goschedImpl, gopreempt_m, goyield_m, park_m, newproc / newproc1, ready.
 *
 * <p>Simplification: Go's Ms and Ps are separate pools (an M gives up its P in a syscall and any idle
 * M may take any idle P). The model has no syscalls, so it pairs them 1:1: M i always runs P i, a
 * parked M's P sits on the idle list, and {@code startm(pp)} wakes the M of {@code pp}. The set of
 * Ps that run, go idle and get woken is the same as Go's for these workloads.
 */
final class M implements Exec, Runnable {
    final int id;
    final P p;
    final Sched sched;
    private final LocalRunQueue local;
    private final PMetrics metrics;
    private final FastRand rand;
    private final Thread thread;

    /** Whether this M is spinning (looking for work to steal). Owned by this M. */
    boolean spinning;

    /** Park/unpark hand-off (proc.go: mPark / notewakeup(&mp.park)). Written by the waker, then unpark. */
    private volatile boolean notified;
    /** Whether the waker wants this M to start spinning (startm's spinning argument). */
    private volatile boolean wakeSpinning;

    /** Per-P free G list (p.gFree), used by Sched.gfput / gfget. Owned by this M. */
    final G[] gfree = new G[128];
    int gfreeN;

    /** goid batch (p.goidcache / goidcacheend). */
    private long goidcache;
    private long goidcacheend;

    /** Set by {@link #park(Sema)} for the park that follows the body's return. */
    private Sema parkOn;

    /** Start of the current time slice (0 when idle). */
    private long sliceStart;

    /** Results of findRunnable (multiple returns without allocation). */
    boolean foundInherit;
    private int foundSource;
    private static final int SRC_RUNNEXT = 0;
    private static final int SRC_RING = 1;
    private static final int SRC_GLOBAL_FAIR = 2;
    private static final int SRC_GLOBAL = 3;
    private static final int SRC_STEAL = 4;

    M(int id, P p, Sched sched) {
        this.id = id;
        this.p = p;
        this.sched = sched;
        this.local = p.local();
        this.metrics = p.metrics;
        this.rand = new FastRand(sched.config.seed * 31 + id);
        this.thread = new Thread(this, "gmpdefer-M" + id);
        this.thread.setDaemon(true);
    }

    void start() {
        p.runq.bindOwner(thread);
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
            execute(gp, foundInherit, foundSource);
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
            // Check the global runnable queue once in a while to ensure fairness. Otherwise two
            // goroutines can completely occupy the local runqueue by constantly respawning each other.
            if (p.schedtick() % SchedConfig.GO_FAIRNESS_TICK == 0 && global.size() > 0) {
                G gp = global.get(local, procs, 1, cap);
                if (gp != null) {
                    return found(gp, false, SRC_GLOBAL_FAIR);
                }
            }
            // local runq
            G gp = local.runqget();
            if (gp != null) {
                boolean inherit = local.lastInheritTime();
                return found(gp, inherit, inherit ? SRC_RUNNEXT : SRC_RING);
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
            // We have nothing to do. Return P (after one last look at the global queue, under the
            // same lock as the idle list, so a G put there now cannot be missed by both sides).
            boolean spinAgain = false;
            global.lock.lock();
            try {
                if (s.stopping()) {
                    return null;
                }
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
                    endSlice(System.nanoTime());
                    s.pidleput(p); // releasep + pidleput
                    s.checkdead();
                }
            } finally {
                global.lock.unlock();
            }
            if (spinAgain) {
                continue; // goto top
            }
            boolean wasSpinning = spinning;
            if (wasSpinning) {
                // Delicate dance: thread transitions from spinning to non-spinning state, potentially
                // concurrently with submission of new work. Decrement nmspinning first, then check
                // all per-P queues (with a full fence in between, as Go's atomics give), since a
                // submitter that saw nmspinning != 0 did not wake anyone.
                spinning = false;
                if (s.nmspinning.decrementAndGet() < 0) {
                    throw new IllegalStateException("findRunnable: negative nmspinning");
                }
                if (recheckRunqs()) {
                    continue; // got our P back, spinning again
                }
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
     * After giving up the P while spinning: if any non-idle P has work, take our P back and go
     * spinning again (proc.go: checkRunqsNoP, Go 1.21). Executed only by this M.
     */
    private boolean recheckRunqs() {
        final Sched s = sched;
        for (P p2 : s.allp) {
            if (!s.isIdle(p2.id) && !p2.runq.runqempty()) {
                boolean got;
                s.global.lock.lock();
                try {
                    got = s.pidleget(p);
                } finally {
                    s.global.lock.unlock();
                }
                if (got) {
                    p.setStatus(P.RUNNING); // acquirep
                    becomeSpinning();
                    return true;
                }
                return false; // someone woke us meanwhile (startm): stopm returns at once
            }
        }
        return false;
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
                if (s.stopping()) {
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
                G gp = local.runqsteal(p2.stealView(), stealRunNextG);
                if (gp != null) {
                    metrics.record(metrics.stealDuration, System.nanoTime() - t0);
                    metrics.stealSuccesses++;
                    metrics.gsStolen += local.lastStealCount();
                    if (local.lastStealWasRunnext()) {
                        metrics.runnextSteals++;
                    }
                    return gp;
                }
            }
        }
        return null;
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
        if (wakeSpinning) {
            spinning = true; // nmspinning was incremented by wakep on our behalf
        }
    }

    /** Wakes this M (startm(pp, spinning) for the P paired with it). Can be executed by any thread. */
    void wake(boolean spinning) {
        wakeSpinning = spinning;
        notified = true; // volatile write publishes wakeSpinning; pairs with the read in stopm
        LockSupport.unpark(thread);
    }

    private void endSlice(long now) {
        if (sliceStart != 0) {
            metrics.record(metrics.sliceLength, now - sliceStart);
            sliceStart = 0;
        }
    }

    /**
     * Schedules gp to run on this M: records its scheduling latency, starts a new time slice unless
     * it inherits the current one, and runs it until its next scheduling event, which it then handles.
     * Models proc.go: execute (Go 1.21) and the handlers of the events a G body returns.
     * Executed only by the owner P.
     */
    private void execute(G gp, boolean inheritTime, int source) {
        long now = System.nanoTime();
        for (;;) {
            gp.casStatus(GStatus.RUNNABLE, GStatus.RUNNING);
            gp.clearPreempt(); // Go: gp.preempt = false in execute
            if (!inheritTime) {
                p.incSchedtick();
                endSlice(now);
                sliceStart = now;
            }
            metrics.record(metrics.schedLatency, now - gp.runnableSince);
            switch (source) {
                case SRC_RUNNEXT: metrics.startsRunnext++; break;
                case SRC_RING: metrics.startsRing++; break;
                case SRC_GLOBAL_FAIR: metrics.startsGlobalFairness++; break;
                case SRC_GLOBAL: metrics.startsGlobalBatch++; break;
                default: metrics.startsSteal++; break;
            }
            p.setCurg(gp);
            int ev = gp.body.run(gp, this);
            p.setCurg(null);
            now = System.nanoTime();
            switch (ev) {
                case GBody.EXIT:
                    goexit0(gp);
                    return;
                case GBody.GOSCHED:
                    metrics.gosched++;
                    goschedImpl(gp, now);
                    return;
                case GBody.PREEMPTED:
                    if (gp.laPreempt()) {
                        metrics.record(metrics.preemptLatency, now - gp.preemptRequestedAt);
                        metrics.preemptions++;
                        gp.clearPreempt();
                    }
                    goschedImpl(gp, now); // gopreempt_m
                    return;
                case GBody.HYPOTHETICAL_DEFER_REQUEUE:
                    // The article's mechanism (C9), modelled only to show what it would produce.
                    metrics.hypotheticalRequeues++;
                    goschedImpl(gp, now);
                    return;
                case GBody.GOYIELD:
                    metrics.goyield++;
                    gp.casStatus(GStatus.RUNNING, GStatus.RUNNABLE); // goyield_m
                    gp.runnableSince = now;
                    local.runqput(gp, false);
                    return;
                case GBody.PARK:
                    if (!parkM(gp)) {
                        return;
                    }
                    // A token arrived before we parked: the G runs on in the same slice.
                    gp.casStatus(GStatus.RUNNING, GStatus.RUNNABLE);
                    gp.runnableSince = now;
                    inheritTime = true;
                    source = SRC_RUNNEXT;
                    continue;
                default:
                    throw new IllegalStateException("execute: body of " + gp + " returned " + ev);
            }
        }
    }

    /** proc.go: goexit0 (Go 1.21): _Grunning -> _Gdead, then gfput. Executed only by the owner P. */
    private void goexit0(G gp) {
        gp.casStatus(GStatus.RUNNING, GStatus.DEAD);
        gp.body = null;
        gp.peer = null;
        metrics.exits++;
        sched.gfput(this, gp);
    }

    /**
     * Puts gp on the global queue tail (both Gosched and preemption do). Models proc.go: goschedImpl
     * (Go 1.21): casgstatus to _Grunnable, globrunqput under sched.lock, then schedule. Go 1.21 does not
     * call wakep here (the M goes on scheduling; Go 1.22 added a wakep). Executed only by the owner P.
     */
    private void goschedImpl(G gp, long now) {
        gp.casStatus(GStatus.RUNNING, GStatus.RUNNABLE);
        gp.runnableSince = now;
        sched.global.put(gp);
    }

    /**
     * park_m with the semaphore's unlock function: under the semaphore's monitor, takes a token if
     * one arrived, else marks gp waiting on it. Models proc.go: park_m (Go 1.21) with
     * sema.go/chan.go's unlockf. Executed only by the owner P.
     *
     * @return true when gp took a token and must run on
     */
    private boolean parkM(G gp) {
        Sema s = parkOn;
        parkOn = null;
        if (s == null) {
            throw new IllegalStateException("park_m: body returned PARK without calling park(Sema)");
        }
        synchronized (s) {
            if (s.tryAcquire()) {
                return true;
            }
            if (s.waiter != null) {
                throw new IllegalStateException("park_m: semaphore already has a waiter: " + s.waiter);
            }
            gp.casStatus(GStatus.RUNNING, GStatus.WAITING);
            s.waiter = gp;
        }
        metrics.gparks++;
        return false;
    }

    // ---- Exec: what a running G can call ----

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public int pid() {
        return p.id;
    }

    @Override
    public P p() {
        return p;
    }

    void initG(G g, GBody body, long r0, Object peer, long now) {
        if (goidcache == goidcacheend) {
            goidcache = sched.goidgen.getAndAdd(Sched.GOID_BATCH) + 1;
            goidcacheend = goidcache + Sched.GOID_BATCH;
        }
        g.goid = goidcache++;
        g.body = body;
        g.pc = 0;
        g.r0 = r0;
        g.r1 = 0;
        g.r2 = 0;
        g.peer = peer;
        g.runnableSince = now;
        g.initStatus(GStatus.RUNNABLE); // newproc1: _Gdead -> _Grunnable
    }

    @Override
    public G newproc(GBody body, long r0) {
        return newproc(body, r0, null);
    }

    /**
     * Creates a G running body and puts it in this P's runnext; the G it displaces goes to the tail.
     * Models proc.go: newproc (Go 1.21): newproc1, runqput(pp, newg, true), wakep.
     * Executed only by the owner P.
     */
    @Override
    public G newproc(GBody body, long r0, Object peer) {
        G newg = sched.gfget(this);
        initG(newg, body, r0, peer, System.nanoTime());
        metrics.spawns++;
        local.runqput(newg, true);
        sched.wakep(p.id + 1);
        return newg;
    }

    /**
     * Releases a token; a waiter is made runnable in this P's runnext.
     * Models proc.go: ready (Go 1.21), reached through goready from sema.go / chan.go.
     * Executed only by the owner P.
     */
    @Override
    public void semrelease(Sema s) {
        G w;
        synchronized (s) {
            w = s.waiter;
            if (w != null) {
                s.waiter = null;
            } else {
                s.tokens.incrementAndGet();
            }
        }
        if (w != null) {
            ready(w);
        }
    }

    /** proc.go: ready (Go 1.21): _Gwaiting -> _Grunnable, runqput(next=true), wakep. Owner P only. */
    private void ready(G gp) {
        gp.casStatus(GStatus.WAITING, GStatus.RUNNABLE);
        gp.runnableSince = System.nanoTime();
        local.runqput(gp, true);
        sched.wakep(p.id + 1);
    }

    @Override
    public boolean trySemacquire(Sema s) {
        return s.tryAcquire();
    }

    @Override
    public int park(Sema s) {
        parkOn = s;
        return GBody.PARK;
    }
}
