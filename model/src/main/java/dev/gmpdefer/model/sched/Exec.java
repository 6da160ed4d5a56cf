package dev.gmpdefer.model.sched;

/**
 * What a running G can ask of the runtime: the M's side of the calls a Go program makes.
 * One instance per M; handed to {@link GBody#run}. Executed only by the M that owns it.
 */
public interface Exec {
    /** Monotonic time in ns (runtime.nanotime). */
    long nanoTime();

    /** Id of the P this G runs on now (0..GOMAXPROCS-1). It can change after any scheduling event. */
    int pid();

    /** The P this G runs on now. */
    P p();

    /**
     * An instruction-level safe point of {@code g}'s body (a loop back-edge with no call in it): true
     * when a preemption request is pending and asynchronous preemption is on, and then the body must
     * return {@link GBody#PREEMPTED}. Stands in for Go 1.14+'s signal-based preemption (preempt.go:
     * preemptM sends SIGURG; the handler injects asyncPreempt where isAsyncSafePoint allows): the
     * model honours the request at the next such point the body polls, with no signal delivery time.
     * Function prologues are polled with {@link G#laPreempt()} directly, with or without it.
     */
    boolean asyncSafePoint(G g);

    /**
     * Starts a new goroutine running {@code body} with {@code r0} in its first register.
     * Models proc.go: newproc (Go 1.21): newproc1 (gfget or malg), runqput(pp, newg, true), wakep.
     */
    G newproc(GBody body, long r0);

    /** Same as {@link #newproc(GBody, long)} with a peer object in {@link G#peer}. */
    G newproc(GBody body, long r0, Object peer);

    /**
     * Releases one token of {@code s}, readying its waiter if there is one: the woken G goes to this P's
     * runnext (proc.go: ready, via goready from a channel send or sema release).
     */
    void semrelease(Sema s);

    /** Takes a token of {@code s} without blocking; false when none is available. */
    boolean trySemacquire(Sema s);

    /**
     * Prepares to block on {@code s}: the body must return the value at once ({@link GBody#PARK}). After
     * the G is switched out, the M takes a token if one arrived meanwhile (and the G runs on), else marks
     * the G waiting on {@code s} (proc.go: gopark -> park_m with an unlock function).
     */
    int park(Sema s);
}
