package dev.gmpdefer.model.defer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the per-P fields, so that two Ps' hot fields never share a cache line. */
abstract class DeferPPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The per-P defer state; see {@link DeferP}. */
abstract class DeferPFields extends DeferPPad0 {
    /** The P's id. */
    final int id;

    /** {@code p.deferpool} for Java-heap records (POOLED, GO_COMPILER); null otherwise. */
    final DeferRecord[] pool;
    /** {@code p.deferpool} for off-heap slots (OFFHEAP); null otherwise. */
    final int[] slots;
    /** {@code len(p.deferpool)}. */
    int n;

    // Counters: written only by the thread running this P; read racily by others (exact when quiescent).
    /** Records created by newdefer because both pools were empty ({@code new(_defer)}); HEAP: every record. */
    long allocated;
    /** newdefer calls served from a non-empty local pool. */
    long localHits;
    /** newdefer calls that found the local pool empty (HEAP: every newdefer). */
    long localMisses;
    /** Refills from the global pool (each moves 1..16 records). */
    long refills;
    /** Records moved from the global pool by refills. */
    long refillRecords;
    /** Spills to the global pool (each moves exactly 16 records). */
    long spills;
    /** Records moved to the global pool by spills. */
    long spillRecords;
    /** Records handed to a chain on this P (heap, pooled, off-heap and stack records). */
    long gets;
    /** Records released on this P (returned to a pool, dropped for the GC, or popped stack records). */
    long puts;
    /** Whether the last newdefer on this P found the local pool empty. */
    boolean lastMissed;

    /**
     * The P's span of free record memory for {@code new(_defer)} (malloc.go: the mcache's span of the
     * record's size class), linked through {@code link}; null when empty. Java-heap records only.
     */
    DeferRecord span;
    /** Span refills from freed record memory (swept spans: mcentral.cacheSpan finding a swept span). */
    long sweptSpans;
    /** Span refills with fresh memory (mheap.alloc: a new span). */
    long freshSpans;

    DeferPFields(int id, DeferStrategy.Pool kind) {
        this.id = id;
        this.pool = kind == DeferStrategy.Pool.HEAP_RECORDS ? new DeferRecord[TwoLevelPool.LOCAL_CAPACITY] : null;
        this.slots = kind == DeferStrategy.Pool.OFFHEAP_SLOTS ? new int[TwoLevelPool.LOCAL_CAPACITY] : null;
    }
}

/**
 * Per-P defer state: the local pool ({@code p.deferpool}, backed by {@code p.deferpoolbuf [32]}) and the
 * counters. Models runtime2.go: the deferpool fields of type p (Go 1.22).
 *
 * <p>Touched only by the thread currently running the P. With {@code -ea}, {@link #enter()} and
 * {@link #exit()} check that two threads never use one P at the same time.
 */
final class DeferP extends DeferPFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q10, q11, q12, q13, q14, q15, q16, q17;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(DeferP.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The thread inside a pool operation on this P, or null. Used only by assertions. */
    @SuppressWarnings("unused") private volatile Thread owner;

    DeferP(int id, DeferStrategy.Pool kind) {
        super(id, kind);
    }

    /** Assertion helper: marks this P in use by the current thread. Executed only by the owner P. */
    boolean enter() {
        Thread t = Thread.currentThread();
        Object prev = OWNER.compareAndExchange(this, (Thread) null, t);
        if (prev != null) {
            throw new AssertionError("P " + id + " defer pool used by " + t.getName() + " while "
                    + ((Thread) prev).getName() + " runs it");
        }
        return true;
    }

    /** Assertion helper: ends a pool operation. Executed only by the owner P. */
    boolean exit() {
        OWNER.setVolatile(this, (Thread) null);
        return true;
    }
}
