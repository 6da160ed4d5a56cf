package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.internal.Spin;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Go's garbage collector as the scheduler sees it: heap accounting, the pacer's trigger, a cycle's two
 * stops of the world, clearpools, mark workers chosen ahead of the run queues, mark assists that pay or
 * park, and mark termination. Objects are not traced: the mark phase is CPU burned in proportion to the
 * live heap, at the rate measured from real Go's gctrace on this machine ({@link SchedConfig#gcMarkNsPerByte}).
 *
 * <p>Models (Go 1.21; where Go 1.19 differs it is said):
 * <ul>
 *   <li>mgcpacer.go: gcControllerState (heapLive, heapMarked, the goal and trigger: {@link GcPacer});
 *       malloc.go: mallocgc's accounting (heapLive grows by whole spans: the model flushes each P's
 *       allocations every {@value #FLUSH_BYTES} bytes, like an mcache refilling a span) and its
 *       {@code gcTrigger.test} on the way;</li>
 *   <li>mgc.go: gcStart (stopTheWorldWithSema, clearpools, gcBgMarkPrepare / startCycle, gcBlackenEnabled,
 *       startTheWorldWithSema), gcMarkDone (the second stop, gcWakeAllAssists, endCycle) and
 *       gcMarkTermination (heapMarked, the next goal);</li>
 *   <li>mgc.go: gcBgMarkWorker and mgcpacer.go: findRunnableGCWorker (dedicated and fractional workers, ahead
 *       of the run queues), proc.go: findRunnable's idle-mode worker; a dedicated worker that is preempted
 *       moves its P's local run queue to the global queue (gcBgMarkWorker: runqdrain + globrunqputbatch);</li>
 *   <li>mgcmark.go: gcAssistAlloc (debt from allocation x assistWorkPerByte; steal background credit; else
 *       scan work on the G's own time; else gcParkAssist), gcFlushBgCredit (a worker's credit readies
 *       parked assists on its P: ready -> runqput, not runnext) and gcWakeAllAssists -> injectglist at
 *       mark termination (which reaches the global queue when the P's ring is full, or for the idle Ps).</li>
 * </ul>
 *
 * <p>The CPU Go's allocator and write barrier take is charged on the G that pays it ({@link #chargeMalloc}:
 * mallocgc per object and per fresh span; {@link #chargeWriteBarriers}: a barrier per pointer store while
 * marking), at real Go's measured rates ({@link SchedConfig#heapCosts}); the stack records on the Gs'
 * chains are scan work of each cycle (scanstack), as heap records are (they are part of the live heap).
 *
 * <p>Simplified (docs/gc.md has the list): the cycle is driven by a controller thread (Go's allocating G
 * runs gcStart itself, holding its P; here that G runs on to its next safe point while the world stops);
 * sweeping is charged inside mallocgc's per-object rate (measured in swept memory), not run by a
 * background sweeper; of the stacks only the defer records are scanned, and no G is suspended for it
 * (Go's scanstack stops the G it scans); no globals, no GC CPU limiter, no memory limit; every modelled
 * object has pointers; objects are live until the workload says they died ({@link G#heapDead}).
 */
final class Gc {
    /** Bytes a P allocates before heapLive sees them (an mcache span refill; small spans are 8 KiB). */
    static final long FLUSH_BYTES = 8 << 10;
    /** Scan work a worker does between preemption checks (mgcmark.go: gcDrain checks every ~100 KB of work). */
    static final long WORKER_CHUNK_BYTES = 64 << 10;
    /** mgcmark.go: gcOverAssistWork, the least an assist does at once. */
    static final long OVER_ASSIST_WORK = 64 << 10;

    static final int MODE_NONE = 0;
    static final int MODE_DEDICATED = 1;
    static final int MODE_FRACTIONAL = 2;
    static final int MODE_IDLE = 3;

    private final Sched sched;
    private final int procs;
    private final int gogc;
    private final double nsPerByte;
    private final SchedConfig.HeapCosts costs;

    // ---- pacer state (written by the controller with the world stopped or before the Ms start) ----
    private long heapMarked;
    private volatile long trigger;
    private volatile long heapGoal;
    private long lastScanWork;
    private final double[] lastConsMark = new double[4];
    private int consMarkIdx;

    /** heapLive: bytes allocated, as seen by the pacer (flushed from the Ps). */
    private final AtomicLong heapLive = new AtomicLong();
    private long heapLivePeak;

    // ---- the cycle ----
    /** mgc.go: gcBlackenEnabled. Written by the controller; read by Ms and allocating Gs. */
    volatile boolean blackenEnabled;
    /** Completed cycles (work.cycles); G.gcAssistCycle compares with it to reset a stale debt. */
    volatile int cycle;
    private volatile boolean startRequested;
    private volatile boolean markDoneRequested;
    private final AtomicLong scanWorkExpected = new AtomicLong();
    private final AtomicLong scanWorkClaimed = new AtomicLong();
    private final AtomicLong scanWorkDone = new AtomicLong();
    /** mgcpacer.go: bgScanCredit, scan work (bytes) the workers did beyond what parked assists needed. */
    private final AtomicLong bgScanCredit = new AtomicLong();
    /** mgcpacer.go: assistWorkPerByte, revised at each heapLive flush during mark. */
    private volatile double assistWorkPerByte;
    private volatile long markStartTime;
    private final AtomicInteger dedicatedNeeded = new AtomicInteger();
    private final AtomicInteger idleWorkers = new AtomicInteger();
    private volatile int maxIdleWorkers;
    private volatile double fractionalGoal;
    private final AtomicLong assistNanosThisCycle = new AtomicLong();
    private final AtomicLong idleNanosThisCycle = new AtomicLong();
    /** The P whose worker or assist finished the mark work: gcMarkDone runs "on" it (injectglist). */
    private volatile P markDoneP;

    /** work.assistQueue: parked assists, FIFO; guarded by {@code this}. */
    private final ArrayDeque<G> assistQueue = new ArrayDeque<>();

    // ---- per-run results ----
    private long cycles;
    private long stwNanos;
    private long stwMaxNanos;
    /** The stop-the-world ranges of this run, in time order (controller only; read after the run). */
    private long[] stwBegin = new long[16];
    private long[] stwEnd = new long[16];
    private int stwN;
    private long assistGlobalWakes;
    private long stackScanBytes;

    private Thread controller;

    Gc(Sched sched, SchedConfig config) {
        this.sched = sched;
        this.procs = config.procs;
        this.gogc = config.gogc;
        this.nsPerByte = config.gcMarkNsPerByte;
        this.costs = config.heapCosts;
        // gcinit: nothing marked yet; the goal is the minimum heap, the trigger within its bounds
        this.heapMarked = 0;
        this.heapGoal = GcPacer.heapGoal(0, 0, 0, gogc);
        this.trigger = gogc < 0 ? Long.MAX_VALUE : GcPacer.trigger(0, heapGoal, 0);
    }

    boolean enabled() {
        return gogc >= 0;
    }

    /** Whether a cycle was triggered and has not finished (gcMarkDone clears it before starting the world). */
    boolean cycleActive() {
        return startRequested;
    }

    // ---- the mutator side: mallocgc ----

    /**
     * A G allocated {@code bytes} (whole size-class objects) on P {@code pid}: heap accounting, the
     * trigger test at each flush, and during mark the assist debt. Models malloc.go: mallocgc's GC part
     * (deductAssistCredit, the span refill's heapLive update, gcTrigger.test). Executed by the M running
     * {@code g} on P {@code pid}.
     */
    void mallocgc(G g, int pid, long bytes) {
        P pp = sched.allp[pid];
        pp.heapAlloc += bytes;
        long pending = pp.heapPending + bytes;
        if (pending >= FLUSH_BYTES) {
            pp.heapPending = 0;
            flush(pending);
        } else {
            pp.heapPending = pending;
        }
        if (blackenEnabled && g != null) {
            assist(g, pp, bytes);
        }
    }

    /**
     * mallocgc's own CPU for {@code objects} small pointerful objects g allocated on P {@code pid}, plus
     * {@code freshSpans} spans of fresh memory (page faults): malloc.go's small-object path (nextFreeFast /
     * mcache.refill, heap bits, zeroing, sweeping's share), whatever GOGC. Burned on g's M at the rates of
     * {@link SchedConfig#heapCosts} (real Go's, measured). Executed by the M running g.
     */
    void chargeMalloc(G g, int pid, long objects, long freshSpans) {
        P pp = sched.allp[pid];
        long ns = charge(g, pp, objects * costs.mallocNsPerObject() + freshSpans * costs.freshSpanNs());
        pp.metrics.mallocNanos += ns;
    }

    /**
     * The write barriers of {@code stores} pointer stores g made on P {@code pid}: CPU only while the GC
     * marks (mbarrier.go: the barrier is on from gcStart's setGCPhase(_GCmark) to mark termination;
     * mwbbuf.go: each store buffers its pointers, a full buffer is flushed and shades them). Executed by the
     * M running g.
     */
    void chargeWriteBarriers(G g, int pid, long stores) {
        if (!blackenEnabled) {
            return;
        }
        P pp = sched.allp[pid];
        pp.metrics.writeBarriers += stores;
        pp.metrics.writeBarrierNanos += charge(g, pp, stores * costs.writeBarrierNs());
    }

    /** Burns {@code ns} on g's M, carrying the fraction of a spin unit in pp; returns the ns burned. */
    private static long charge(G g, P pp, double ns) {
        if (!(ns > 0)) {
            return 0;
        }
        double perUnit = Spin.nanosPerUnit();
        int units = Spin.carryUnits(pp.heapCostCarry, 0, ns / perUnit);
        if (units > 0) {
            Spin.work(g.goid(), units);
        }
        return Math.round(units * perUnit);
    }

    /** Adds a P's allocations to heapLive; requests a cycle at the trigger; revises the assist ratio. */
    private void flush(long bytes) {
        long live = heapLive.addAndGet(bytes);
        if (live > heapLivePeak) {
            heapLivePeak = live; // racy max, read after the run
        }
        if (blackenEnabled) {
            assistWorkPerByte = GcPacer.assistWorkPerByte(scanWorkExpected.get(), scanWorkDone.get(), heapGoal, live);
        } else if (live >= trigger && !startRequested && enabled()) {
            startRequested = true;
            LockSupport.unpark(controller);
        }
    }

    /**
     * gcAssistAlloc: g owes scan work for what it allocated during mark. It takes background credit
     * first, then does work itself (CPU on its own time), and when no work is left to take while it is
     * still in debt, it must park ({@link G#gcAssistParkPending}; the body returns
     * {@link GBody#GC_ASSIST_PARK} at its next step). Executed by the M running g.
     */
    private void assist(G g, P pp, long bytes) {
        int c = cycle;
        if (g.gcAssistCycle != c) {
            g.gcAssistCycle = c;
            g.gcAssistBytes = 0; // gcResetMarkState: every G's credit starts at 0 each cycle
        }
        g.gcAssistBytes -= bytes;
        if (g.gcAssistBytes >= 0) {
            return;
        }
        double perByte = assistWorkPerByte;
        if (perByte <= 0) {
            g.gcAssistBytes = 0; // no scan work left: nothing to owe
            return;
        }
        long debt = (long) Math.ceil(-g.gcAssistBytes * perByte);
        // steal background credit (gcAssistAlloc: bgScanCredit)
        for (;;) {
            long credit = bgScanCredit.get();
            if (credit <= 0) {
                break;
            }
            long stolen = Math.min(credit, debt);
            if (bgScanCredit.compareAndSet(credit, credit - stolen)) {
                debt -= stolen;
                g.gcAssistBytes += (long) (stolen / perByte) + 1;
                break;
            }
        }
        if (debt <= 0 || g.gcAssistBytes >= 0) {
            return;
        }
        // do the work (gcAssistAlloc1: gcDrainN on the G's own time, at least gcOverAssistWork)
        long want = Math.max(debt, OVER_ASSIST_WORK);
        long t0 = System.nanoTime();
        long got = claim(want);
        if (got > 0) {
            burn(g.goid(), got);
            g.gcAssistBytes += (long) (got / perByte) + 1;
            pp.metrics.gcAssistNanos += System.nanoTime() - t0;
            assistNanosThisCycle.addAndGet(System.nanoTime() - t0);
            scanDone(got, pp);
        }
        if (g.gcAssistBytes < 0 && got < want) {
            g.gcAssistParkPending = true; // no work left to take: gcParkAssist at the body's next step
        }
    }

    /**
     * gcParkAssist: puts g on the assist queue, unless the cycle ended or background credit appeared
     * meanwhile (then g runs on). Executed by the M that ran g, after its body returned.
     *
     * @return true when g parked
     */
    boolean parkAssist(G g, P pp) {
        g.gcAssistParkPending = false;
        synchronized (this) {
            if (!blackenEnabled || bgScanCredit.get() > 0) {
                return false;
            }
            g.casStatus(GStatus.RUNNING, GStatus.WAITING);
            assistQueue.addLast(g);
        }
        pp.metrics.gcAssistParks++;
        return true;
    }

    /** Objects of {@code bytes} died (no longer reachable): the next mark will not find them. */
    void dead(int pid, long bytes) {
        if (pid >= 0) {
            sched.allp[pid].heapDead += bytes;
        } else {
            deadUnowned.addAndGet(bytes);
        }
    }

    /** Bytes that died outside any P (clearpools, with the world stopped). */
    private final AtomicLong deadUnowned = new AtomicLong();

    /** Heap the workload held when the run started (what an earlier cycle would have marked). */
    private long initialLive;

    /** Live bytes: held at the start plus allocated minus dead, over all Ps. Exact when the world is stopped. */
    private long liveBytes() {
        long s = initialLive - deadUnowned.get();
        for (P p : sched.allp) {
            s += p.heapAlloc - p.heapDead;
        }
        return Math.max(0, s);
    }

    // ---- mark work ----

    /** Takes up to {@code want} bytes of scan work; 0 when none is left to take. */
    private long claim(long want) {
        for (;;) {
            long c = scanWorkClaimed.get();
            long left = scanWorkExpected.get() - c;
            if (left <= 0) {
                return 0;
            }
            long n = Math.min(left, want);
            if (scanWorkClaimed.compareAndSet(c, c + n)) {
                return n;
            }
        }
    }

    /** Burns the CPU that {@code bytes} of scan work take in real Go on this machine. */
    private void burn(long seed, long bytes) {
        int units = Spin.unitsFor((long) (bytes * nsPerByte));
        if (units > 0) {
            Spin.work(seed, units);
        }
    }

    /** Whether scan work is left to take (mgc.go: gcMarkWorkAvailable). */
    boolean markWorkAvailable() {
        return scanWorkClaimed.get() < scanWorkExpected.get();
    }

    /**
     * Scan work done on P {@code pp}: flushes it as background credit, first to the parked assists
     * (gcFlushBgCredit: each satisfied assist is readied on this P, runqput next = false), and asks for
     * mark termination once all the work is done.
     */
    private void scanDone(long bytes, P pp) {
        long done = scanWorkDone.addAndGet(bytes);
        long credit = bytes;
        G[] wake = null;
        int n = 0;
        synchronized (this) {
            while (credit > 0 && !assistQueue.isEmpty()) {
                G g = assistQueue.peekFirst();
                double perByte = Math.max(assistWorkPerByte, 1e-9);
                long owed = (long) Math.ceil(-g.gcAssistBytes * perByte);
                if (owed <= credit) {
                    credit -= owed;
                    g.gcAssistBytes = 0;
                    assistQueue.pollFirst();
                    if (wake == null) {
                        wake = new G[Math.min(64, assistQueue.size() + 1)];
                    }
                    if (n == wake.length) {
                        wake = java.util.Arrays.copyOf(wake, n * 2);
                    }
                    wake[n++] = g;
                } else {
                    g.gcAssistBytes += (long) (credit / perByte);
                    credit = 0;
                }
            }
        }
        if (credit > 0) {
            bgScanCredit.addAndGet(credit);
        }
        for (int i = 0; i < n; i++) {
            G g = wake[i];
            g.casStatus(GStatus.WAITING, GStatus.RUNNABLE);
            g.runnableSince = System.nanoTime();
            pp.local().runqput(g, false); // ready(gp, 0, false)
        }
        if (n > 0) {
            sched.wakep(pp.id + 1);
        }
        if (done >= scanWorkExpected.get() && !markDoneRequested) {
            markDoneRequested = true;
            markDoneP = pp;
            LockSupport.unpark(controller);
        }
    }

    // ---- mark workers ----

    /**
     * A mark worker for pp to run ahead of its run queues, or null: a dedicated worker while
     * dedicatedMarkWorkersNeeded > 0, else a fractional one while pp is under its fractional goal.
     * Models mgcpacer.go: findRunnableGCWorker (Go 1.21). Executed only by pp's M.
     */
    G findRunnableGCWorker(P pp, long now) {
        G w = parkedWorker(pp);
        if (w == null) {
            return null;
        }
        int mode;
        if (decIfPositive(dedicatedNeeded)) {
            mode = MODE_DEDICATED;
        } else {
            double goal = fractionalGoal;
            if (goal == 0) {
                return null;
            }
            long delta = now - markStartTime;
            if (delta > 0 && (double) pp.gcFractionalNanos / delta > goal) {
                return null;
            }
            mode = MODE_FRACTIONAL;
        }
        return startWorker(pp, w, mode, now);
    }

    /**
     * An idle-mode worker for a P that found nothing else to run, or null. Models proc.go: findRunnable's
     * "run idle-time marking rather than give up the P" (Go 1.21: addIdleMarkWorker's limit).
     * Executed only by pp's M.
     */
    G findIdleGCWorker(P pp, long now) {
        G w = parkedWorker(pp);
        if (w == null) {
            return null;
        }
        for (;;) {
            int n = idleWorkers.get();
            if (n >= maxIdleWorkers) {
                return null;
            }
            if (idleWorkers.compareAndSet(n, n + 1)) {
                return startWorker(pp, w, MODE_IDLE, now);
            }
        }
    }

    /**
     * Whether an idle-mode worker may start now (mgcpacer.go: needIdleMarkWorker: fewer idle workers
     * than the cycle allows). Racy read, as Go's. Can be executed by any thread.
     */
    boolean needIdleMarkWorker() {
        return idleWorkers.get() < maxIdleWorkers;
    }

    /** pp's mark worker when marking is on, work is left and the worker is parked; else null. */
    private G parkedWorker(P pp) {
        if (!blackenEnabled || !markWorkAvailable()) {
            return null;
        }
        G w = pp.gcWorker;
        return w != null && w.status() == GStatus.WAITING ? w : null;
    }

    private static G startWorker(P pp, G w, int mode, long now) {
        pp.gcMarkWorkerMode = mode;
        pp.gcMarkWorkerStart = now;
        w.runnableSince = now;
        w.casStatus(GStatus.WAITING, GStatus.RUNNABLE);
        return w;
    }

    private static boolean decIfPositive(AtomicInteger a) {
        for (;;) {
            int v = a.get();
            if (v <= 0) {
                return false;
            }
            if (a.compareAndSet(v, v - 1)) {
                return true;
            }
        }
    }

    /**
     * The body of every P's mark worker. Models mgc.go: gcBgMarkWorker with mgcmark.go: gcDrain in the
     * worker's mode: dedicated drains until preempted, then moves its P's run queue to the global queue
     * and drains on without stopping; fractional stops at its utilization goal (x1.2,
     * pollFractionalWorkerExit); idle stops as soon as anything else is runnable (pollWork).
     */
    final GBody workerBody = this::workerRun;

    private int workerRun(G g, Exec ex) {
        P pp = ex.p();
        int mode = pp.gcMarkWorkerMode;
        boolean drained = false;
        for (;;) {
            if (g.laPreempt()) {
                if (mode != MODE_DEDICATED) {
                    break;
                }
                if (!drained) {
                    drained = true;
                    sched.runqdrainToGlobal(pp); // "a useful signal to kick everything out of the run queue"
                }
            }
            if (mode == MODE_FRACTIONAL && pollFractionalWorkerExit(pp)) {
                break;
            }
            if (mode == MODE_IDLE && (sched.global.size() != 0 || !pp.stealer().runqempty())) {
                break;
            }
            long got = claim(WORKER_CHUNK_BYTES);
            if (got == 0) {
                break;
            }
            burn(g.goid(), got);
            scanDone(got, pp);
        }
        return GBody.GC_WORKER_PARK;
    }

    private boolean pollFractionalWorkerExit(P pp) {
        long now = System.nanoTime();
        long delta = now - markStartTime;
        if (delta <= 0) {
            return true;
        }
        long self = pp.gcFractionalNanos + (now - pp.gcMarkWorkerStart);
        return (double) self / delta > 1.2 * fractionalGoal;
    }

    /** The worker of pp stopped: account its time by mode (mgcpacer.go: markWorkerStop). Executed by pp's M. */
    void markWorkerStop(P pp, long now) {
        long ns = now - pp.gcMarkWorkerStart;
        pp.metrics.gcMarkWorkerNanos += ns;
        switch (pp.gcMarkWorkerMode) {
            case MODE_DEDICATED:
                dedicatedNeeded.incrementAndGet();
                break;
            case MODE_FRACTIONAL:
                pp.gcFractionalNanos += ns;
                break;
            case MODE_IDLE:
                idleNanosThisCycle.addAndGet(ns);
                idleWorkers.decrementAndGet();
                break;
            default:
                break;
        }
        pp.gcMarkWorkerMode = MODE_NONE;
    }

    // ---- the controller: gcStart and gcMarkDone ----

    void start() {
        // A run starts as realgo's runs do, right after a forced collection (debug.FreeOSMemory, whatever
        // GOGC): the workload dropped the central defer pool before the run (Workload.beforeRun); what it
        // still holds (per-P pools) is the heap that collection marked.
        initialLive = sched.workloadHeapBytes();
        heapMarked = initialLive;
        heapLivePeak = heapLive.addAndGet(initialLive); // plus what the spawner's Gs already took
        heapGoal = GcPacer.heapGoal(heapMarked, 0, 0, gogc);
        trigger = gogc < 0 ? Long.MAX_VALUE : GcPacer.trigger(heapMarked, heapGoal, 0);
        if (!enabled()) {
            return;
        }
        for (P pp : sched.allp) {
            G w = new G(-1 - pp.id); // gcBgMarkStartWorkers: one worker G per P, parked
            w.goid = -1 - pp.id;
            w.body = workerBody;
            w.initStatus(GStatus.WAITING);
            pp.gcWorker = w;
        }
        controller = new Thread(this::controllerLoop, "gmpdefer-gc");
        controller.setDaemon(true);
        controller.start();
    }

    void join() {
        if (controller == null) {
            return;
        }
        LockSupport.unpark(controller);
        try {
            controller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void controllerLoop() {
        try {
            while (!sched.stopping()) {
                if (!startRequested) {
                    LockSupport.parkNanos(this, 1_000_000L);
                    continue;
                }
                if (!gcStart()) {
                    return;
                }
                while (!markDoneRequested && !sched.stopping()) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
                if (sched.stopping()) {
                    return;
                }
                gcMarkDone();
            }
        } catch (Throwable t) {
            sched.fail(t);
        }
    }

    /** mgc.go: gcStart (Go 1.21). Returns false when the run ended meanwhile. */
    private boolean gcStart() {
        long t0 = System.nanoTime();
        if (!sched.stopTheWorld()) {
            return false;
        }
        // clearpools: the central defer pool is dropped (its records die); per-P pools stay
        long dropped = sched.workloadClearpools();
        if (dropped > 0) {
            deadUnowned.addAndGet(dropped);
        }
        // gcBgMarkPrepare / startCycle: the scan work is the live (pointerful) heap at this point, plus the
        // stacks' (scanstack: each G's stack records; Go 1.18+ counts stack scan work in the pacer too)
        long stackScan = sched.workloadStackScanBytes();
        stackScanBytes += stackScan;
        long scan = liveBytes() + stackScan;
        scanWorkExpected.set(scan);
        scanWorkClaimed.set(0);
        scanWorkDone.set(0);
        bgScanCredit.set(0);
        assistNanosThisCycle.set(0);
        idleNanosThisCycle.set(0);
        GcPacer.Workers w = GcPacer.workers(procs);
        dedicatedNeeded.set(w.dedicated());
        fractionalGoal = w.fractionalGoal();
        maxIdleWorkers = Math.max(0, procs - w.dedicated());
        idleWorkers.set(0);
        for (P pp : sched.allp) {
            pp.gcFractionalNanos = 0;
        }
        markDoneRequested = false;
        markDoneP = null;
        markStartTime = System.nanoTime();
        assistWorkPerByte = GcPacer.assistWorkPerByte(scan, 0, heapGoal, heapLive.get());
        blackenEnabled = true;
        if (scan == 0) {
            markDoneRequested = true; // nothing to mark
        }
        sched.startTheWorld();
        recordStw(t0, System.nanoTime());
        return true;
    }

    /** mgc.go: gcMarkDone + gcMarkTermination (Go 1.21). */
    private void gcMarkDone() {
        long t0 = System.nanoTime();
        if (!sched.stopTheWorld()) {
            return;
        }
        blackenEnabled = false;
        // gcWakeAllAssists -> injectglist, on the P that finished the mark work
        G[] parked;
        synchronized (this) {
            parked = assistQueue.toArray(new G[0]);
            assistQueue.clear();
        }
        if (parked.length > 0) {
            assistGlobalWakes += sched.injectglistWorldStopped(parked, markDoneP);
        }
        long now = System.nanoTime();
        // endCycle: this cycle's cons/mark, the largest of the last four (Go 1.21)
        long markWall = now - markStartTime;
        double cm = GcPacer.currentConsMark(heapLive.get(), trigger, scanWorkDone.get(),
                assistNanosThisCycle.get(), idleNanosThisCycle.get(), markWall, procs);
        lastConsMark[consMarkIdx++ & 3] = cm;
        double consMark = 0;
        for (double v : lastConsMark) {
            consMark = Math.max(consMark, v);
        }
        // gcMarkTermination: heapMarked, the next goal and trigger (commit)
        heapMarked = liveBytes();
        lastScanWork = scanWorkDone.get();
        heapLive.set(heapMarked);
        for (P pp : sched.allp) {
            pp.heapPending = 0; // flushed into the marked heap: heapLive restarts from heapMarked
        }
        heapGoal = GcPacer.heapGoal(heapMarked, 0, 0, gogc);
        trigger = GcPacer.trigger(heapMarked, heapGoal, GcPacer.runway(consMark, lastScanWork));
        cycles++;
        cycle++;
        startRequested = false;
        sched.startTheWorld();
        recordStw(t0, System.nanoTime());
        if (heapLive.get() >= trigger && enabled()) {
            startRequested = true;
        }
    }

    /**
     * A stop-the-world range, from the stop's begin to the restart's end: its length, and its bounds for
     * the wait decomposition. Executed only by the GC controller.
     */
    private void recordStw(long t0, long t1) {
        long ns = t1 - t0;
        if (stwN == stwBegin.length) {
            stwBegin = java.util.Arrays.copyOf(stwBegin, stwN * 2);
            stwEnd = java.util.Arrays.copyOf(stwEnd, stwN * 2);
        }
        stwBegin[stwN] = t0;
        stwEnd[stwN++] = t1;
        stwNanos += ns;
        stwMaxNanos = Math.max(stwMaxNanos, ns);
    }

    /** The run's stop-the-world ranges (begins, ends, count), for the wait decomposition; read after the run. */
    long[] stwBegins() {
        return stwBegin;
    }

    long[] stwEnds() {
        return stwEnd;
    }

    int stwCount() {
        return stwN;
    }

    /** Writes the run's GC totals into the merged metrics (after the Ms and the controller stopped). */
    void report(dev.gmpdefer.model.metrics.RunMetrics m) {
        m.gcCycles = cycles;
        m.gcStwNanos = stwNanos;
        m.gcStwMaxNanos = stwMaxNanos;
        m.gcAssistGlobalWakes = assistGlobalWakes;
        m.gcStackScanBytes = stackScanBytes;
        m.heapLivePeakBytes = Math.max(heapLivePeak, heapLive.get());
    }

    /** Test hook: a mark phase with {@code scanWork} bytes to do, as gcStart leaves it, without the stops. */
    void beginMarkForTest(long scanWork) {
        maxIdleWorkers = Math.max(0, procs - GcPacer.workers(procs).dedicated());
        scanWorkExpected.set(scanWork);
        scanWorkClaimed.set(0);
        scanWorkDone.set(0);
        bgScanCredit.set(0);
        markStartTime = System.nanoTime();
        assistWorkPerByte = GcPacer.assistWorkPerByte(scanWork, 0, heapGoal, heapLive.get());
        blackenEnabled = true;
    }

    /** Test hook: every scan work byte already taken (by other workers). */
    void claimAllForTest() {
        scanWorkClaimed.set(scanWorkExpected.get());
    }

    /** Test hook: a worker on pp did {@code bytes} of scan work (credit, assists readied). */
    void scanDoneForTest(long bytes, P pp) {
        scanDone(bytes, pp);
    }

    int assistQueueSizeForTest() {
        synchronized (this) {
            return assistQueue.size();
        }
    }

    /** For tests: heapGoal, trigger and heapMarked now. */
    long[] pacerState() {
        return new long[] {heapGoal, trigger, heapMarked};
    }
}
