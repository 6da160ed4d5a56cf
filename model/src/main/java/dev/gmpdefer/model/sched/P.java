package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A processor: the right to run Go code, with its local run queue.
 *
 * <p>Models runtime2.go: type p (Go 1.21), reduced to {@code id}, {@code status}, {@code schedtick},
 * the run queue ({@code runq}, {@code runqhead}, {@code runqtail}, {@code runnext}; see
 * {@link LocalRunQueue}), the G it runs (Go reaches it as {@code pp.m.ptr().curg}) and sysmon's per-P
 * record ({@code sysmontick}). The per-P defer pool ({@code deferpool}, {@code deferpoolbuf}) lives in
 * the defer package, indexed by {@link #id}, so that defer code never touches scheduler state.
 */
public final class P {
    /** P status values (runtime2.go: _Pidle, _Prunning, _Pgcstop). _Psyscall and _Pdead are not modelled. */
    public static final int IDLE = 0;
    public static final int RUNNING = 1;
    /** runtime2.go: _Pgcstop: stopped for a stop-the-world. */
    public static final int GCSTOP = 2;

    private static final VarHandle STATUS;
    private static final VarHandle SCHEDTICK;
    private static final VarHandle CURG;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(P.class, "status", int.class);
            SCHEDTICK = l.findVarHandle(P.class, "schedtick", int.class);
            CURG = l.findVarHandle(P.class, "curg", G.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Index in allp, 0..GOMAXPROCS-1. Immutable. */
    public final int id;

    /** _Pidle / _Prunning. Written by the owning M; read by thieves (runnext pause) and sysmon. */
    @SuppressWarnings("unused") private int status;

    /**
     * Incremented on every new time slice (execute with !inheritTime). Written only by the owning M;
     * read by sysmon (opaque: sysmon only needs to see it change eventually).
     */
    @SuppressWarnings("unused") private int schedtick;

    /** The G running on this P, or null. Written by the owning M (release); read by sysmon (acquire). */
    @SuppressWarnings("unused") private G curg;

    /** The owner's handle on the local run queue: private, reached only by this P's M ({@link #local()}). */
    private final LocalRunQueue runq;

    /** Per-P metrics; written only by the M that owns this P. */
    public final PMetrics metrics;

    /** The M this P is paired with (the model pairs them 1:1; see {@link M}). */
    M m;

    /**
     * Free Gs of this P (runtime2.go: p.gFree, a gList with a count), used by Sched.gfput / gfget.
     * Written and read only by the M that holds this P.
     */
    final G[] gFree = new G[128];
    int gFreeN;

    /** GC: bytes allocated and died on this P (cumulative), and not yet flushed to heapLive. Owner M only. */
    long heapAlloc;
    long heapDead;
    long heapPending;
    /** The allocator's and write barrier's charged CPU: fractional spin units carried to the next charge. Owner M only. */
    final double[] heapCostCarry = new double[1];
    /** GC: this P's mark worker G, its mode while running, when it started, and fractional time this cycle. */
    G gcWorker;
    int gcMarkWorkerMode;
    long gcMarkWorkerStart;
    long gcFractionalNanos;

    /** goid batch (runtime2.go: p.goidcache / p.goidcacheend). Only the M holding this P uses it. */
    long goidcache;
    long goidcacheend;

    /** sysmon's record of this P (proc.go: sysmontick). Written and read only by sysmon. */
    int sysmonSchedtick;
    long sysmonSchedwhen;

    P(int id, int ringCapacity, GlobalRunQueue global, StealPause pause, PMetrics metrics) {
        this.id = id;
        this.runq = new LocalRunQueue(ringCapacity, global, this, pause);
        this.metrics = metrics;
    }

    /** The owner's handle on the run queue, for this P's M (and the spawner before the Ms start). */
    LocalRunQueue local() {
        return runq;
    }

    /** The thieves' handle on the run queue. Can be executed by any P. */
    public StealRunQueue stealer() {
        return runq.stealer();
    }

    public boolean isRunning() {
        return (int) STATUS.getAcquire(this) == RUNNING;
    }

    void setStatus(int s) {
        STATUS.setRelease(this, s);
    }

    /** Current schedtick. Owner reads its own; sysmon reads opaquely. */
    public int schedtick() {
        return (int) SCHEDTICK.getOpaque(this);
    }

    /** schedtick++; executed only by the owning M. */
    void incSchedtick() {
        SCHEDTICK.setOpaque(this, (int) SCHEDTICK.get(this) + 1);
    }

    /** Test hook: sets schedtick (e.g. to 61 to exercise the fairness pick). */
    void setSchedtick(int v) {
        SCHEDTICK.setOpaque(this, v);
    }

    G curg() {
        return (G) CURG.getAcquire(this);
    }

    void setCurg(G g) {
        CURG.setRelease(this, g);
    }

    @Override
    public String toString() {
        return "P" + id;
    }
}
