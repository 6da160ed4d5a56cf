package dev.gmpdefer.model.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * The pause a thief takes before stealing the runnext G of a running P.
 *
 * <p>Go (proc.go: runqgrab, Go 1.21) calls {@code usleep(3)}: a {@code nanosleep} of 3 µs whose real
 * length on Linux is 3 µs plus the thread's timer slack (50 µs by default), so in practice tens of µs.
 * The model offers both behaviours; PARK is the default (realgo times Go's runtime.usleep(3) on this
 * machine: 99.5 µs, median, in results/2026-12-02-realgo-2/realgo.json), SPIN a named variant, and every latency
 * benchmark run records which one it used (the secondary metric {@code steal.pause.park}: 1 for PARK):
 * <ul>
 *   <li>{@link Mode#SPIN}: busy-waits on {@link System#nanoTime()} for exactly the configured time
 *       (what the Go comment intends: "sleep to ensure that pp isn't about to run the g");</li>
 *   <li>{@link Mode#PARK}: {@link LockSupport#parkNanos}, a futex wait with the same timer slack as
 *       Go's nanosleep (what Go's code actually gets on Linux).</li>
 * </ul>
 * The real lengths of both are measured by {@code StealBench} / the tests, not assumed.
 */
public final class StealPause {
    /** How the pause is implemented. */
    public enum Mode {
        /** Busy-wait on nanoTime: exact. */
        SPIN,
        /** LockSupport.parkNanos: includes the OS timer slack, like Go's usleep. */
        PARK
    }

    /** No pause at all (pause of 0 ns). */
    public static final StealPause NONE = new StealPause(0, Mode.SPIN);

    private final long nanos;
    private final Mode mode;

    public StealPause(long nanos, Mode mode) {
        if (nanos < 0) {
            throw new IllegalArgumentException("runnext steal pause must be >= 0 ns: " + nanos);
        }
        if (mode == null) {
            throw new IllegalArgumentException("runnext steal pause mode must be SPIN or PARK: null");
        }
        this.nanos = nanos;
        this.mode = mode;
    }

    public long nanos() {
        return nanos;
    }

    public Mode mode() {
        return mode;
    }

    /** Pauses the calling thread. Can be executed by any P. */
    public void pause() {
        if (nanos == 0) {
            return;
        }
        if (mode == Mode.PARK) {
            LockSupport.parkNanos(nanos);
        } else {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public String toString() {
        return mode + "(" + nanos + "ns)";
    }
}
