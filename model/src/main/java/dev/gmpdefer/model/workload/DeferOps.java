package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.G;

/**
 * The defer operations a G body performs for one function frame, as the compiler would emit them:
 * {@code deferproc} for each {@code defer} statement executed, {@code deferreturn} at the return.
 * Implementations call into the {@code dev.gmpdefer.model.defer} package; the workloads only see this
 * interface. Every call is made by the M running {@code g}, with the id of the P it runs on now (a G
 * may register on one P and return on another).
 *
 * <p>These calls never change G status or touch run queues (reference item 22).
 */
public interface DeferOps {
    /**
     * Registers {@code n} deferred calls on g's chain for its current frame (panic.go: deferproc /
     * deferprocStack, or the open-coded mask).
     *
     * @return true when some newdefer found the local per-P pool empty (used only by the hypothetical
     *         treatment of claim C9; never acted upon by the defer code itself)
     */
    boolean register(G g, int pid, int n);

    /**
     * Runs up to {@code max} pending deferred calls of g's current frame, newest first
     * (panic.go: deferreturn), freeing their records on P {@code pid}.
     *
     * @return how many ran; 0 when the frame has none left
     */
    int run(G g, int pid, int max);

    /** Releases what the operations hold (off-heap memory). */
    default void close() {
    }

    /** Bytes one heap record takes in Go (48 on Go 1.22+ amd64), for the allocation control. */
    default int recordBytes() {
        return 48;
    }

    /**
     * mgc.go: clearpools, the defer part: drops the central pool's records and returns the heap bytes
     * that died (0 when this implementation has no central heap pool). Called with the world stopped.
     */
    default long clearpools() {
        return 0;
    }

    /** Between two runs, before the next starts (no P runs): see {@link dev.gmpdefer.model.defer.DeferAllocator#orderFreeMemory}. */
    default void beforeRun() {
    }

    /** Heap bytes of the records alive now (pooled or on chains); 0 when this implementation has none. */
    default long heapBytes() {
        return 0;
    }

    /** Bytes of stack records on the Gs' chains now (scanned with the stacks); 0 when none. */
    default long stackScanBytes() {
        return 0;
    }
}
