package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.DeferChain;
import dev.gmpdefer.model.defer.DeferFn;
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
    }

    /**
     * Records are Go heap objects of this size class (newdefer's new(_defer); stack and open-coded
     * frames allocate none, so their count stays 0). Under HEAP they die when run (Go up to 1.12); in
     * the pools they stay live until clearpools drops the central pool.
     */
    private final boolean recordsDie;
    /** Records alive (made by newdefer and not dropped), over every run of this allocator. */
    private final java.util.concurrent.atomic.LongAdder liveRecords = new java.util.concurrent.atomic.LongAdder();
    private final long sizeClass;

    public DeferAllocator allocator() {
        return alloc;
    }

    private DeferChain chain(G g) {
        DeferChain c = g.defers;
        if (c == null || c.allocator() != alloc) {
            c = alloc.newChain(); // once per G object: G objects are recycled
            g.defers = c;
        }
        return c;
    }

    @Override
    public boolean register(G g, int pid, int n) {
        DeferChain c = chain(g);
        if (c.depth() == 0) {
            c.enterFrame(shape);
        }
        boolean missed = false;
        long before = alloc.allocated(pid);
        for (int i = 0; i < n; i++) {
            missed |= inLoop ? c.deferproc(pid, 0, EMPTY, i) : c.deferproc(pid, EMPTY, i);
        }
        long fresh = alloc.allocated(pid) - before;
        if (fresh > 0) {
            liveRecords.add(fresh); // new(_defer) in newdefer: mallocgc of the record's size class
            g.mallocgc(pid, fresh * sizeClass);
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
