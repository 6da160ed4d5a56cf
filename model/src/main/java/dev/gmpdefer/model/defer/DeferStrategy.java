package dev.gmpdefer.model.defer;

import java.util.function.Function;

/**
 * How the model allocates and runs defers; selectable as a JMH {@code @Param}. Each constant is the one
 * registration of a strategy: the chain class that implements it and the pool it needs. Adding a strategy
 * is one {@link DeferChain} subclass and one constant here.
 */
public enum DeferStrategy {
    /** {@link HeapChain}: a new record per defer, dropped for the GC (Go up to 1.12). */
    HEAP(Pool.NONE, HeapChain::new),
    /** {@link PooledChain}: Go 1.13+'s deferproc with newdefer / freedefer and the two-level pool. */
    POOLED(Pool.HEAP_RECORDS, PooledChain::new),
    /**
     * {@link OffHeapChain}: POOLED's policy with records in one off-heap Agrona region addressed by int
     * handles with a generation. Not in Go: it asks what a GC-free record store would cost.
     */
    OFFHEAP(Pool.OFFHEAP_SLOTS, OffHeapChain::new),
    /** {@link StackChain}: every record in its frame, deferprocStack (Go 1.13+). */
    STACK(Pool.NONE, StackChain::new),
    /**
     * {@link OpenCodedChain}: no record; closures in the frame's slots, a {@code deferBits} mask, an unrolled
     * exit (Go 1.14+). A frame holds at most 8 defer sites, each executed at most once.
     */
    OPEN_CODED(Pool.NONE, OpenCodedChain::new),
    /**
     * {@link CompilerChain}: per defer statement, what Go 1.22's compiler picks from the function's
     * {@link FuncShape}: open-coded, else a stack record, else a pooled heap record. The realistic default.
     */
    GO_COMPILER(Pool.HEAP_RECORDS, CompilerChain::new);

    /** Which pool of records a strategy draws from. */
    enum Pool {
        /** None (records made per defer, in frames, or no records). */
        NONE,
        /** {@link DeferPools}: Java-heap records. */
        HEAP_RECORDS,
        /** {@link OffHeapDeferArena}: off-heap slots. */
        OFFHEAP_SLOTS
    }

    final Pool pool;
    private final Function<DeferAllocator, DeferChain> chain;

    DeferStrategy(Pool pool, Function<DeferAllocator, DeferChain> chain) {
        this.pool = pool;
        this.chain = chain;
    }

    /** A new, empty chain of this strategy for one G. */
    DeferChain newChain(DeferAllocator a) {
        return chain.apply(a);
    }
}
