package dev.gmpdefer.model.defer;

/**
 * A {@code _defer} record on the Java heap, with the fields of Go 1.22's 48-byte layout.
 *
 * <p>Models runtime2.go: type _defer (Go 1.22). With compressed oops the object is 48 bytes too
 * (12-byte header, two booleans, two longs, three references), so HEAP's bytes per defer are comparable to
 * Go's. {@link DeferRecord72} adds the Go 1.14-1.21 fields. Used by HEAP, POOLED, STACK and GO_COMPILER.
 *
 * <p>Owned by whoever holds it: a P's local pool (the thread running that P), the global pool (under its
 * lock) or one G's chain (the thread running that G). No field is shared between threads without one of
 * those hand-offs.
 */
class DeferRecord {
    /** {@code heap}: true for records from newdefer (HEAP, POOLED), false for deferprocStack (STACK). */
    boolean heap;
    /** {@code rangefunc}: never set by the model (range-over-func is not modelled). */
    boolean rangefunc;
    /** {@code sp}: id of the frame that deferred the call. */
    long sp;
    /** {@code pc}: the model stores the deferred call's argument here (the model has no pcs). */
    long pc;
    /** {@code fn}: the deferred function. */
    DeferFn fn;
    /** {@code link}: next (older) record on the chain, or on the global pool. */
    DeferRecord link;
    /** {@code head}: rangefunc list head; never set by the model. */
    Object head;
    /** Not Go's: marks the record during {@link DeferPools#orderFreeMemory} (no P runs then). */
    boolean ordering;

    /**
     * Clears the record before it goes back to a pool. Models panic.go: freedefer's {@code *d = _defer{}}
     * (Go 1.22). Executed only by the thread that owns the record.
     */
    void clear() {
        heap = false;
        rangefunc = false;
        sp = 0;
        pc = 0;
        fn = null;
        link = null;
        head = null;
    }
}
