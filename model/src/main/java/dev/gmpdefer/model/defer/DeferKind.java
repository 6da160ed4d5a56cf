package dev.gmpdefer.model.defer;

/**
 * The three ways Go's compiler can compile one {@code defer} statement (reference item 19).
 * Models ssagen/ssa.go: (*state).stmt, case ODEFER (Go 1.22): open-coded if the function has open-coded
 * defers, else a stack record ({@code callDeferStack}) when the defer does not escape
 * ({@code n.Esc() == ir.EscNever}, i.e. it is not in a loop), else a heap record ({@code callDefer}).
 */
public enum DeferKind {
    /** No record: a bit in the frame's 8-bit {@code deferBits} and an inline call at each exit (Go 1.14+). */
    OPEN_CODED,
    /** A record in the caller's frame, linked by {@code deferprocStack} (Go 1.13+); never pooled. */
    STACK,
    /** A record from {@code newdefer}: per-P pool, then global pool, then a new heap object. */
    HEAP
}
