package dev.gmpdefer.model.metrics;

/**
 * What a P is doing while a goroutine waits to run: the causes a wait is split into. The names and
 * their order are realgo's (realgo/tracewait: Causes), so that the model's {@code wait.cause.<name>.us}
 * and real Go's {@code waitByCause} mean the same thing.
 *
 * <p>Mirrors the P states Go's execution tracer reports (runtime/trace: a P running a goroutine, idle,
 * in a system call, stopped for the world) with Go's MutatorUtilizationV2 (internal/trace: gc.go) rules
 * for mark workers and stop-the-world ranges.
 */
public enum WaitCause {
    /** Running another (user) goroutine's body, mark assists included (they run on the goroutine). */
    RUNNING("running"),
    /** Running a background GC mark worker (dedicated, fractional or idle). */
    GC_WORKER("gc_worker"),
    /** Stopped for the world: every P, from the stop's begin to the start's end (mgc.go: gcStart, gcMarkDone). */
    STW("stw"),
    /** Idle: on the idle list or its M parked, until the M runs again; beside a runnable G, a wake-up delay. */
    IDLE("idle"),
    /** In a system call: the model makes none (always 0). */
    SYSCALL("syscall"),
    /** Held by a running M with no goroutine on it: the scheduler itself (findRunnable, spinning, stealing). */
    OTHER("other");

    public static final WaitCause[] ALL = values();

    /** The name in metrics and in realgo's JSON. */
    public final String id;

    WaitCause(String id) {
        this.id = id;
    }
}
