package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.DeferChain;
import dev.gmpdefer.model.defer.DeferFn;
import dev.gmpdefer.model.defer.DeferKind;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.G;

/**
 * {@link DeferOps} on the defer model: each G gets a {@link DeferChain} from one
 * {@link DeferAllocator}; the first registration of a call enters a frame of the given
 * {@link FuncShape} (which decides, under GO_COMPILER, whether the defers are open-coded, stack or
 * pooled heap records), and the return runs the frame with {@code deferreturn}.
 *
 * <p>The deferred function is the article's {@code func(){}()}: an empty call. Go compiles such a
 * leaf function without a stack check, so a frame's deferred calls run without a safe point between
 * them; {@link #run} accordingly runs the whole frame at once. Models the calls the compiler emits
 * for a frame's defer statements and its return: panic.go: deferproc / deferprocStack, the open-coded
 * bits (ssagen/ssa.go: openDeferRecord), and panic.go: deferreturn.
 */
public final class AllocatorDeferOps implements DeferOps {
    /** {@code func(){}}: created once, never per call. */
    static final DeferFn EMPTY = arg -> { };

    private final DeferAllocator alloc;
    private final FuncShape shape;
    private final boolean inLoop;

    /**
     * @param alloc the allocator (strategy, layout, number of Ps)
     * @param shape the shape of the function that defers: {@link FuncShape#loop()} for defers in a
     *              loop (the article's code), {@link FuncShape#straight(int, int)} for straight-line
     */
    public AllocatorDeferOps(DeferAllocator alloc, FuncShape shape) {
        if (alloc == null || shape == null) {
            throw new IllegalArgumentException("AllocatorDeferOps: allocator and shape are required");
        }
        this.alloc = alloc;
        this.shape = shape;
        this.inLoop = shape.inLoop(0);
        this.recordsDie = alloc.strategy() == DeferStrategy.HEAP;
        this.sizeClass = SizeClasses.roundUp(alloc.layout().size);
        this.kind = kindOf(alloc.strategy(), shape);
        this.stackRecords = new long[alloc.nprocs() * STRIDE];
    }

    /**
     * What Go makes of the frame's defers, for the costs Go pays around them (write barriers, stack
     * scan); null for OFFHEAP, which has no Go counterpart and is charged nothing. The frames the workloads
     * use have one kind for all their sites (a loop: heap records; straight-line: all open-coded, or all
     * stack records beyond 8), so the first site's kind stands for the frame.
     */
    private final DeferKind kind;

    private static DeferKind kindOf(DeferStrategy s, FuncShape shape) {
        switch (s) {
            case GO_COMPILER:
                return shape.kind(0);
            case HEAP:
            case POOLED:
                return DeferKind.HEAP;
            case STACK:
                return DeferKind.STACK;
            case OPEN_CODED:
                return DeferKind.OPEN_CODED;
            default:
                return null;
        }
    }

    /**
     * Records are Go heap objects of this size class (newdefer's new(_defer); stack and open-coded
     * frames allocate none, so their count stays 0). Under HEAP they die when run (Go up to 1.12); in
     * the pools they stay live until clearpools drops the central pool.
     */
    private final boolean recordsDie;
    /** Records alive (made by newdefer and not dropped), over every run of this allocator. */
    private final java.util.concurrent.atomic.LongAdder liveRecords = new java.util.concurrent.atomic.LongAdder();
    /**
     * Stack records on the Gs' chains now (registered, not yet run), counted per P ({@value #STRIDE} longs
     * apart) by the M that owns the P, with plain writes: no shared write on the defer path. A G may register
     * on one P and run on another, so one P's count can be negative; the sum is exact when the world is
     * stopped (gcStart reads it then: the stop orders every M's writes before the read).
     */
    private final long[] stackRecords;
    private static final int STRIDE = 8;
    private final long sizeClass;

    public DeferAllocator allocator() {
        return alloc;
    }

    private DeferChain chain(G g) {
        DeferChain c = g.defers;
        if (c == null || c.allocator() != alloc) {
            c = stackOf(g);
            g.defers = c;
        }
        return c;
    }

