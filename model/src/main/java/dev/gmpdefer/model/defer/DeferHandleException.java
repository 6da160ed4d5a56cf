package dev.gmpdefer.model.defer;

/**
 * Thrown when an off-heap defer handle is used after its record was freed, or freed twice: the handle's
 * generation no longer matches the slot's. Carries the offending handle. Go has no handles: the
 * nearest checks are panic.go: freedefer's throws on a record still in use (freedeferpanic,
 * freedeferfn: "freedefer with d.fn != nil").
 */
public final class DeferHandleException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int handle;

    DeferHandleException(String message, int handle) {
        super(message);
        this.handle = handle;
    }

    /** The stale handle. */
    public int handle() {
        return handle;
    }
}
