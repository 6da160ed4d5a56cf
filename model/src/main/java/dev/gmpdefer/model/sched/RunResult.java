package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.RunMetrics;

/**
 * The outcome of one scheduler run: merged metrics and how the run ended.
 */
public final class RunResult {
    /** How the run ended. */
    public enum Outcome {
        /** Every G exited. */
        COMPLETED,
        /** Some Gs were blocked forever with every P idle ("all goroutines are asleep - deadlock!"). */
        DEADLOCK,
        /** The run passed {@link SchedConfig#timeoutNs} and was stopped. */
        TIMED_OUT
    }

    public final String workload;
    public final SchedConfig config;
    public final Outcome outcome;
    public final long wallNanos;
    /** Gs created (initial + spawned) and Gs that exited. Equal when the run completed. */
    public final long created;
    public final long exited;
    /** Distinct G objects allocated (the rest were recycled through gfput/gfget). */
    public final int gObjects;
    /** Preemption requests sysmon made (proc.go: preemptone calls). */
    public final long preemptRequests;
    public final RunMetrics metrics;

    RunResult(String workload, SchedConfig config, Outcome outcome, long wallNanos, long created, long exited,
              int gObjects, long preemptRequests, RunMetrics metrics) {
        this.workload = workload;
        this.config = config;
        this.outcome = outcome;
        this.wallNanos = wallNanos;
        this.created = created;
        this.exited = exited;
        this.gObjects = gObjects;
        this.preemptRequests = preemptRequests;
        this.metrics = metrics;
    }

    /** The runnext steal pause this run used, e.g. "SPIN(3000ns)": recorded with every result. */
    public String stealPause() {
        return config.stealPauseMode + "(" + config.runnextStealPauseNs + "ns)";
    }

    @Override
    public String toString() {
        return "RunResult{" + workload + ", " + outcome + ", wall=" + wallNanos / 1_000_000.0 + "ms, created=" + created
                + ", exited=" + exited + ", starts=" + metrics.starts() + ", runnextShare="
                + String.format("%.3f", metrics.runnextShare()) + ", steals=" + metrics.stealSuccesses
                + ", preemptions=" + metrics.preemptions + ", stealPause=" + stealPause() + "}";
    }
}
