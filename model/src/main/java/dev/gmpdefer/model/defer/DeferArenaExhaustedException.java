package dev.gmpdefer.model.defer;

/**
 * Thrown by the off-heap arena when a record is needed, both pools are empty and the arena already holds
 * its configured maximum of records. Nothing is written when it is thrown: the arena stays consistent.
 * Go's counterpart is mallocgc failing in panic.go: newdefer, which throws "out of memory".
 */
public final class DeferArenaExhaustedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DeferArenaExhaustedException(String message) {
        super(message);
    }
}