    /**
     * The G's frame memory: its defer chain with the stack records and open-coded slots its frames
     * hold. A goroutine keeps its stack when it dies (proc.go: gfput keeps the stack with the g, and
     * allgs is never freed), so a program that runs the same workload again reuses both; the model
     * makes a fresh scheduler, with fresh G objects, for every run, so the frames are kept here, by
     * the G's stable slot ({@link G#index}), across the runs of this allocator. A run's G objects
     * have distinct indexes and runs do not overlap, so a chain is never shared. Without this, every
     * run allocated a chain and up to 24 record objects per G in the Java heap (issue 19: 25.8 MB per
     * Fanout run against 3.1 MB for none). Gs without a slot (negative index) get their own chain.
     * Executed by the M running {@code g}; the chunks are published by CAS.
     */
    private DeferChain stackOf(G g) {
        int i = g.index;
        if (i < 0 || i >= STACK_CHUNK * STACK_CHUNKS) {
            return alloc.newChain();
        }
        DeferChain[] chunk = stacks.get(i / STACK_CHUNK);
        if (chunk == null) {
            stacks.compareAndSet(i / STACK_CHUNK, null, new DeferChain[STACK_CHUNK]);
            chunk = stacks.get(i / STACK_CHUNK);
        }
        DeferChain c = chunk[i % STACK_CHUNK];
        if (c == null || c.depth() != 0) { // a frame left by an aborted run is not reused
            c = alloc.newChain();
            chunk[i % STACK_CHUNK] = c;
        }
        return c;
    }

    private static final int STACK_CHUNK = 1024;
    private static final int STACK_CHUNKS = 1024;
    /** The Gs' chains by {@link G#index}, in chunks of {@value #STACK_CHUNK} made on first use. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<DeferChain[]> stacks =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(STACK_CHUNKS);

    @Override
    public boolean register(G g, int pid, int n) {
        DeferChain c = chain(g);
        if (c.depth() == 0) {
            c.enterFrame(shape);
        }
        boolean missed = false;
        long before = alloc.allocated(pid);
        long spans = alloc.freshSpans(pid);
        for (int i = 0; i < n; i++) {
            missed |= inLoop ? c.deferproc(pid, 0, EMPTY, i) : c.deferproc(pid, EMPTY, i);
        }
        long fresh = alloc.allocated(pid) - before;
        if (fresh > 0) {
            liveRecords.add(fresh); // new(_defer) in newdefer: mallocgc of the record's size class
            g.mallocgc(pid, fresh * sizeClass);
            g.chargeMalloc(pid, fresh, alloc.freshSpans(pid) - spans);
        }
        if (kind != null) {
            if (kind == DeferKind.STACK) {
                stackRecords[pid * STRIDE] += n;
            }
            g.chargeWriteBarriers(pid, (long) n * kind.barriersAtDefer + (n - fresh) * kind.barriersFromPool);
        }
        return missed;
    }

    @Override
    public int run(G g, int pid, int max) {
        DeferChain c = chain(g);
        if (c.depth() == 0) {
            return 0;
        }
        int done = c.deferreturn(pid, c.topSp());
        if (kind != null && done > 0) {
            if (kind == DeferKind.STACK) {
                stackRecords[pid * STRIDE] -= done;
            }
            g.chargeWriteBarriers(pid, (long) done * kind.barriersAtRun);
        }
        if (recordsDie && done > 0) { // HEAP: freedefer drops the record; the GC finds it dead
            liveRecords.add(-done);
            g.heapDead(pid, done * sizeClass);
        }
        return done;
    }

    @Override
    public long clearpools() {
        long dropped = alloc.clearpools();
        liveRecords.add(-dropped);
        return dropped * sizeClass;
    }

    /**
     * Before a run: the forced collection realgo makes before each run ({@code debug.FreeOSMemory}, whatever
     * GOGC): clearpools drops the central pool, and the free memory goes back to the OS
     * ({@code DeferAllocator.orderFreeMemory}). Not part of the run (no P runs; outside its clock).
     */
    @Override
    public void beforeRun() {
        clearpools();
        alloc.orderFreeMemory();
    }

    @Override
    public long stackScanBytes() {
        long n = 0;
        for (int i = 0; i < stackRecords.length; i += STRIDE) {
            n += stackRecords[i];
        }
        return Math.max(0, n) * alloc.layout().size;
    }

    @Override
    public long heapBytes() {
        return liveRecords.sum() * sizeClass;
    }

    @Override
    public void close() {
        alloc.close();
    }

    @Override
    public int recordBytes() {
        return alloc.layout().size;
    }
}
