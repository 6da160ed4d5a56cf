package dev.gmpdefer.model.sched;

/**
 * What a successful {@link LocalRunQueue#runqsteal} reports about the steal besides the G it returns:
 * how many Gs moved and whether the G was the victim's runnext (Tokio passes its {@code dst_stats} to
 * {@code steal_into} the same way). The thief's M counts them in its P's metrics; tests count them.
 * Called by the thief, on the thief's thread.
 */
@FunctionalInterface
public interface StealObserver {
    /** Nothing to record. */
    StealObserver NONE = (count, runnext) -> { };

    /**
     * @param count   Gs moved, including the one returned (1 for runnext)
     * @param runnext whether it was the victim's runnext
     */
    void stolen(int count, boolean runnext);
}
