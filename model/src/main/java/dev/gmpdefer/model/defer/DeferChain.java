package dev.gmpdefer.model.defer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One G's defers: the LIFO chain of records {@code g._defer} (newest first) and the stack of frames of
 * functions that defer, with their open-coded state and their STACK arena marks.
 *
 * <p>Models runtime2.go: g._defer and panic.go (Go 1.22): deferproc, deferprocStack, deferreturn,
 * gopanic/Goexit's walk of all frames; and the open-coded defers that the compiler emits (ssagen/ssa.go:
 * openDeferRecord stores the closure and sets a bit of the 8-bit {@code deferBits}; openDeferExit calls
 * the set bits from the highest down, clearing each bit before its call).
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
public final class DeferChain {
    private static final int OPEN_SLOTS = FuncShape.MAX_OPEN_DEFERS;
    private static final int INITIAL_FRAMES = 4;
    private static final int INITIAL_STACK_RECORDS = 8;

    private final DeferAllocator alloc;
    private final DeferStrategy strategy;
    private final DeferLayout layout;
    private final DeferP[] ps;
    private final DeferPools pools;
    private final OffHeapDeferArena arena;

    /** {@code g._defer} for Java-object records (all strategies but OFFHEAP). */
    private DeferRecord head;
    /** {@code g._defer} for OFFHEAP: the newest record's handle, 0 = nil. */
    private int headHandle;

    // Frames, innermost at depth - 1.
    private int depth;
    private long nextSp;
    private long[] frameSp = new long[INITIAL_FRAMES];
    private FuncShape[] frameShape = new FuncShape[INITIAL_FRAMES];
    /** Open-coded {@code deferBits} per frame (8 bits used). */
    private int[] frameMask = new int[INITIAL_FRAMES];
    /** Defer statements executed in the frame so far (numbers sites for the site-less deferproc). */
    private int[] frameDefers = new int[INITIAL_FRAMES];
    /** STACK arena top at frame entry: the frame's stack records are released down to it at exit. */
    private int[] frameStackMark = new int[INITIAL_FRAMES];
    /** Open-coded closure slots: 8 per frame. */
    private DeferFn[] openFn = new DeferFn[INITIAL_FRAMES * OPEN_SLOTS];
    private long[] openArg = new long[INITIAL_FRAMES * OPEN_SLOTS];

    /** STACK arena: records that live "in the frames" of this G, bump-allocated (Go 1.13 deferprocStack). */
    private DeferRecord[] stack = new DeferRecord[0];
    private int stackTop;

    DeferChain(DeferAllocator alloc) {
        this.alloc = alloc;
        this.strategy = alloc.strategy;
        this.layout = alloc.layout;
        this.ps = alloc.ps;
        this.pools = alloc.pools;
        this.arena = alloc.arena;
    }

    /** The allocator this chain draws from. */
    public DeferAllocator allocator() {
        return alloc;
    }

    // ---------------------------------------------------------------- frames

    /** {@link #enterFrame(FuncShape)} without a shape; not allowed for GO_COMPILER. */
    public long enterFrame() {
        return enterFrame(null);
    }

    /**
     * Enters a function that defers and returns its frame id. Models the function prologue: Go's
     * {@code getcallersp()} that deferproc records, and the open-coded {@code deferBits = 0}.
     * GO_COMPILER needs the function's shape to choose each defer's kind. Executed by the G's thread.
     */
    public long enterFrame(FuncShape shape) {
        if (shape == null && strategy == DeferStrategy.GO_COMPILER) {
            throw new IllegalArgumentException("enterFrame: GO_COMPILER needs the function's FuncShape");
        }
        int d = depth;
        if (d == frameSp.length) {
            growFrames();
        }
        long sp = ++nextSp;
        frameSp[d] = sp;
        frameShape[d] = shape;
        frameMask[d] = 0;
        frameDefers[d] = 0;
        frameStackMark[d] = stackTop;
        depth = d + 1;
        return sp;
    }

