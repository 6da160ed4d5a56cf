package dev.gmpdefer.model.defer;

/**
 * How the model allocates and runs defers. Selectable as a JMH {@code @Param}.
 */
public enum DeferStrategy {
    /**
     * A new Java object per record, dropped for the GC after it runs: Go 1.12 and earlier without the
     * pools, i.e. every deferproc pays {@code mallocgc}. Not allocation-free by design.
     */
    HEAP,
    /**
     * Models panic.go: newdefer / freedefer (Go 1.22): per-P local pool of 32, refill of up to 16 from the
     * global list {@code sched.deferpool} under {@code sched.deferlock} when empty, spill of 16 when full,
     * allocation only when both are empty.
     */
    POOLED,
    /**
     * The same pool policy as {@link #POOLED}, with records in off-heap slabs (Agrona {@code UnsafeBuffer}
     * over aligned direct memory) addressed by int handles with a generation. Not in Go: it asks what a
     * GC-free record store would cost.
     */
    OFFHEAP,
    /**
     * Every record in a per-G bump arena released at frame exit. Models panic.go: deferprocStack (Go 1.13+).
     * Go uses it only for defers that run at most once per call; the model also accepts defers in loops
     * (the arena grows), which Go's fixed-size frames cannot.
     */
    STACK,
    /**
     * No record: an 8-bit mask per frame and up to 8 closure slots, called inline at exit in reverse order.
     * Models the compiler's open-coded defers (ssagen/ssa.go: openDeferRecord, openDeferExit; Go 1.14+).
     * A frame can hold at most 8 defer sites, each executed at most once.
     */
    OPEN_CODED,
    /**
     * Per defer statement, what Go 1.22's compiler picks from the function's {@link FuncShape}: open-coded,
     * else a stack record for a defer not in a loop, else a pooled heap record. The realistic default.
     */
    GO_COMPILER
}
