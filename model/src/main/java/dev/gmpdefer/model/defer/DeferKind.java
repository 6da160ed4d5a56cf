package dev.gmpdefer.model.defer;

/**
 * The three ways Go's compiler can compile one {@code defer} statement (reference item 19).
 * Models ssagen/ssa.go: (*state).stmt, case ODEFER (Go 1.22): open-coded if the function has open-coded
 * defers, else a stack record ({@code callDeferStack}) when the defer does not escape
 * ({@code n.Esc() == ir.EscNever}, i.e. it is not in a loop), else a heap record ({@code callDefer}).
 *
 * <p>Each kind also says how many pointer stores into heap objects (or into {@code g}) its runtime code
 * makes, which take the write barrier while the GC marks (panic.go, Go 1.26): {@link #barriersAtDefer}
 * and {@link #barriersAtRun}.
 */
public enum DeferKind {
    /** No record: a bit in the frame's 8-bit {@code deferBits} and an inline call at each exit (Go 1.14+). */
    OPEN_CODED(0, 0, 0),
    /**
     * A record in the caller's frame, linked by {@code deferprocStack} (Go 1.13+); never pooled.
     * deferprocStack writes {@code d.link} and {@code gp._defer} without barriers (the stack is scanned);
     * popDefer's {@code d.fn = nil}, {@code gp._defer = d.link}, {@code d.link = nil} have them.
     */
    STACK(0, 0, 3),
    /**
     * A record from {@code newdefer}: per-P pool, then global pool, then a new heap object. deferproc:
     * {@code d.link}, {@code gp._defer}, {@code d.fn}; newdefer from the per-P pool: the slot cleared and
     * the slice shortened; popDefer's three stores and freedefer's append to the per-P pool (slot and
     * slice).
     */
    HEAP(3, 2, 5);

    /** Barriered pointer stores of one defer statement's runtime call. */
    public final int barriersAtDefer;
    /** More of them when the record came from a per-P pool (newdefer's pool pop). */
    public final int barriersFromPool;
    /** Barriered pointer stores when the deferred call runs (popDefer, freedefer). */
    public final int barriersAtRun;

    DeferKind(int atDefer, int fromPool, int atRun) {
        this.barriersAtDefer = atDefer;
        this.barriersFromPool = fromPool;
        this.barriersAtRun = atRun;
    }
}
