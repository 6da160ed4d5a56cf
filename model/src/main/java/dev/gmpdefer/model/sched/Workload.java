package dev.gmpdefer.model.sched;

/**
 * What a run executes: the initial goroutines. Their bodies spawn the rest. Models the program that
 * proc.go: main (runtime.main) starts as the main goroutine, and the go statements of its init.
 */
public interface Workload {
    /** Short name for results. */
    String name();

    /**
     * Creates the initial Gs. Called once per run on the caller's thread before any M starts.
     * A typical workload spawns one "main" G on P 0 that spawns the others with {@code go} statements
     * ({@link Exec#newproc}), as a Go program does.
     */
    void start(Spawner spawner);

    /**
     * mgc.go: clearpools, the workload's part: drops the central pools of what it allocates (the defer
     * pool) and returns the bytes that died. Called by the GC with the world stopped. Default: nothing.
     */
    default long clearpools() {
        return 0;
    }

    /**
     * Bytes of Go heap objects the workload already holds when a run starts (defer records pooled by
     * earlier runs of the same workload object): the GC counts them as the heap the previous cycle
     * marked. Default: none.
     */
    default long heapBytes() {
        return 0;
    }

    /**
     * Bytes of the workload's data on goroutine stacks that the GC scans at each cycle (mgcmark.go:
     * scanstack; here the stack {@code _defer} records on the Gs' chains: the rest of a G's stack is not
     * modelled). Called by the GC with the world stopped. Default: none.
     */
    default long stackScanBytes() {
        return 0;
    }

    /**
     * Called once before the run starts, by the thread that runs it, before any M or G (no Go counterpart:
     * the workload may put its memory in order, e.g. the defer records' layout between runs).
     */
    default void beforeRun() {
    }

    /** Creates initial goroutines before the run starts. */
    interface Spawner {
        /** Number of Ps of the run. */
        int procs();

        /**
         * Creates a runnable G on P {@code pid}'s queue ({@code runqput(pp, g, next)}), like newproc
         * from a G that ran on that P.
         */
        G spawn(int pid, GBody body, long r0, Object peer, boolean next);
    }
}
