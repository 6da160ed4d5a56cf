package dev.gmpdefer.model.metrics;

import java.util.Arrays;

/**
 * One P's record of what it did and of the waits that ended on it, for the exact decomposition of
 * every wait by cause after the run ({@link WaitCauses}). The model knows every P's state, so nothing
 * is sampled: each state change (a G body starts or ends, the P goes idle, its M runs again) is one
 * entry, and each G start one wait (runnable since, started at). Written only by the M that owns the
 * P (no sharing, no atomics); read after the run, once the Ms have stopped.
 *
 * <p>Go's counterpart is the execution tracer's P and G events (runtime/trace), which realgo decomposes
 * the same way (realgo/tracewait). The arrays grow by doubling and are kept for the P's lifetime.
 */
public final class PStateLog {
    private long[] at = new long[1024];
    private byte[] cause = new byte[1024];
    private int n;
    private long[] waitStart = new long[1024];
    private long[] waitEnd = new long[1024];
    private int waits;

    /** From {@code now} on, the P is in {@code c}. Executed only by the owner M. */
    public void state(long now, WaitCause c) {
        if (n == at.length) {
            at = Arrays.copyOf(at, n * 2);
            cause = Arrays.copyOf(cause, n * 2);
        }
        at[n] = now;
        cause[n] = (byte) c.ordinal();
        n++;
    }

    /** A G that was runnable since {@code start} started at {@code end}. Executed only by the owner M. */
    public void waited(long start, long end) {
        if (waits == waitStart.length) {
            waitStart = Arrays.copyOf(waitStart, waits * 2);
            waitEnd = Arrays.copyOf(waitEnd, waits * 2);
        }
        waitStart[waits] = start;
        waitEnd[waits] = end;
        waits++;
    }

    int states() {
        return n;
    }

    long at(int i) {
        return at[i];
    }

    int cause(int i) {
        return cause[i];
    }

    int waits() {
        return waits;
    }

    long waitStart(int i) {
        return waitStart[i];
    }

    long waitEnd(int i) {
        return waitEnd[i];
    }
}
