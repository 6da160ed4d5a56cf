package dev.gmpdefer.model.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The exact decomposition of every wait (runnable to running) by what the Ps were doing meanwhile,
 * the model's side of realgo's {@code waitByCause} (realgo/tracewait: decompose.go) with the same
 * rule: a wait of length L is split among the causes in proportion to the P-time spent in each during
 * it, summed over all GOMAXPROCS Ps and divided by GOMAXPROCS, so that a wait's causes add up to L. A
 * stop-the-world range counts as {@link WaitCause#STW} on every P (Go's MutatorUtilizationV2); before a
 * P's first entry it counts as {@link WaitCause#OTHER}. The tail is the waits longer than the 95th
 * percentile of all waits' lengths (the same percentile rule as tracewait).
 *
 * <p>Since only sums over waits are published, each cause's total is {@code sum over Ps of (sum over
 * waits of A(end) - sum over waits of A(start))}, A being the P's cumulative time in the cause; one
 * monotone pass per P over the sorted starts and the sorted ends computes it in O(waits log waits +
 * Ps x (waits + states)).
 */
public final class WaitCauses {
    /** Nanoseconds of wait by cause (indexed by {@link WaitCause#ordinal()}), all waits and the tail. */
    public final double[] allNs = new double[WaitCause.ALL.length];
    public final double[] tailNs = new double[WaitCause.ALL.length];
    public long waits;
    public long tailWaits;

    private WaitCauses() {
    }

    /**
     * Decomposes the waits of one run.
     *
     * @param logs     every P's log (GOMAXPROCS of them)
     * @param stwBegin the stop-the-world ranges' begins, in time order
     * @param stwEnd   their ends
     * @param nStw     how many ranges
     */
    public static WaitCauses of(List<PStateLog> logs, long[] stwBegin, long[] stwEnd, int nStw) {
        WaitCauses r = new WaitCauses();
        int total = 0;
        for (PStateLog l : logs) {
            total += l.waits();
        }
        if (total == 0 || logs.isEmpty()) {
            return r;
        }
        long[] starts = new long[total];
        long[] ends = new long[total];
        long[] lens = new long[total];
        int k = 0;
        for (PStateLog l : logs) {
            for (int i = 0; i < l.waits(); i++, k++) {
                starts[k] = l.waitStart(i);
                ends[k] = l.waitEnd(i);
                lens[k] = Math.max(0, ends[k] - starts[k]);
            }
        }
        long[] sorted = lens.clone();
        Arrays.sort(sorted);
        long p95 = sorted[(int) Math.ceil(0.95 * total) - 1];
        int tail = 0;
        for (long len : lens) {
            if (len > p95) {
                tail++;
            }
        }
        long[] tStarts = new long[tail];
        long[] tEnds = new long[tail];
        for (int i = 0, j = 0; i < total; i++) {
            if (lens[i] > p95) {
                tStarts[j] = starts[i];
                tEnds[j++] = ends[i];
            }
        }
        Arrays.sort(starts);
        Arrays.sort(ends);
        Arrays.sort(tStarts);
        Arrays.sort(tEnds);
        long origin = Math.min(starts[0], ends[0]);
        for (PStateLog l : logs) {
            if (l.states() > 0) {
                origin = Math.min(origin, l.at(0));
            }
        }
        if (nStw > 0) {
            origin = Math.min(origin, stwBegin[0]);
        }
        int nc = WaitCause.ALL.length;
        long[] allEnd = new long[nc], allStart = new long[nc], tailEnd = new long[nc], tailStart = new long[nc];
        for (PStateLog l : logs) {
            Timeline t = new Timeline(l, origin, stwBegin, stwEnd, nStw);
            t.addSums(ends, allEnd);
            t.addSums(starts, allStart);
            t.addSums(tEnds, tailEnd);
            t.addSums(tStarts, tailStart);
        }
        double procs = logs.size();
        for (int c = 0; c < nc; c++) {
            r.allNs[c] = (allEnd[c] - allStart[c]) / procs;
            r.tailNs[c] = (tailEnd[c] - tailStart[c]) / procs;
        }
        r.waits = total;
        r.tailWaits = tail;
        return r;
    }

    /** One P's states with the stop-the-world ranges laid over them: segments [at[i], at[i+1]) in cause[i]. */
    private static final class Timeline {
        final long[] at;
        final int[] cause;
        final int n;

        Timeline(PStateLog l, long origin, long[] stwBegin, long[] stwEnd, int nStw) {
            int cap = l.states() + 2 * nStw + 1;
            long[] a = new long[cap];
            int[] c = new int[cap];
            int m = 0;
            a[m] = origin;
            c[m++] = WaitCause.OTHER.ordinal(); // before the P's first entry
            int own = WaitCause.OTHER.ordinal();
            boolean inStw = false;
            int i = 0; // next state entry
            int b = 0; // next STW boundary: begin of range b/2 when b is even, its end when odd
            while (i < l.states() || b < 2 * nStw) {
                long stwT = b < 2 * nStw ? (b % 2 == 0 ? stwBegin[b / 2] : stwEnd[b / 2]) : Long.MAX_VALUE;
                long t;
                if (i < l.states() && l.at(i) <= stwT) {
                    t = l.at(i);
                    own = l.cause(i++);
                } else {
                    t = stwT;
                    inStw = b++ % 2 == 0;
                }
                int eff = inStw ? WaitCause.STW.ordinal() : own;
                t = Math.max(t, a[m - 1]);
                if (t == a[m - 1]) {
                    c[m - 1] = eff; // the segment that began here is empty: it takes the new cause
                } else if (eff != c[m - 1]) {
                    a[m] = t;
                    c[m++] = eff;
                }
            }
            this.at = a;
            this.cause = c;
            this.n = m;
        }

        /**
         * Adds, for every x of {@code xs} (sorted), the time in each cause from the origin to x to
         * {@code out}: one pass, the cumulative time carried along.
         */
        void addSums(long[] xs, long[] out) {
            long[] cum = new long[out.length]; // time in each cause up to at[seg]
            int seg = 0;
            for (long x : xs) {
                while (seg + 1 < n && at[seg + 1] <= x) {
                    cum[cause[seg]] += at[seg + 1] - at[seg];
                    seg++;
                }
                for (int c = 0; c < out.length; c++) {
                    out[c] += cum[c] + (c == cause[seg] ? Math.max(0, x - at[seg]) : 0);
                }
            }
        }
    }
}
