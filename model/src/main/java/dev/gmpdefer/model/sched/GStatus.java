package dev.gmpdefer.model.sched;

/**
 * Goroutine states, with Go's names and values.
 *
 * <p>Models runtime2.go: the {@code _Gidle ... _Gpreempted} constants (Go 1.21). The model uses the
 * subset the scheduler paths below need; {@code _Gcopystack}, {@code _Gscan*} and {@code _Gdeadextra}
 * have no counterpart because the model has no stacks to copy and no GC to scan them.
 */
public final class GStatus {
    private GStatus() {
    }

    /** Just allocated, not yet initialised (runtime2.go: _Gidle). */
    public static final int IDLE = 0;
    /** On a run queue, not executing user code (runtime2.go: _Grunnable). */
    public static final int RUNNABLE = 1;
    /** Executing user code; owns an M and a P (runtime2.go: _Grunning). */
    public static final int RUNNING = 2;
    /** In a system call (runtime2.go: _Gsyscall). Not produced by the model's workloads. */
    public static final int SYSCALL = 3;
    /** Blocked, not on a run queue; made runnable by {@code ready} (runtime2.go: _Gwaiting). */
    public static final int WAITING = 4;
    /** Unused, on the free list (runtime2.go: _Gdead). */
    public static final int DEAD = 6;
    /** Stopped by a preemption request, not yet requeued (runtime2.go: _Gpreempted). */
    public static final int PREEMPTED = 9;

    /** Go's name of a status, for messages. */
    public static String name(int status) {
        switch (status) {
            case IDLE: return "_Gidle";
            case RUNNABLE: return "_Grunnable";
            case RUNNING: return "_Grunning";
            case SYSCALL: return "_Gsyscall";
            case WAITING: return "_Gwaiting";
            case DEAD: return "_Gdead";
            case PREEMPTED: return "_Gpreempted";
            default: return "status(" + status + ")";
        }
    }
}
