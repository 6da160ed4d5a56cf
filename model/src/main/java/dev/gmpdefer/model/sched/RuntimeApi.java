package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;

/**
 * The runtime calls a running G makes, on the M that runs it: the {@link Exec} handed to
 * {@link GBody#run}. One per M, used only while that M runs a G on its P.
 *
 * <p>Models proc.go (Go 1.21): newproc, ready (reached through goready from chan.go / sema.go), and the
 * first half of gopark (the body returns {@link GBody#PARK}; {@link Executor} does park_m).
 * Every method is executed only by the owner P.
 */
final class RuntimeApi implements Exec {
    private final P p;
    private final Sched sched;
    private final LocalRunQueue local;
    private final PMetrics metrics;

    /** sched.config.asyncPreempt: whether {@link #asyncSafePoint} honours requests. */
    private final boolean asyncPreempt;

    /** Set by {@link #park(Sema)} for the park_m that follows the body's return. */
    private Sema parkOn;

    RuntimeApi(P p, Sched sched) {
        this.p = p;
        this.sched = sched;
        this.local = p.local();
        this.metrics = p.metrics;
        this.asyncPreempt = sched.config.asyncPreempt;
    }

    /** The semaphore the body's last {@link #park} named, cleared (null when none). For park_m. */
    Sema takeParkOn() {
        Sema s = parkOn;
        parkOn = null;
        return s;
    }


    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Go 1.14+'s asynchronous preemption, as a poll: see {@link Exec#asyncSafePoint}. Counts the
     * requests honoured here. Executed only by the owner P.
     */
    @Override
    public boolean asyncSafePoint(G g) {
        if (asyncPreempt && g.laPreempt()) {
            metrics.asyncPreemptions++;
            return true;
        }
        return false;
    }

    @Override
    public int pid() {
        return p.id;
    }

    @Override
    public P p() {
        return p;
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
        G newg = sched.newproc1(p, p.curg(), body, r0, peer, System.nanoTime());
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
