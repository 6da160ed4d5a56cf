package dev.gmpdefer.model.sched;

/**
 * The GC pacer's arithmetic, as pure functions: heap goal, trigger, runway, cons/mark, mark workers and
 * the assist ratio. Models mgcpacer.go (Go 1.21): gcControllerState.commit (the GOGC goal and the
 * minimum heap), trigger (its bounds), endCycle (cons/mark: Go 1.21 keeps the largest of the last four
 * cycles; Go 1.19 smoothed it with a PI controller instead), startCycle (dedicated and fractional mark
 * workers) and revise (assistWorkPerByte). Byte counts are Go's; scan work is in bytes, as Go counts it.
 * Stacks and globals: the model's G stacks and globals are not scanned, so their terms are 0 (say so
 * where it matters: Go's goal is slightly above 2x live with GOGC=100 for that reason).
 */
public final class GcPacer {
    private GcPacer() {
    }

    /** mgcpacer.go: gcBackgroundUtilization (= gcGoalUtilization in Go 1.21). */
    public static final double BACKGROUND_UTILIZATION = 0.25;
    /** mgcpacer.go: defaultHeapMinimum, 4 MiB (at GOGC=100). */
    public static final long DEFAULT_HEAP_MINIMUM = 4L << 20;
    /** mgcpacer.go: triggerRatioDen, minTriggerRatioNum (~0.7), maxTriggerRatioNum (~0.95). */
    static final long TRIGGER_RATIO_DEN = 64;
    static final long MIN_TRIGGER_RATIO_NUM = 45;
    static final long MAX_TRIGGER_RATIO_NUM = 61;
    /** mgcpacer.go: startCycle's maxUtilError. */
    static final double MAX_UTIL_ERROR = 0.3;

    /** heapMinimum for a GOGC value (mgcpacer.go: setGCPercent: defaultHeapMinimum * GOGC / 100). */
    public static long heapMinimum(int gogc) {
        return DEFAULT_HEAP_MINIMUM * gogc / 100;
    }

    /**
     * The GOGC heap goal: {@code heapMarked + (heapMarked + stackScan + globalsScan) * GOGC / 100}, at
     * least the minimum heap. Models mgcpacer.go: commit (Go 1.21). {@code gogc < 0} (off): no goal.
     */
    public static long heapGoal(long heapMarked, long stackScan, long globalsScan, int gogc) {
        if (gogc < 0) {
            return Long.MAX_VALUE;
        }
        long goal = heapMarked + (heapMarked + stackScan + globalsScan) * gogc / 100;
        return Math.max(goal, heapMinimum(gogc));
    }

    /**
     * The trigger point: {@code goal - runway}, clamped to [heapMarked + 0.7 (goal - heapMarked),
     * max(heapMarked + 0.95 (goal - heapMarked), goal - 4 MiB)]. Models mgcpacer.go: trigger (Go 1.21),
     * with the sweeper's minimum trigger left out (sweeping is not modelled).
     */
    public static long trigger(long heapMarked, long goal, long runway) {
        if (heapMarked >= goal) {
            return goal;
        }
        long minTrigger = heapMarked;
        long lower = (goal - heapMarked) / TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + heapMarked;
        if (minTrigger < lower) {
            minTrigger = lower;
        }
        long maxTrigger = (goal - heapMarked) / TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + heapMarked;
        if (goal > DEFAULT_HEAP_MINIMUM && goal - DEFAULT_HEAP_MINIMUM > maxTrigger) {
            maxTrigger = goal - DEFAULT_HEAP_MINIMUM;
        }
        if (maxTrigger < minTrigger) {
            maxTrigger = minTrigger;
        }
        long trigger = runway > goal ? minTrigger : goal - runway;
        return Math.min(Math.max(trigger, minTrigger), maxTrigger);
    }

    /**
     * The runway: the bytes the mutator allocates while the GC does {@code lastScanWork} at 25 % of the
     * CPU, {@code consMark * (1 - 0.25) / 0.25 * lastScanWork}. Models mgcpacer.go: commit (Go 1.21).
     */
    public static long runway(double consMark, long lastScanWork) {
        double r = consMark * (1 - BACKGROUND_UTILIZATION) / BACKGROUND_UTILIZATION * lastScanWork;
        return r >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) r;
    }

    /**
     * This cycle's cons/mark: bytes allocated after the trigger per unit of scan work, weighted by the
     * CPU split, {@code (heapLive - triggered) * (u + idle) / (scanWork * (1 - u))} with
     * u = 0.25 + assist time / (mark wall time x procs). Models mgcpacer.go: endCycle (Go 1.21).
     */
    public static double currentConsMark(long heapLive, long triggered, long scanWork, long assistNs,
                                         long idleNs, long markWallNs, int procs) {
        if (heapLive <= triggered || scanWork <= 0 || markWallNs <= 0) {
            return 0;
        }
        double u = BACKGROUND_UTILIZATION + (double) assistNs / ((double) markWallNs * procs);
        double idle = (double) idleNs / ((double) markWallNs * procs);
        return (heapLive - triggered) * (u + idle) / (scanWork * (1 - u));
    }

    /** Mark workers for one cycle: dedicated workers and each P's fractional utilization goal. */
    public record Workers(int dedicated, double fractionalGoal) {
    }

    /**
     * {@code int(GOMAXPROCS x 0.25 + 0.5)} dedicated workers; when that is more than 30 % off 0.25 x
     * GOMAXPROCS (GOMAXPROCS <= 3 and 6), one fewer if there were too many, and a fractional goal per P
     * for the rest. Models mgcpacer.go: startCycle (Go 1.21).
     */
    public static Workers workers(int procs) {
        if (procs < 1) {
            throw new IllegalArgumentException("workers: procs must be >= 1: " + procs);
        }
        double total = procs * BACKGROUND_UTILIZATION;
        int dedicated = (int) (total + 0.5);
        double utilError = dedicated / total - 1;
        if (utilError < -MAX_UTIL_ERROR || utilError > MAX_UTIL_ERROR) {
            if (dedicated > total) {
                dedicated--;
            }
            return new Workers(dedicated, (total - dedicated) / procs);
        }
        return new Workers(dedicated, 0);
    }

    /**
     * Scan work owed per byte allocated: the scan work left over the heap left before the goal (at least
     * one byte). Models mgcpacer.go: revise (Go 1.21), without its extended goal for underestimated
     * scan work: the model knows its scan work exactly at the start of the cycle.
     */
    public static double assistWorkPerByte(long scanWorkExpected, long scanWorkDone, long heapGoal, long heapLive) {
        long remaining = Math.max(0, scanWorkExpected - scanWorkDone);
        long distance = Math.max(1, heapGoal - heapLive);
        return (double) remaining / distance;
    }
}
