package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.defer.DeferChain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A goroutine.
 *
 * <p>Models runtime2.go: type g (Go 1.21), reduced to what scheduling needs: the status word with its
 * CAS transitions ({@code casgstatus}), the link used by the global run queue ({@code g.schedlink}),
 * the preemption request ({@code g.preempt}), the time the G last became runnable (Go tracks it as
 * {@code g.runnableTime} for {@code /sched/latencies}; the model records it for every transition, not
 * one in eight), and the defer chain ({@code g._defer}).
 *
 * <p>G objects are recycled through the free lists of {@link Sched} (proc.go: gfput / gfget), so a
 * workload that spawns millions of goroutines allocates only as many G objects as are alive at once.
 * {@link #goid} is renewed at every spawn, like Go's; {@link #index} is the stable slot of the object.
 *
 * <p>Simplification: Go's g also carries a stack, the saved registers ({@code g.sched}) and much more.
 * Here a G's "stack" is its {@link GBody} plus the few resumable registers below ({@link #pc},
 * {@link #r0}, {@link #r1}, {@link #r2}); a body must keep all its state there so that it can stop at a
 * safe point on one M and resume on another.
 */
public final class G {
    private static final VarHandle STATUS;
    private static final VarHandle PREEMPT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(G.class, "status", int.class);
            PREEMPT = l.findVarHandle(G.class, "preempt", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Stable index of this object in the scheduler's allocation order. Immutable. */
    public final int index;

    /** Goroutine id, renewed by {@code newproc}. Written by the spawning M before the G is published. */
    long goid;

    /** Status word; changed only through {@link #casStatus}. */
    private volatile int status = GStatus.IDLE;

    /**
     * Set by sysmon's {@code preemptone}, cleared by the G's own M when it honours the request.
     * Written by sysmon (release), read by the running G at its safe points (acquire).
     */
    @SuppressWarnings("unused") // accessed through PREEMPT
    private boolean preempt;

    /** Nanotime of the preemption request, written by sysmon before {@link #preempt} is released. */
    long preemptRequestedAt;

    /**
     * Nanotime at which the G last became runnable. Written by the thread that makes it runnable
     * before it is published on a run queue (the queue's release orders it); read by the M that runs it.
     */
    long runnableSince;

    /** Link for the global run queue (runtime2.go: g.schedlink). Guarded by the global queue's lock. */
    G schedlink;

    /** Link for the free list (proc.go: gfput uses g.schedlink too). Guarded by the free list's owner. */
    G freelink;

    /** What the G runs. Set by newproc. */
    GBody body;

    /** Resumable registers of the body: program counter and three scratch registers. Owned by the running M. */
    public int pc;
    /** Scratch register of the body. Owned by the running M. */
    public long r0;
    /** Scratch register of the body. Owned by the running M. */
    public long r1;
    /** Scratch register of the body. Owned by the running M. */
    public long r2;
    /** Scratch register of the body (Program: the current frame's pending deferred calls). Owned by the running M. */
    public long r3;
    /** Free slot for the workload (e.g. the peer of a ping-pong pair). Owned by the running M. */
    public Object peer;

    /** The G's defer chain (runtime2.go: g._defer). Owned by the M running the G. */
    public DeferChain defers;

    /** Workload-private slot (e.g. the objects an allocation control keeps live). Owned by the running M. */
    public Object aux;

    /** The GC of the G's scheduler (null for a detached G: its allocations are not accounted). */
    Gc gc;
    /** mgcmark.go: g.gcAssistBytes, the G's assist credit (negative: debt) in bytes, for {@link #gcAssistCycle}. */
    long gcAssistBytes;
    int gcAssistCycle = -1;
    /** Set when an assist found no scan work to do while in debt: the body must return GC_ASSIST_PARK. */
    public boolean gcAssistParkPending;

    /**
     * The G allocated {@code bytes} of Go heap objects (whole size classes) on P {@code pid}: malloc.go:
     * mallocgc's GC part (heap accounting, the trigger, and during mark the assist, which may set
     * {@link #gcAssistParkPending}). A detached G's allocations are not accounted. Executed by the M
     * running this G.
     */
    public void mallocgc(int pid, long bytes) {
        Gc c = gc;
        if (c != null) {
            c.mallocgc(this, pid, bytes);
        }
    }

    /**
     * The CPU of mallocgc for {@code objects} small objects this G allocated on P {@code pid}, of which
     * {@code freshSpans} spans came from fresh memory ({@link Gc#chargeMalloc}). Executed by the M running
     * this G.
     */
    public void chargeMalloc(int pid, long objects, long freshSpans) {
        Gc c = gc;
        if (c != null) {
            c.chargeMalloc(this, pid, objects, freshSpans);
        }
    }

    /**
     * {@code stores} pointer stores this G made into heap objects: their write barriers while the GC marks
     * ({@link Gc#chargeWriteBarriers}). Executed by the M running this G.
     */
    public void chargeWriteBarriers(int pid, long stores) {
        Gc c = gc;
        if (c != null && stores > 0) {
            c.chargeWriteBarriers(this, pid, stores);
        }
    }

    /** Objects of {@code bytes} this G allocated or dropped are no longer reachable (the GC's view). */
    public void heapDead(int pid, long bytes) {
        Gc c = gc;
        if (c != null) {
            c.dead(pid, bytes);
        }
    }

    G(int index) {
        this.index = index;
    }

    /**
     * A G outside any scheduler, for calibration, benchmarks and tests of code that takes a G (defer
     * chains, G bodies run by hand). Its status is _Grunning, as for a G inside a body.
     */
    public static G detached(int index, long goid) {
        G g = new G(index);
        g.goid = goid;
        g.initStatus(GStatus.RUNNING);
        return g;
    }

    /** The goroutine id. Can be read by any thread that received the G through a run queue. */
    public long goid() {
        return goid;
    }

    /** The current status; see {@link GStatus}. Can be called by any thread. */
    public int status() {
        return status;
    }

    /** The body this G runs. */
    public GBody body() {
        return body;
    }

    /**
     * Moves the status from {@code oldval} to {@code newval}, throwing if it is not {@code oldval}.
     * Models proc.go: casgstatus (Go 1.21); Go spins while a _Gscan bit is set, the model has none, so a
     * failed CAS is always a bug in the caller. Can be executed by any P.
     */
    public void casStatus(int oldval, int newval) {
        if (!STATUS.compareAndSet(this, oldval, newval)) {
            throw new IllegalStateException("casgstatus: g " + goid + " is " + GStatus.name(status)
                    + ", expected " + GStatus.name(oldval) + " -> " + GStatus.name(newval));
        }
    }

    /** Plain store of the status for a G no other thread can see yet (malg / newproc1). */
    void initStatus(int s) {
        STATUS.setRelease(this, s);
    }

    /** Load-acquire of the preempt flag; pairs with {@link #requestPreempt}. Executed by the running G. */
    public boolean laPreempt() {
        return (boolean) PREEMPT.getAcquire(this);
    }

    /**
     * Sets the preempt flag, after recording when it was first requested.
     * Models proc.go: preemptone (Go 1.21), minus the stackguard0 poisoning and the async signal.
     * Executed by sysmon.
     */
    void requestPreempt(long now) {
        if (!laPreempt()) { // a repeated request keeps the first one's time (the latency metric's start)
            preemptRequestedAt = now;
        }
        PREEMPT.setRelease(this, true); // publishes preemptRequestedAt; pairs with laPreempt()
    }

    /** Clears the preempt flag. Executed by the M running the G. */
    void clearPreempt() {
        PREEMPT.setRelease(this, false);
    }

    @Override
    public String toString() {
        return "G" + goid + "[" + GStatus.name(status) + "]";
    }
}
