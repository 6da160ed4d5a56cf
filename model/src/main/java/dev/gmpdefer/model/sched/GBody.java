package dev.gmpdefer.model.sched;

/**
 * What a goroutine runs: a resumable, allocation-free program.
 *
 * <p>{@link #run} is entered by {@code execute} and runs the G from its saved registers ({@link G#pc},
 * {@link G#r0}...) until the G exits, yields, blocks or honours a preemption request at one of its safe
 * points. It returns one of the {@code EXIT ... PARK} codes; the M then does what Go's runtime does for
 * that event (goexit0, goschedImpl, gopreempt_m, goyield_m, park_m). A body must keep every piece of
 * state it needs after returning in the G's registers, since the G may resume on another M.
 *
 * <p>Safe points: a body must poll {@link G#laPreempt()} at least once per unit of work and return
 * {@link #PREEMPTED} when it is set, like the prologue check Go compiles into every function that is not
 * nosplit (reference item 17). Code modelling runtime internals (the defer machinery) does not poll.
 */
@FunctionalInterface
public interface GBody {
    /** The G returned from its function (proc.go: goexit1 -> goexit0). */
    int EXIT = 0;
    /** The G called runtime.Gosched (proc.go: gosched_m -> goschedImpl): global queue tail. */
    int GOSCHED = 1;
    /** The G saw its preempt flag at a safe point (proc.go: gopreempt_m -> goschedImpl): global queue tail. */
    int PREEMPTED = 2;
    /** The G called goyield (proc.go: goyield_m): local queue tail. */
    int GOYIELD = 3;
    /** The G blocks on the semaphore given to {@link Exec#park} (proc.go: gopark -> park_m). */
    int PARK = 4;
    /**
     * HYPOTHETICAL, not Go: the article's claim C9, "a deferproc that finds the defer pool empty
     * blocks in gopark and the G then goes to the global run queue, bypassing runnext". Go has no such
     * path (panic.go: deferproc / newdefer never park or requeue; reference item 22). The M handles it
     * like goschedImpl (global queue tail) and counts it separately. Only the opt-in
     * {@code article_hypothesis} treatment returns it.
     */
    int HYPOTHETICAL_DEFER_REQUEUE = 5;
    /** A GC mark worker stopped (mgc.go: gcBgMarkWorker parks until findRunnableGCWorker picks it again). */
    int GC_WORKER_PARK = 6;
    /**
     * The G's mark assist found no scan work while in debt (see {@link G#gcAssistParkPending}): it parks
     * on the assist queue (mgcmark.go: gcParkAssist) unless credit appeared or the cycle ended.
     */
    int GC_ASSIST_PARK = 7;

    /**
     * Runs {@code g} until its next scheduling event. Executed by the M that runs {@code g}.
     *
     * @return one of {@link #EXIT}, {@link #GOSCHED}, {@link #PREEMPTED}, {@link #GOYIELD}, {@link #PARK}
     */
    int run(G g, Exec exec);
}
