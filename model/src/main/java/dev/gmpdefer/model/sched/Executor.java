package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;
import dev.gmpdefer.model.metrics.PStateLog;
import dev.gmpdefer.model.metrics.WaitCause;

/**
 * The executor of an M: runs a G's body until its next scheduling event and handles that event, the
 * way Go's runtime switches to g0 and calls the handler. Its M's scheduling loop ({@link M#schedule})
 * hands it each G that findRunnable found; the body runs with the M's {@link RuntimeApi} as its
 * {@link Exec}.
 *
 * <p>Models proc.go (Go 1.21): execute, and the handlers of the events a body returns: goexit0,
 * goschedImpl (Gosched and gopreempt_m), goyield_m, park_m. Owned by one M; every method is executed
 * only by that M, the owner of its P.
 */
final class Executor {
    private final P p;
    private final Sched sched;
    private final LocalRunQueue local;
    private final PMetrics metrics;
    private final RuntimeApi api;
    /** The P's state log for the wait decomposition; null when metrics are off. */
    private final PStateLog log;

    /** Start of the current time slice (0 when idle). */
    private long sliceStart;

    Executor(P p, Sched sched, RuntimeApi api) {
        this.p = p;
        this.sched = sched;
        this.local = p.local();
        this.metrics = p.metrics;
        this.api = api;
        this.log = metrics.enabled() ? metrics.log : null;
    }

    /** Ends the current time slice (recording its length), if one is open. Executed only by the owner P. */
    void endSlice(long now) {
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
    void execute(G gp, boolean inheritTime, int source) {
        long now = System.nanoTime();
        for (;;) {
            gp.casStatus(GStatus.RUNNABLE, GStatus.RUNNING);
            gp.clearPreempt(); // Go: gp.preempt = false in execute
            if (!inheritTime) {
                p.incSchedtick();
                endSlice(now);
                sliceStart = now;
            }
            if (source != M.SRC_GC_WORKER) { // the runtime's mark workers are not the workload's Gs
                metrics.record(metrics.schedLatency, now - gp.runnableSince);
                if (log != null) {
                    log.waited(gp.runnableSince, now);
                }
                switch (source) {
                    case M.SRC_RUNNEXT: metrics.startsRunnext++; break;
                    case M.SRC_RING: metrics.startsRing++; break;
                    case M.SRC_GLOBAL_FAIR: metrics.startsGlobalFairness++; break;
                    case M.SRC_GLOBAL: metrics.startsGlobalBatch++; break;
                    default: metrics.startsSteal++; break;
                }
            }
            if (log != null) {
                log.state(now, source == M.SRC_GC_WORKER ? WaitCause.GC_WORKER : WaitCause.RUNNING);
            }
            p.setCurg(gp);
            int ev = gp.body.run(gp, api);
            p.setCurg(null);
            now = System.nanoTime();
            if (log != null) {
                log.state(now, WaitCause.OTHER); // back in the scheduler (g0)
            }
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
                case GBody.GC_WORKER_PARK:
                    gp.casStatus(GStatus.RUNNING, GStatus.WAITING); // gopark in gcBgMarkWorker
                    sched.gc.markWorkerStop(p, now);
                    return;
                case GBody.GOYIELD:
                    metrics.goyield++;
                    gp.casStatus(GStatus.RUNNING, GStatus.RUNNABLE); // goyield_m
                    gp.runnableSince = now;
                    local.runqput(gp, false);
                    return;
                case GBody.PARK:
                case GBody.GC_ASSIST_PARK: {
                    boolean runsOn = ev == GBody.PARK ? parkM(gp) : !sched.gc.parkAssist(gp, p);
                    if (!runsOn) {
                        return;
                    }
                    // A token arrived before the park (park_m), or credit appeared or the cycle ended
                    // (gcParkAssist): the G runs on in the same slice.
                    gp.casStatus(GStatus.RUNNING, GStatus.RUNNABLE);
                    gp.runnableSince = now;
                    inheritTime = true;
                    source = M.SRC_RUNNEXT;
                    continue;
                }
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
        sched.gfput(p, gp);
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
        Sema s = api.takeParkOn();
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

}
