package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;
import dev.gmpdefer.model.metrics.RunMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler of one run: allp, the global run queue, the idle P list, the spinning-M count, the G
 * free list, sysmon, and the entry point {@link #run(Workload, SchedConfig)}.
 *
 * <p>Models runtime2.go: type schedt and proc.go (Go 1.21): pidleput / pidleget, wakep, startm,
 * stopm (see {@link M}), gfput / gfget, and the deadlock check of checkdead. See the package
 * documentation for the whole design and what is simplified.
 */
public final class Sched {
    final SchedConfig config;
    final int procs;
    final P[] allp;
    final M[] allm;
    final GlobalRunQueue global;
    final RandomOrder stealOrder;

    /** Number of spinning Ms (runtime2.go: sched.nmspinning). Seq-cst atomics, as in Go. */
    final AtomicInteger nmspinning = new AtomicInteger();
    /**
     * Set when a wakep found no idle P to start spinning, while work was waiting (runtime2.go:
     * sched.needspinning, Go 1.21); a non-spinning M about to drop its P starts spinning instead, and
     * becomeSpinning clears it. Seq-cst atomics, as in Go.
     */
    final AtomicInteger needspinning = new AtomicInteger();
    /** Number of idle Ps (sched.npidle). Written under global.lock; read racily. */
    final AtomicInteger npidle = new AtomicInteger();
    /** Idle P list (sched.pidle) as a flag per P; guarded by global.lock. */
    private final boolean[] pidle;

    /** Global G free list (sched.gFree), guarded by gfreeLock; grows when needed. */
    private final Object gfreeLock = new Object();
    private G[] gfreeGlobal;
    private int gfreeGlobalN;
    private final AtomicInteger gObjects = new AtomicInteger();
    /** goid source (sched.goidgen); Ms take batches of {@link #GOID_BATCH} (proc.go: _GoidCacheBatch). */
    final AtomicLong goidgen = new AtomicLong();
    static final int GOID_BATCH = 16;

    /** Gs created before the Ms start (counted separately from the per-P spawn counters). */
    private long initialGs;

    /** The garbage collector (always there; with GOGC=off it only counts the heap). */
    final Gc gc;
    /** The workload of the run (for clearpools). */
    private Workload workload;
    /** sched.gcwaiting: a stop-the-world is under way; Ms stop at their next scheduling point. */
    volatile boolean gcwaiting;
    /** sched.stopwait: Ps still to stop; guarded by global.lock. */
    private int stopwait;
    /** The thread stopping the world (the GC controller), unparked by the last P to stop. */
    private volatile Thread stopper;

    private volatile boolean stopping;
    private volatile RunResult.Outcome outcome;
    private volatile Throwable failure;
    private final CountDownLatch done = new CountDownLatch(1);
    final AtomicLong preemptRequests = new AtomicLong();

    private Sched(SchedConfig config) {
        this.config = config;
        this.procs = config.procs;
        this.global = new GlobalRunQueue(config.ringCapacity / 2);
        this.stealOrder = new RandomOrder(procs);
        this.allp = new P[procs];
        this.allm = new M[procs];
        this.pidle = new boolean[procs];
        this.gfreeGlobal = new G[1024];
        StealPause pause = config.stealPause();
        for (int i = 0; i < procs; i++) {
            allp[i] = new P(i, config.ringCapacity, global, pause, new PMetrics(config.recordMetrics));
        }
        for (int i = 0; i < procs; i++) {
            allm[i] = new M(i, allp[i], this);
            allp[i].m = allm[i];
        }
        this.gc = new Gc(this, config);
    }

    /** A scheduler whose Ms are not started, for tests that drive findRunnable from one thread. */
    static Sched forTest(SchedConfig config) {
        return new Sched(config);
    }

    /**
     * Runs {@code workload} on a fresh scheduler configured by {@code config} and returns its metrics.
     * The calling thread only starts the Ms and sysmon and waits; it is not an M.
     */
    public static RunResult run(Workload workload, SchedConfig config) {
        Sched s = new Sched(config);
        return s.runOnce(workload);
    }

    private RunResult runOnce(Workload workload) {
        this.workload = workload;
        workload.beforeRun(); // before any M starts and before the run's clock: not part of the run
        workload.start(new Workload.Spawner() {
            @Override
            public int procs() {
                return procs;
            }

            @Override
            public G spawn(int pid, GBody body, long r0, Object peer, boolean next) {
                if (pid < 0 || pid >= procs) {
                    throw new IllegalArgumentException("spawn: pid must be in 0.." + (procs - 1) + ": " + pid);
                }
                P pp = allp[pid];
                G g = newproc1(pp, null, body, r0, peer, System.nanoTime());
                initialGs++;
                pp.local().runqput(g, next);
                return g;
            }
        });
        if (initialGs == 0) {
            throw new IllegalArgumentException("workload " + workload.name() + " spawned no goroutine");
        }
        long t0 = System.nanoTime();
        Sysmon sysmon = config.sysmon ? new Sysmon(this) : null;
        for (M m : allm) {
            m.start();
        }
        if (sysmon != null) {
            sysmon.start();
        }
        gc.start();
        boolean finished;
        try {
            finished = done.await(config.timeoutNs, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            finish(RunResult.Outcome.TIMED_OUT);
        }
        if (failure != null) {
            for (M m : allm) {
                m.join();
            }
            throw new IllegalStateException("run of " + workload.name() + " failed: " + failure, failure);
        }
        long wall = System.nanoTime() - t0;
        for (M m : allm) {
            m.join();
        }
        if (sysmon != null) {
            sysmon.join();
        }
        gc.join();
        List<PMetrics> pm = new ArrayList<>(procs);
        long created = initialGs;
        long exited = 0;
        for (P p : allp) {
            pm.add(p.metrics);
            created += p.metrics.spawns;
            exited += p.metrics.exits;
        }
        RunMetrics merged = RunMetrics.merge(pm);
        gc.report(merged);
        if (config.recordMetrics) { // every wait split by what the Ps did meanwhile (WaitCauses)
            List<dev.gmpdefer.model.metrics.PStateLog> logs = new ArrayList<>(procs);
            for (PMetrics m : pm) {
                logs.add(m.log);
            }
            merged.setWaitCauses(dev.gmpdefer.model.metrics.WaitCauses.of(logs, gc.stwBegins(), gc.stwEnds(),
                    gc.stwCount()));
        }
        return new RunResult(workload.name(), config, outcome, wall, created, exited, gObjects.get(),
                preemptRequests.get(), merged);
    }

    /** Records the first failure of an M and ends the run. */
    void fail(Throwable t) {
        synchronized (this) {
            if (failure == null) {
                failure = t;
            }
        }
        finish(RunResult.Outcome.TIMED_OUT);
    }

    boolean stopping() {
        return stopping;
    }

    /** Ends the run: stops every M (hogs are asked to yield through their preempt flag). Any thread. */
    void finish(RunResult.Outcome o) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            outcome = o;
            stopping = true;
        }
        long now = System.nanoTime();
        for (P p : allp) {
            G g = p.curg();
            if (g != null) {
                g.requestPreempt(now);
            }
        }
        for (M m : allm) {
            m.wake(false);
        }
        Thread t = stopper;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
        done.countDown();
    }

    // ---- idle P list (guarded by global.lock) ----

    /** Puts pp on the idle list. Models proc.go: pidleput (Go 1.21). Caller holds global.lock. */
    void pidleput(P pp) {
        assert global.lock.isHeldByCurrentThread();
        if (!pp.stealer().runqempty()) {
            throw new IllegalStateException("pidleput: P has non-empty run queue");
        }
        pp.setStatus(P.IDLE);
        pidle[pp.id] = true;
        npidle.incrementAndGet();
    }

    /** Takes a specific P off the idle list; false if it was not idle. Caller holds global.lock. */
    boolean pidleget(P pp) {
        assert global.lock.isHeldByCurrentThread();
        if (!pidle[pp.id]) {
            return false;
        }
        pidle[pp.id] = false;
        npidle.decrementAndGet();
        return true;
    }

    /** Takes any idle P, or null. Models proc.go: pidleget (Go 1.21). Caller holds global.lock. */
    P pidlegetAny(int start) {
        assert global.lock.isHeldByCurrentThread();
        for (int i = 0; i < procs; i++) {
            int id = (start + i) % procs;
            if (pidle[id]) {
                pidle[id] = false;
                npidle.decrementAndGet();
                return allp[id];
            }
        }
        return null;
    }

    boolean isIdle(int pid) {
        return pidle[pid]; // racy read, like Go's idlepMask.read in stealWork
    }

    /**
     * Tries to add one more P to execute Gs: if no M is spinning, takes an idle P and starts its M
     * spinning; with no idle P, sets needspinning so that an M about to drop its P spins instead.
     * Models proc.go: wakep (Go 1.21): "be conservative about spinning threads, only start one if none
     * exist already". Go 1.21 has no fast path on npidle (Go 1.20's callers had one): the lost wake-up
     * that such a check allows is what needspinning closes. Can be executed by any M.
     */
    void wakep(int hint) {
        // The caller just published work (runqput's store-release or the global lock). Go's atomics
        // are sequentially consistent; a Java release store may pass a later load, so fence here to
        // keep the work-then-check-nmspinning order that the spinning M's check-then-recheck relies on.
        java.lang.invoke.VarHandle.fullFence();
        if (nmspinning.get() != 0 || !nmspinning.compareAndSet(0, 1)) {
            return;
        }
        P pp;
        global.lock.lock();
        try {
            pp = pidlegetSpinning(hint);
        } finally {
            global.lock.unlock();
        }
        if (pp == null) {
            if (nmspinning.decrementAndGet() < 0) {
                throw new IllegalStateException("wakep: negative nmspinning");
            }
            return;
        }
        pp.m.wake(true); // startm(pp, spinning=true)
    }

    /**
     * An idle P for an M that will spin; with none, records that one is needed ("we found work that we
     * cannot take, we must synchronize with non-spinning Ms that may be preparing to drop their P").
     * Models proc.go: pidlegetSpinning (Go 1.21). Caller holds global.lock.
     */
    P pidlegetSpinning(int start) {
        P pp = pidlegetAny(start);
        if (pp == null) {
            needspinning.set(1);
        }
        return pp;
    }

    /**
     * Called by an M that has just put its P on the idle list: when every P is idle and Gs are
     * left, they are blocked forever. Models proc.go: checkdead (Go 1.21), reduced to that case.
     * Caller holds global.lock.
     */
    void checkdead() {
        assert global.lock.isHeldByCurrentThread();
        if (npidle.get() != procs || global.size() != 0) {
            return;
        }
        if (gc.cycleActive()) {
            // Go's checkdead counts running Ms, and a GC cycle always has one (gcStart's or the worker's
            // that ends the mark); here the cycle runs on the controller thread, which is not an M.
            // Parked assists are woken at mark termination; startTheWorld checks again.
            return;
        }
        long created = initialGs;
        long exited = 0;
        for (P p : allp) {
            created += p.metrics.spawns; // every M is idle: their counters are stable and were
            exited += p.metrics.exits;   // published by the global lock each took to go idle
        }
        finish(created == exited ? RunResult.Outcome.COMPLETED : RunResult.Outcome.DEADLOCK);
    }

    // ---- stop and start the world (proc.go: stopTheWorldWithSema, startTheWorldWithSema) ----

    /**
     * Stops every P: sets gcwaiting, takes the idle Ps, asks the running Gs to yield (preemptall) and
     * waits until each M has stopped its P at its next scheduling point (gcstopm), asking again every
     * 100 us as Go does. The caller holds no P (the GC controller). Models proc.go: stopTheWorldWithSema
     * (Go 1.21). Returns false when the run ended meanwhile.
     */
    boolean stopTheWorld() {
        stopper = Thread.currentThread();
        global.lock.lock();
        try {
            gcwaiting = true;
            stopwait = procs;
            for (P pp : allp) {
                if (pidle[pp.id]) { // stop idle Ps now
                    pidle[pp.id] = false;
                    npidle.decrementAndGet();
                    pp.setStatus(P.GCSTOP);
                    stopwait--;
                }
            }
        } finally {
            global.lock.unlock();
        }
        for (;;) {
            global.lock.lock();
            try {
                if (stopwait == 0) {
                    return true;
                }
            } finally {
                global.lock.unlock();
            }
            if (stopping) {
                return false;
            }
            long now = System.nanoTime();
            for (P pp : allp) { // preemptall
                G g = pp.curg();
                if (g != null) {
                    g.requestPreempt(now);
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, 100_000L);
        }
    }

    /**
     * An M stops its P for the stop-the-world: the P goes to _Pgcstop, the last one wakes the stopper,
     * and the M sleeps until the world starts again with work for its P. Models proc.go: gcstopm
     * (Go 1.21). Executed only by pp's M.
     */
    void gcstopP(P pp) {
        global.lock.lock();
        try {
            pp.setStatus(P.GCSTOP);
            if (--stopwait == 0) {
                java.util.concurrent.locks.LockSupport.unpark(stopper);
            }
        } finally {
            global.lock.unlock();
        }
    }

    /**
     * Restarts the world: a stopped P with local work gets its M woken; the others go idle; then one
     * more spinning M if there is work for it. Models proc.go: startTheWorldWithSema (Go 1.21), with
     * procresize's "runnable Ps first" and the closing wakep.
     */
    void startTheWorld() {
        P[] wake = new P[procs];
        int n = 0;
        global.lock.lock();
        try {
            gcwaiting = false;
            for (P pp : allp) {
                if (pp.stealer().runqempty()) {
                    pp.setStatus(P.IDLE);
                    pidle[pp.id] = true;
                    npidle.incrementAndGet();
                } else {
                    wake[n++] = pp;
                }
            }
        } finally {
            global.lock.unlock();
        }
        for (int i = 0; i < n; i++) {
            wake[i].m.wake(false);
        }
        wakep(0);
        if (npidle.get() == procs && global.size() == 0) {
            global.lock.lock();
            try {
                checkdead();
            } finally {
                global.lock.unlock();
            }
        }
    }

    /**
     * A dedicated mark worker was preempted: its P's local Gs go to the global queue so that other Ps
     * run them. Models mgc.go: gcBgMarkWorker's runqdrain + globrunqputbatch. Executed only by pp's M.
     */
    void runqdrainToGlobal(P pp) {
        LocalRunQueue q = pp.local();
        G[] batch = new G[q.capacity() + 1];
        int n = 0;
        for (G g; (g = q.runqget()) != null; ) {
            batch[n++] = g;
        }
        if (n > 0) {
            global.putBatch(batch, n);
            wakep(pp.id + 1);
        }
    }

    /**
     * Makes parked Gs runnable with the world stopped: as many as there are idle Ps to the global queue,
     * the rest on pp's local queue (runqputbatch: what does not fit goes to the global queue); with no P,
     * all to the global queue. Models proc.go: injectglist (Go 1.21), as gcWakeAllAssists calls it from
     * gcMarkDone. Returns the Gs put on the global queue.
     */
    int injectglistWorldStopped(G[] gs, P pp) {
        long now = System.nanoTime();
        for (G g : gs) {
            g.casStatus(GStatus.WAITING, GStatus.RUNNABLE);
            g.runnableSince = now;
        }
        int toGlobal = pp == null ? gs.length : Math.min(gs.length, npidle.get());
        int globalN = 0;
        for (int i = 0; i < toGlobal; i++) {
            global.put(gs[i]);
            globalN++;
        }
        for (int i = toGlobal; i < gs.length; i++) {
            if (pp.local().free() > 0) {
                pp.local().runqputWorldStopped(gs[i]);
            } else {
                global.put(gs[i]);
                globalN++;
            }
        }
        return globalN;
    }

    /** The heap the workload holds before the run starts (pooled records of earlier runs). */
    long workloadHeapBytes() {
        Workload w = workload;
        return w == null ? 0 : w.heapBytes();
    }

    /** The workload's stack bytes a cycle scans (scanstack); called with the world stopped. */
    long workloadStackScanBytes() {
        Workload w = workload;
        return w == null ? 0 : w.stackScanBytes();
    }

    /** mgc.go: clearpools, through the workload (the defer pools). Called with the world stopped. */
    long workloadClearpools() {
        Workload w = workload;
        return w == null ? 0 : w.clearpools();
    }

    // ---- G creation and free lists (proc.go: newproc1, gfput / gfget) ----

    /**
     * A G ready to run {@code body}: a dead G from pp's free list (or a new one), a goid from pp's
     * batch, the arguments in its registers, status _Grunnable. The caller puts it on a run queue.
     * Models proc.go: newproc1 (Go 1.21), without the stack. Executed only by the owner of pp (or
     * before the Ms start).
     */
    G newproc1(P pp, G caller, GBody body, long r0, Object peer, long now) {
        G g = gfget(pp);
        if (g.goid == 0) { // malg: a new g struct on the heap, charged to the G that called newproc
            gc.mallocgc(caller, pp.id, G_STRUCT_BYTES);
        }
        initG(pp, g, body, r0, peer, now);
        return g;
    }

    /** Heap bytes of a new g (runtime2.go: type g is ~430 bytes on amd64 in Go 1.21; size class 448). */
    static final long G_STRUCT_BYTES = 448;

    /** newproc1's set-up of {@code g}'s registers and goid (proc.go: newproc1, the part after gfget). */
    static void initG(P pp, G g, GBody body, long r0, Object peer, long now) {
        if (pp.goidcache == pp.goidcacheend) {
            // Sched.goidgen is the only global counter; a P takes a batch at a time (_GoidCacheBatch).
            pp.goidcache = pp.m.sched.goidgen.getAndAdd(GOID_BATCH) + 1;
            pp.goidcacheend = pp.goidcache + GOID_BATCH;
        }
        g.goid = pp.goidcache++;
        g.gc = pp.m.sched.gc;
        g.body = body;
        g.pc = 0;
        g.r0 = r0;
        g.r1 = 0;
        g.r2 = 0;
        g.r3 = 0;
        g.peer = peer;
        g.runnableSince = now;
        g.initStatus(GStatus.RUNNABLE); // newproc1: _Gdead -> _Grunnable
    }

    /**
     * Puts a dead G on pp's free list; past 64, moves 32 to the global list.
     * Models proc.go: gfput (Go 1.21). Executed only by the owner of pp.
     */
    void gfput(P pp, G gp) {
        G[] local = pp.gFree;
        local[pp.gFreeN++] = gp;
        if (pp.gFreeN >= 64) {
            synchronized (gfreeLock) {
                if (gfreeGlobalN + 64 > gfreeGlobal.length) {
                    gfreeGlobal = java.util.Arrays.copyOf(gfreeGlobal, gfreeGlobal.length * 2);
                }
                while (pp.gFreeN > 32) {
                    gfreeGlobal[gfreeGlobalN++] = local[--pp.gFreeN];
                    local[pp.gFreeN] = null;
                }
            }
        }
    }

    /**
     * Gets a G from the free lists (pp's, then a batch of up to 32 from the global list), or allocates
     * one. Models proc.go: gfget + malg (Go 1.21). Executed only by the owner of pp.
     */
    G gfget(P pp) {
        G[] local = pp.gFree;
        if (pp.gFreeN == 0 && gfreeGlobalN > 0) {
            synchronized (gfreeLock) {
                while (pp.gFreeN < 32 && gfreeGlobalN > 0) {
                    local[pp.gFreeN++] = gfreeGlobal[--gfreeGlobalN];
                    gfreeGlobal[gfreeGlobalN] = null;
                }
            }
        }
        if (pp.gFreeN > 0) {
            G g = local[--pp.gFreeN];
            local[pp.gFreeN] = null;
            return g;
        }
        return new G(gObjects.getAndIncrement());
    }
}