    private void growFrames() {
        int n = frameSp.length * 2;
        frameSp = Arrays.copyOf(frameSp, n);
        frameShape = Arrays.copyOf(frameShape, n);
        frameMask = Arrays.copyOf(frameMask, n);
        frameDefers = Arrays.copyOf(frameDefers, n);
        frameStackMark = Arrays.copyOf(frameStackMark, n);
        openFn = Arrays.copyOf(openFn, n * OPEN_SLOTS);
        openArg = Arrays.copyOf(openArg, n * OPEN_SLOTS);
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
    public boolean deferproc(int pid, DeferFn fn, long arg) {
        int d = depth - 1;
        return deferproc(pid, d < 0 ? 0 : frameDefers[d], fn, arg);
    }

    /**
     * {@code defer fn(arg)} at defer statement {@code site} (0-based, source order) of the innermost frame.
     * Depending on the strategy (and, for GO_COMPILER, on the frame's {@link FuncShape#kind(int)}) this
     * models panic.go: deferproc + newdefer (heap record), panic.go: deferprocStack (stack record) or the
     * compiler's openDeferRecord (open-coded). Executed by the G's thread, on P {@code pid}.
     *
     * @return true when newdefer found P {@code pid}'s local pool empty (HEAP: always; never for stack
     *         records or open-coded defers). Reading it has no effect on scheduling.
     */
    public boolean deferproc(int pid, int site, DeferFn fn, long arg) {
        Objects.requireNonNull(fn, "deferproc: fn");
        final int d = depth - 1;
        if (d < 0) {
            throw new IllegalStateException("deferproc: no frame; call enterFrame first");
        }
        frameDefers[d]++;
        switch (strategy) {
            case HEAP:
                return pushRecord(alloc.heapNewdefer(pid), d, fn, arg, true);
            case POOLED:
                return pushRecord(pools.newdefer(pid), d, fn, arg, ps[pid].lastMissed);
            case OFFHEAP:
                return pushOffHeap(pid, d, fn, arg);
            case STACK:
                pushStack(pid, d, fn, arg);
                return false;
            case OPEN_CODED:
                openDeferRecord(d, site, fn, arg);
                return false;
            case GO_COMPILER:
                switch (frameShape[d].kind(site)) {
                    case OPEN_CODED:
                        openDeferRecord(d, site, fn, arg);
                        return false;
                    case STACK:
                        pushStack(pid, d, fn, arg);
                        return false;
                    default:
                        return pushRecord(pools.newdefer(pid), d, fn, arg, ps[pid].lastMissed);
                }
            default:
                throw new IllegalStateException("deferproc: strategy " + strategy);
        }
    }

    /** Links a heap record at the head of the chain. Models panic.go: deferproc (Go 1.22). */
    private boolean pushRecord(DeferRecord r, int d, DeferFn fn, long arg, boolean missed) {
        r.sp = frameSp[d];
        r.pc = arg;
        r.fn = fn;
        r.link = head;
        head = r;
        return missed;
    }

    /** Models panic.go: deferprocStack (Go 1.22): the record is in the frame, heap = false, linked first. */
    private void pushStack(int pid, int d, DeferFn fn, long arg) {
        int top = stackTop;
        if (top == stack.length) {
            growStack();
        }
        DeferRecord r = stack[top];
        stackTop = top + 1;
        r.heap = false;
        r.sp = frameSp[d];
        r.pc = arg;
        r.fn = fn;
        r.link = head;
        head = r;
        ps[pid].gets++;
    }

    private void growStack() {
        int old = stack.length;
        int n = old == 0 ? INITIAL_STACK_RECORDS : old * 2;
        DeferRecord[] s = Arrays.copyOf(stack, n);
        for (int i = old; i < n; i++) {
            s[i] = layout.newRecord();
        }
        stack = s; // part of the G's "stack", like Go's frames: not counted as allocated records
    }

    /** deferproc with an off-heap record. Models panic.go: deferproc (Go 1.22). */
    private boolean pushOffHeap(int pid, int d, DeferFn fn, long arg) {
        int h = arena.newdefer(pid);
        arena.init((h & OffHeapDeferArena.SLOT_MASK) - 1, frameSp[d], fn, arg, headHandle);
        headHandle = h;
        return ps[pid].lastMissed;
    }

    /**
     * Stores the closure in the frame's slot and sets its bit. Models ssagen/ssa.go: openDeferRecord
     * (Go 1.14+): {@code deferBits |= 1 << site}.
     */
    private void openDeferRecord(int d, int site, DeferFn fn, long arg) {
        if (site < 0 || site >= OPEN_SLOTS) {
            throw new IllegalStateException("deferproc: an open-coded frame holds at most " + OPEN_SLOTS
                    + " defer sites; site " + site);
        }
        int bit = 1 << site;
        int mask = frameMask[d];
        if ((mask & bit) != 0) {
            throw new IllegalStateException("deferproc: open-coded defer site " + site
                    + " executed twice in one frame (a defer in a loop cannot be open-coded)");
        }
        int k = d * OPEN_SLOTS + site;
        openFn[k] = fn;
        openArg[k] = arg;
        frameMask[d] = mask | bit;
    }

    // ---------------------------------------------------------------- running defers

    /**
     * Returns from the innermost frame, whose id must be {@code sp}: runs its defers newest first, then
     * pops it (releasing its STACK records). Models panic.go: deferreturn (Go 1.22), plus the compiler's
     * openDeferExit for open-coded frames. Each record is unlinked and freed (to P {@code pid}'s pool)
     * before its call, as popDefer does. Executed by the G's thread, on P {@code pid}.
     *
     * @return the number of deferred calls run
     */
    public int deferreturn(int pid, long sp) {
        final int d = depth - 1;
        if (d < 0 || frameSp[d] != sp) {
            throw new IllegalStateException("deferreturn: frame " + sp + " is not the innermost frame ("
                    + (d < 0 ? "no frame" : "innermost is " + frameSp[d]) + ")");
        }
        int ran = runFrame(pid, d, sp);
        if (depth != d + 1) {
            throw new IllegalStateException("deferreturn: a deferred call left " + (depth - d - 1) + " frames open");
        }
        stackTop = frameStackMark[d];
        frameShape[d] = null;
        depth = d;
        return ran;
    }

    private int runFrame(int pid, int d, long sp) {
        int ran = 0;
        int mask;
        while ((mask = frameMask[d]) != 0) {
            int bit = 31 - Integer.numberOfLeadingZeros(mask);
            frameMask[d] = mask & ~(1 << bit); // deferBits &^= 1<<i before the call
            int k = d * OPEN_SLOTS + bit;
            DeferFn fn = openFn[k];
            long arg = openArg[k];
            openFn[k] = null;
            fn.run(arg);
            ran++;
        }
        if (arena != null) {
            int h;
            while ((h = headHandle) != 0) {
                int slot = arena.checkLive(h, "deferreturn");
                if (arena.spAt(slot) != sp) {
                    break;
                }
                DeferFn fn = arena.fnAt(slot);
                long arg = arena.argAt(slot);
                headHandle = arena.linkAt(slot);
                arena.freedeferSlot(pid, slot); // h was validated by checkLive above
                fn.run(arg);
                ran++;
            }
        } else {
            DeferRecord r;
            while ((r = head) != null && r.sp == sp) {
                DeferFn fn = r.fn;
                long arg = r.pc;
                head = r.link;
                popDefer(pid, r);
                fn.run(arg);
                ran++;
            }
        }
        return ran;
    }

    /** Models panic.go: popDefer / freedefer (Go 1.22) for Java-object records. Executed on P {@code pid}. */
    private void popDefer(int pid, DeferRecord r) {
        if (!r.heap) {
            r.fn = null; // stack record: Go clears fn and link and returns; the frame releases the memory
            r.link = null;
            ps[pid].puts++;
        } else if (pools != null) {
            pools.freedefer(pid, r);
        } else {
            r.clear(); // HEAP without a pool: the record is dropped for the GC
            ps[pid].puts++;
        }
    }

    /**
     * Runs every pending defer of every frame, newest first, and pops all frames, as a panic that is not
     * recovered (or {@code runtime.Goexit}) does. Models panic.go: gopanic / Goexit (Go 1.22) without
     * recover. Executed by the G's thread, on P {@code pid}.
     *
     * @return the number of deferred calls run
     */
    public int gopanic(int pid) {
        int ran = 0;
        while (depth > 0) {
            ran += deferreturn(pid, frameSp[depth - 1]);
        }
        return ran;
    }

    // ---------------------------------------------------------------- inspection

    /** Number of open frames. */
    public int depth() {
        return depth;
    }

    /** Id of the innermost frame; throws if there is none. */
    public long topSp() {
        if (depth == 0) {
            throw new IllegalStateException("topSp: no frame");
        }
        return frameSp[depth - 1];
    }

    /** Whether the chain holds no frame and no record ({@code g._defer == nil}). */
    public boolean isEmpty() {
        return depth == 0 && head == null && headHandle == 0;
    }

    /** Pending deferred calls: records on the chain plus set open-coded bits. Walks the chain. */
    public int pending() {
        int c = 0;
        for (int d = 0; d < depth; d++) {
            c += Integer.bitCount(frameMask[d]);
        }
        if (arena != null) {
            for (int h = headHandle; h != 0; h = arena.linkAt(arena.checkLive(h, "pending"))) {
                c++;
            }
        } else {
            for (DeferRecord r = head; r != null; r = r.link) {
                c++;
            }
        }
        return c;
    }

    /** The strategy. */
    public DeferStrategy strategy() {
        return strategy;
    }

    /** Handle of the newest off-heap record (OFFHEAP), 0 when none; for tests of stale-handle detection. */
    int headHandle() {
        return headHandle;
    }
}
