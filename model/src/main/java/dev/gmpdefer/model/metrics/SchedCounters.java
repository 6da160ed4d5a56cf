package dev.gmpdefer.model.metrics;

import org.HdrHistogram.Histogram;

/**
 * The histograms and counters the scheduler keeps, shared by one P's {@link PMetrics} and a whole
 * run's {@link RunMetrics}; {@link #addAll} is the one place that lists them for merging. Go keeps
 * only the scheduling-latency histogram (proc.go: casgstatus, runtime2.go: {@code sched.timeToRun});
 * the counters and the other histograms are the model's own instruments.
 */
public abstract class SchedCounters {
    static final long HIGHEST_NS = 60_000_000_000L;
    static final int DIGITS = 2;

    /** Runnable -> running, for every G start. */
    public final Histogram schedLatency = newHistogram();
    /** Duration of each successful runqsteal call (including any runnext pause). */
    public final Histogram stealDuration = newHistogram();
    /** Preemption request (sysmon) -> the G yields at a safe point. */
    public final Histogram preemptLatency = newHistogram();
    /** Length of each time slice (from an execute with !inheritTime to the next one or to idling). */
    public final Histogram sliceLength = newHistogram();
    /** A latency the workload defines and records itself (e.g. spawn -> child start). */
    public final Histogram workloadLatency = newHistogram();

    /** G starts by source. */
    public long startsRunnext;
    public long startsRing;
    /** The schedtick % 61 fairness pick from the global queue. */
    public long startsGlobalFairness;
    /** The global batch after the local queue is empty (and the final check before parking). */
    public long startsGlobalBatch;
    public long startsSteal;

    public long stealAttempts;
    public long stealSuccesses;
    public long gsStolen;
    public long runnextSteals;

    public long preemptions;
    /** Preemption requests honoured at an instruction-level safe point (the async-preemption stand-in). */
    public long asyncPreemptions;
    public long gosched;
    public long goyield;
    public long gparks;
    public long spawns;
    public long exits;

    /** Requeues through the hypothetical defer path of the article's claim C9 (never in Go). */
    public long hypotheticalRequeues;

    /** GC (the model's mgc.go): mark-worker CPU (dedicated, fractional, idle), assist CPU, assist parks. */
    public long gcMarkWorkerNanos;
    public long gcAssistNanos;
    public long gcAssistParks;
    /**
     * CPU charged for Go's allocator and write barrier (ns, as charged: units x the unit's cost): mallocgc
     * per object and fresh span, and the barriers while marking, with their count; and the stack bytes the
     * cycles scanned (scanstack's defer records).
     */
    public long mallocNanos;
    public long writeBarrierNanos;
    public long writeBarriers;
    public long gcStackScanBytes;
    /** GC, per run (set by the scheduler, not per P): cycles, stop-the-world sum and max, assists woken onto
     * the global queue at mark termination, peak heapLive. */
    public long gcCycles;
    public long gcStwNanos;
    public long gcStwMaxNanos;
    public long gcAssistGlobalWakes;
    public long heapLivePeakBytes;

    public long mParks;
    public long mUnparks;

    /**
     * Every wait's length split by what the Ps did meanwhile ({@link WaitCauses}; ns, indexed by
     * {@link WaitCause#ordinal()}), for all waits and for those above the run's 95th percentile; set per
     * run by the scheduler, summed over runs.
     */
    public final double[] waitCauseNs = new double[WaitCause.ALL.length];
    public final double[] waitTailCauseNs = new double[WaitCause.ALL.length];
    public long waitsDecomposed;
    public long tailWaitsDecomposed;

    /**
     * CPU time of the M thread(s) over the run (ThreadMXBean thread CPU time, ns), G bodies, scheduler
     * and spinning included; -1 when the JVM cannot measure thread CPU time.
     */
    public long mCpuNanos;

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_NS, DIGITS);
    }

    /** Adds every histogram and counter of {@code o} into this one. */
    protected final void addAll(SchedCounters o) {
        schedLatency.add(o.schedLatency);
        stealDuration.add(o.stealDuration);
        preemptLatency.add(o.preemptLatency);
        sliceLength.add(o.sliceLength);
        workloadLatency.add(o.workloadLatency);
        startsRunnext += o.startsRunnext;
        startsRing += o.startsRing;
        startsGlobalFairness += o.startsGlobalFairness;
        startsGlobalBatch += o.startsGlobalBatch;
        startsSteal += o.startsSteal;
        stealAttempts += o.stealAttempts;
        stealSuccesses += o.stealSuccesses;
        gsStolen += o.gsStolen;
        runnextSteals += o.runnextSteals;
        preemptions += o.preemptions;
        asyncPreemptions += o.asyncPreemptions;
        gosched += o.gosched;
        goyield += o.goyield;
        gparks += o.gparks;
        spawns += o.spawns;
        exits += o.exits;
        hypotheticalRequeues += o.hypotheticalRequeues;
        gcMarkWorkerNanos += o.gcMarkWorkerNanos;
        gcAssistNanos += o.gcAssistNanos;
        gcAssistParks += o.gcAssistParks;
        mallocNanos += o.mallocNanos;
        writeBarrierNanos += o.writeBarrierNanos;
        writeBarriers += o.writeBarriers;
        gcStackScanBytes += o.gcStackScanBytes;
        gcCycles += o.gcCycles;
        gcStwNanos += o.gcStwNanos;
        gcStwMaxNanos = Math.max(gcStwMaxNanos, o.gcStwMaxNanos);
        gcAssistGlobalWakes += o.gcAssistGlobalWakes;
        heapLivePeakBytes = Math.max(heapLivePeakBytes, o.heapLivePeakBytes);
        for (int c = 0; c < waitCauseNs.length; c++) {
            waitCauseNs[c] += o.waitCauseNs[c];
            waitTailCauseNs[c] += o.waitTailCauseNs[c];
        }
        waitsDecomposed += o.waitsDecomposed;
        tailWaitsDecomposed += o.tailWaitsDecomposed;
        mParks += o.mParks;
        mUnparks += o.mUnparks;
        mCpuNanos = mCpuNanos < 0 || o.mCpuNanos < 0 ? -1 : mCpuNanos + o.mCpuNanos;
    }

    /** Total G starts. */
    public final long starts() {
        return startsRunnext + startsRing + startsGlobalFairness + startsGlobalBatch + startsSteal;
    }

    /** Fraction of G starts that came from runnext (0 when nothing started). */
    public final double runnextShare() {
        long s = starts();
        return s == 0 ? 0 : (double) startsRunnext / s;
    }
}
