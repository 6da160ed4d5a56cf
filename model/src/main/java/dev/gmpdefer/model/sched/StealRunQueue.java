package dev.gmpdefer.model.sched;

/**
 * The view of a P's local run queue that any P may use: the operations Go documents as
 * "Can be executed by any P." It has no way to put a G in the ring.
 */
public interface StealRunQueue {
    /** proc.go: runqempty (Go 1.21): both ring and runnext empty, read consistently. */
    boolean runqempty();

    /** Ring length (tail - head) as a thief sees it; a snapshot. */
    int size();
}
