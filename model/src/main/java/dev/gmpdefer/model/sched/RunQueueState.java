package dev.gmpdefer.model.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state a P's local run queue shares between its two handles: a fixed ring of G slots with
 * free-running int head and tail, plus the {@code runnext} slot. Only the handles use it: the owner's
 * {@link LocalRunQueue} and the thieves' {@link StealRunQueue} (Tokio's queue.rs shape: one {@code Inner}
 * behind a {@code Local} and a {@code Steal}). This class has no operations of its own, only the
 * accessors, so every operation is written once, in the handle whose callers may run it.
 *
 * <p>Models proc.go (Go 1.21): {@code p.runq [256]guintptr}, {@code p.runqhead}, {@code p.runqtail},
 * {@code p.runnext}.
 *
 * <p>Memory ordering, as in Go:
 * <ul>
 *   <li>{@code tail}: written only by the owner, with a store-release ({@link #soTail}) after the slot is
 *       written with a plain store; the owner reads its own tail plainly ({@link #lpTail}), thieves with
 *       a load-acquire ({@link #laTail}).</li>
 *   <li>{@code head}: read with load-acquire by everyone ({@link #laHead}); consumers commit with a
 *       CAS-release ({@link #casRelHead}). Java has no CAS-release for fields, so
 *       {@code compareAndExchangeRelease} is used and its witness compared.</li>
 *   <li>{@code runnext}: the owner sets it, anyone may CAS it to null; sequentially consistent CAS
 *       ({@link #casRunnext}). Go reads it plainly in runqput/runqget/runqgrab; Java's JIT may hoist a
 *       plain field load out of a retry loop, so the model reads it with an opaque load
 *       ({@link #loRunnext}), which is as cheap on x86 and cannot be hoisted.</li>
 * </ul>
 *
 * <p>Capacity is a constructor argument (a power of two, 256 in Go) so that tests can use 4 and reach
 * wrap-around and overflow. The counters are Java ints used as unsigned 32-bit numbers: differences
 * ({@code tail - head}) are exact across the 2^32 wrap, and slots are {@code index & mask}.
 */
final class RunQueueState {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle RUNNEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RunQueueState.class, "head", int.class);
            TAIL = l.findVarHandle(RunQueueState.class, "tail", int.class);
            RUNNEXT = l.findVarHandle(RunQueueState.class, "runnext", G.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The ring. Slots in [head, tail) are live; the owner writes slot tail, everyone reads live slots. */
    final G[] runq;
    final int mask;
    final int capacity;

    /** Consumed index. Everyone reads (acquire); consumers CAS (release). */
    @SuppressWarnings("unused") private int head;
    /** Produced index. Only the owner writes (release); the owner reads plainly, thieves acquire. */
    @SuppressWarnings("unused") private int tail;
    /** Next G to run; set by the owner, CASed to null by anyone. */
    @SuppressWarnings("unused") private G runnext;

    /** The P that owns this queue (for the runnext-steal pause: "is the victim running?"); may be null. */
    final P owner;
    /** Pause before stealing runnext from a running P. */
    final StealPause pause;

    RunQueueState(int capacity, P owner, StealPause pause) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("runq capacity must be a power of two >= 2: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.runq = new G[capacity];
        this.owner = owner;
        this.pause = pause == null ? StealPause.NONE : pause;
    }

    // ---- accessors (JCTools naming: lp plain load, la load-acquire, so store-release, lo opaque load) ----

    int laHead() {
        return (int) HEAD.getAcquire(this);
    }

    /** CAS-release of head; returns true when head moved from {@code expect} to {@code update}. */
    boolean casRelHead(int expect, int update) {
        return (int) HEAD.compareAndExchangeRelease(this, expect, update) == expect;
    }

    /** Plain load of tail: only for the owner, the only writer. */
    int lpTail() {
        return (int) TAIL.get(this);
    }

    int laTail() {
        return (int) TAIL.getAcquire(this);
    }

    /** Store-release of tail: only for the owner. */
    void soTail(int v) {
        TAIL.setRelease(this, v);
    }

    G loRunnext() {
        return (G) RUNNEXT.getOpaque(this);
    }

    /** Volatile load of runnext (Go: atomic.Loaduintptr(&pp.runnext) in runqempty). */
    G lvRunnext() {
        return (G) RUNNEXT.getVolatile(this);
    }

    boolean casRunnext(G expect, G update) {
        return RUNNEXT.compareAndSet(this, expect, update);
    }

    /** Test hook (through {@link LocalRunQueue#resetCounters}): both counters to {@code start}. */
    void svCounters(int start) {
        HEAD.setVolatile(this, start);
        TAIL.setVolatile(this, start);
    }
}
