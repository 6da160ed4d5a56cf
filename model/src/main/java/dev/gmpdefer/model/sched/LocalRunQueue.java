package dev.gmpdefer.model.sched;

/**
 * The owner's view of a P's local run queue: the operations Go documents as
 * "Executed only by the owner P." A thief holds only a {@link StealRunQueue}.
 */
public interface LocalRunQueue {
    /** proc.go: runqput (Go 1.21). See {@link RunQueue#runqput}. */
    void runqput(G gp, boolean next);

    /** proc.go: runqget (Go 1.21): runnext first, then the ring head; null when empty. */
    G runqget();

    /** Whether the G returned by the last {@link #runqget()} came from runnext (inheritTime). */
    boolean lastInheritTime();

    /** proc.go: runqsteal (Go 1.21): steals into this ring from {@code victim}; null when nothing was taken. */
    G runqsteal(StealRunQueue victim, boolean stealRunNextG);

    /** Number of Gs moved by the last successful {@link #runqsteal} (including the one returned). */
    int lastStealCount();

    /** Whether the last successful {@link #runqsteal} took the victim's runnext. */
    boolean lastStealWasRunnext();

    /** Puts up to {@code n} Gs of a batch on the ring tail (part of proc.go: globrunqget). */
    void putBatchTail(G[] batch, int from, int n);

    /** Free slots left in the ring (capacity - length). */
    int free();
}
