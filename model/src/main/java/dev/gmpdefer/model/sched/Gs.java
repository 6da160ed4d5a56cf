package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;

/**
 * Factories for code outside this package that needs bare Gs or a run queue owned by a running P:
 * the JMH benchmarks ({@code dev.gmpdefer.bench.runq}) and tests of other packages.
 *
 * <p>Why it exists: {@link G}'s and {@link P}'s constructors are package-private because in a run
 * only the scheduler creates them (Go's malg / procresize) and recycles Gs (gfput / gfget). A
 * benchmark of the run queue alone must still build its Gs once, in {@code @Setup}, so that the
 * measured operations allocate nothing; these factories are the only public way to do that. Gs made
 * here have goid = index, status _Gidle, no body, and belong to no scheduler.
 */
public final class Gs {
    private Gs() {
    }

    /** One bare G with the given index (and goid). */
    public static G newG(int index) {
        G g = new G(index);
        g.goid = index;
        return g;
    }

    /** {@code n} bare Gs with indexes (and goids) {@code 0..n-1}. */
    public static G[] newGs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("newGs: n must be >= 0: " + n);
        }
        G[] gs = new G[n];
        for (int i = 0; i < n; i++) {
            gs[i] = newG(i);
        }
        return gs;
    }

    /**
     * The run queue of a fresh P whose status is {@code running} or idle: the runnext-steal pause of
     * proc.go: runqgrab is taken only when the victim P is running, so a benchmark of that pause needs
     * a victim in that state. Metrics off.
     */
    public static LocalRunQueue runQueueOfP(int capacity, GlobalRunQueue global, StealPause pause, boolean running) {
        P pp = new P(0, capacity, global, pause, new PMetrics(false));
        pp.setStatus(running ? P.RUNNING : P.IDLE);
        return pp.local();
    }
}
