package dev.gmpdefer.model.defer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One G's defers: the stack of frames of functions that defer and whatever each strategy keeps for them
 * (the LIFO chain of records {@code g._defer}, newest first; or open-coded frame slots). One subclass per
 * {@link DeferStrategy}, made by {@link DeferStrategy#newChain}: the strategy is chosen once, at
 * construction, and no defer dispatches on it.
 *
 * <p>Models runtime2.go: g._defer and panic.go (Go 1.22): deferproc, deferprocStack, deferreturn,
 * gopanic/Goexit's walk of all frames; and the open-coded defers that the compiler emits (ssagen/ssa.go:
 * openDeferRecord, openDeferExit).
 *
 * <p>A Go function that defers is modelled as: {@link #enterFrame(FuncShape)} at entry (returns the frame
 * id, Go's {@code sp}), {@link #deferproc} at each defer statement, {@link #deferreturn} at exit (runs that
 * frame's defers newest first and pops the frame); {@link #gopanic} runs every pending defer of every
 * frame, newest first, and pops all frames. A frame id distinguishes frames as Go's {@code d.sp} does.
 *
 * <p>Every operation takes the id of the P the G runs on at that moment: a G may migrate between its
 * deferproc and its deferreturn, and a record is then released to the pool of the P that runs the
 * deferreturn. Only the thread running the G may call into its chain. Nothing here touches run queues or
 * G status (reference item 22).
 */
public abstract class DeferChain {
    static final int INITIAL_FRAMES = 4;

    final DeferAllocator alloc;
    final DeferP[] ps;

    // Frames, innermost at depth - 1.
    int depth;
    private long nextSp;
    long[] frameSp = new long[INITIAL_FRAMES];
    FuncShape[] frameShape = new FuncShape[INITIAL_FRAMES];
    /** Defer statements executed in the frame so far (numbers sites for the site-less deferproc). */
    private int[] frameDefers = new int[INITIAL_FRAMES];

    DeferChain(DeferAllocator alloc) {
        this.alloc = alloc;
        this.ps = alloc.ps;
    }

    /** The allocator this chain draws from. */
    public final DeferAllocator allocator() {
        return alloc;
    }

    /** The strategy. */
    public final DeferStrategy strategy() {
        return alloc.strategy;
    }

    // ---------------------------------------------------------------- frames

    /** {@link #enterFrame(FuncShape)} without a shape; not allowed for GO_COMPILER. */
    public final long enterFrame() {
        return enterFrame(null);
    }

    /**
     * Enters a function that defers and returns its frame id. Models the function prologue: Go's
     * {@code getcallersp()} that deferproc records, and the open-coded {@code deferBits = 0}. Executed by the
     * G's thread.
     */
    public final long enterFrame(FuncShape shape) {
        checkShape(shape);
        int d = depth;
        if (d == frameSp.length) {
            int n = d * 2;
            frameSp = Arrays.copyOf(frameSp, n);
            frameShape = Arrays.copyOf(frameShape, n);
            frameDefers = Arrays.copyOf(frameDefers, n);
            growFrames(n);
        }
        long sp = ++nextSp;
        frameSp[d] = sp;
        frameShape[d] = shape;
        frameDefers[d] = 0;
        frameEntered(d);
        depth = d + 1;
        return sp;
    }

    /** Rejects a shape the strategy cannot work with (GO_COMPILER needs one). */
    void checkShape(FuncShape shape) {
    }

    /** The per-frame state of the strategy grows to {@code n} frames. */
    void growFrames(int n) {
    }

    /** Frame {@code d} starts (its state is reset). */
    void frameEntered(int d) {
    }

    /** Frame {@code d} ends (after its defers ran). */
    void frameExited(int d) {
    }

    // ---------------------------------------------------------------- deferproc

    /**
     * {@code defer fn(arg)} as the next defer statement of the innermost frame (sites numbered in the order
     * executed). For GO_COMPILER with defers in loops use {@link #deferproc(int, int, DeferFn, long)}.
     * Executed by the G's thread, on P {@code pid}.
     *
     * @return true when newdefer found P {@code pid}'s local pool empty (HEAP: always; never for stack
     *         records or open-coded defers)
     */
    public final boolean deferproc(int pid, DeferFn fn, long arg) {
        int d = depth - 1;
        return deferproc(pid, d < 0 ? 0 : frameDefers[d], fn, arg);
    }

    /**
     * {@code defer fn(arg)} at defer statement {@code site} (0-based, source order) of the innermost frame:
     * what the strategy's compiled code does there (panic.go: deferproc + newdefer, deferprocStack, or the
     * compiler's openDeferRecord). Executed by the G's thread, on P {@code pid}.
     *
     * @return true when newdefer found P {@code pid}'s local pool empty (HEAP: always; never for stack
     *         records or open-coded defers). Reading it has no effect on scheduling.
     */
    public final boolean deferproc(int pid, int site, DeferFn fn, long arg) {
        Objects.requireNonNull(fn, "deferproc: fn");
        final int d = depth - 1;
        if (d < 0) {
            throw new IllegalStateException("deferproc: no frame; call enterFrame first");
        }
        frameDefers[d]++;
        return defer(pid, d, site, fn, arg);
    }

    /** The strategy's defer statement in frame {@code d}. */
    abstract boolean defer(int pid, int d, int site, DeferFn fn, long arg);

    // ---------------------------------------------------------------- running defers

    /**
     * Returns from the innermost frame, whose id must be {@code sp}: runs its defers newest first, then
     * pops it. Models panic.go: deferreturn (Go 1.22), or the compiler's openDeferExit for open-coded
     * frames. Each record is unlinked and freed (to P {@code pid}'s pool) before its call, as popDefer does.
     * Executed by the G's thread, on P {@code pid}.
     *
     * @return the number of deferred calls run
     */
    public final int deferreturn(int pid, long sp) {
        final int d = depth - 1;
        if (d < 0 || frameSp[d] != sp) {
            throw new IllegalStateException("deferreturn: frame " + sp + " is not the innermost frame ("
                    + (d < 0 ? "no frame" : "innermost is " + frameSp[d]) + ")");
        }
        int ran = runFrame(pid, d, sp);
        if (depth != d + 1) {
            throw new IllegalStateException("deferreturn: a deferred call left " + (depth - d - 1) + " frames open");
        }
        frameExited(d);
        frameShape[d] = null;
        depth = d;
        return ran;
    }

    /** Runs frame {@code d}'s defers, newest first; returns how many ran. */
    abstract int runFrame(int pid, int d, long sp);

    /**
     * Runs every pending defer of every frame, newest first, and pops all frames, as a panic that is not
     * recovered (or {@code runtime.Goexit}) does. Models panic.go: gopanic / Goexit (Go 1.22) without
     * recover. Executed by the G's thread, on P {@code pid}.
     *
     * @return the number of deferred calls run
     */
    public final int gopanic(int pid) {
        int ran = 0;
        while (depth > 0) {
            ran += deferreturn(pid, frameSp[depth - 1]);
        }
        return ran;
    }

    // ---------------------------------------------------------------- inspection

    /** Number of open frames. */
    public final int depth() {
        return depth;
    }

    /** Id of the innermost frame; throws if there is none. */
    public final long topSp() {
        if (depth == 0) {
            throw new IllegalStateException("topSp: no frame");
        }
        return frameSp[depth - 1];
    }

    /** Whether the chain holds no frame and no record ({@code g._defer == nil}). */
    public final boolean isEmpty() {
        return depth == 0 && noRecords();
    }

    /** Whether no record is linked. */
    abstract boolean noRecords();

    /** Pending deferred calls: records on the chain plus set open-coded bits. Walks the chain. */
    public abstract int pending();

    /** Handle of the newest off-heap record (OFFHEAP), 0 otherwise; for tests of stale-handle detection. */
    int headHandle() {
        return 0;
    }
}
