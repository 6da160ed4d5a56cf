package dev.gmpdefer.report;

import java.util.List;
import java.util.Locale;

/**
 * The rules that turn measured figures into verdicts. The report prints {@link #describe()} before any
 * number, so that the rules are fixed before the results are read.
 */
public final class VerdictRules {
    private VerdictRules() {
    }

    /**
     * Absolute figures (a latency in µs, a cost in ns): the model's value reproduces the article's when it
     * lies within this factor of it, i.e. in [article / F, article * F]. Wide on purpose: the model is Java
     * on another machine, the article Go on its own.
     */
    public static final double ABS_FACTOR = 2.0;

    /** Ratio figures (e.g. defer / none): the model's ratio reproduces the article's within this factor. */
    public static final double RATIO_FACTOR = 1.5;

    /** A chain cost is linear when the per-node cost at every length >= {@link #LINEAR_MIN_LENGTH} stays within this factor. */
    public static final double LINEARITY_FACTOR = 2.0;

    /** Shortest chain length used in the linearity check (length 1 is dominated by fixed costs). */
    public static final int LINEAR_MIN_LENGTH = 10;

    /** When JMH gave no error (one iteration), a difference counts only if it exceeds this share of the smaller value. */
    public static final double NO_ERROR_MARGIN = 0.10;

    /**
     * The CPU control is CPU-matched when the CPU time of its runs' Ms ({@code m.cpu.ms}) lies within this
     * factor of the defer treatment's.
     */
    public static final double CPU_MATCH_FACTOR = 1.25;

    /** The article's configuration for the central table: GOMAXPROCS=4, 10 defers per loop iteration. */
    public static final int ARTICLE_PROCS = 4;
    /** The article's "high defer density". */
    public static final int ARTICLE_DENSITY = 10;
    /** The allocator strategy that behaves as Go's compiler does; used when a table must pick one. */
    public static final String DEFAULT_STRATEGY = "GO_COMPILER";

    /** Whether {@code model} lies within {@code factor} of {@code article} (both positive). */
    public static boolean withinFactor(double model, double article, double factor) {
        if (Double.isNaN(model) || Double.isNaN(article) || model <= 0 || article <= 0) {
            return false;
        }
        return model >= article / factor && model <= article * factor;
    }

    /**
     * Whether {@code a} exceeds {@code b} beyond their combined JMH errors: {@code a - b > err(a) + err(b)},
     * i.e. the two 99.9 % confidence intervals do not overlap. Without errors, whether {@code a - b} exceeds
     * {@link #NO_ERROR_MARGIN} of {@code min(a, b)}.
     */
    public static boolean exceeds(Metric a, Metric b) {
        if (a == null || b == null || Double.isNaN(a.score()) || Double.isNaN(b.score())) {
            return false;
        }
        double diff = a.score() - b.score();
        if (a.hasError() && b.hasError()) {
            return diff > a.error() + b.error();
        }
        return diff > NO_ERROR_MARGIN * Math.min(Math.abs(a.score()), Math.abs(b.score()));
    }

    /**
     * Whether a defer-vs-cpu_control comparison can be concluded, given the CPU time per run of each
     * ({@code m.cpu.ms}; null for runs that did not record it) and whether defer exceeded the control.
     * "No effect" needs a control that did not burn more than {@link #CPU_MATCH_FACTOR} times the defers'
     * CPU (else it may hide an effect); "an effect" needs a control that did not burn less than the
     * defers' CPU / {@link #CPU_MATCH_FACTOR} (else the excess may be CPU).
     *
     * @return null when CPU time was not recorded for both, else whether the comparison stands
     */
    public static Boolean cpuComparisonStands(Metric deferCpu, Metric controlCpu, boolean deferExceeds) {
        if (deferCpu == null || controlCpu == null || !(deferCpu.score() > 0) || !(controlCpu.score() > 0)) {
            return null;
        }
        double r = controlCpu.score() / deferCpu.score();
        return deferExceeds ? r >= 1 / CPU_MATCH_FACTOR : r <= CPU_MATCH_FACTOR;
    }

    /** The rules in words, printed at the top of the report. */
    public static List<String> describe() {
        return List.of(
                "Verdicts: `reproduced` (measured, agrees within the tolerance below), `not reproduced` (measured "
                        + "under the stated conditions, disagrees), `mechanism absent` (Go's source shows the "
                        + "mechanism does not exist; file and function cited), `not testable here` (with the reason), "
                        + "`no committed run yet` (the benchmark that decides it has no result under results/).",
                String.format(Locale.ROOT, "Absolute figures (µs, ns): reproduced when the model's value lies within "
                        + "a factor %.1f of the article's, i.e. in [article / %.1f, article x %.1f]. The model is a "
                        + "Java model of Go's scheduler on the machine named in the Runs table, the article's figure "
                        + "is Go on the article's machine.", ABS_FACTOR, ABS_FACTOR, ABS_FACTOR),
                String.format(Locale.ROOT, "Ratios (e.g. p50 with defers / p50 without): reproduced when the "
                        + "model's ratio lies within a factor %.1f of the article's.", RATIO_FACTOR),
                "Thresholds (e.g. \"> 92 %\"): reproduced when the model's value satisfies the inequality.",
                String.format(Locale.ROOT, "A latency effect of defers counts only if the `defer` treatment exceeds "
                        + "`cpu_control` (same extra CPU time, no defers) beyond the combined JMH errors: "
                        + "defer - cpu_control > err(defer) + err(cpu_control), where err is JMH's scoreError "
                        + "(half-width of the 99.9 %% confidence interval). Where JMH gave no error (a single "
                        + "iteration), the difference must exceed %.0f %% of the smaller value. A claim that defers "
                        + "cause a latency rise (C4, C14) is reproduced only if this holds.", NO_ERROR_MARGIN * 100),
                String.format(Locale.ROOT, "The control's CPU match is checked in the measured runs themselves: "
                        + "`m.cpu.ms` is the CPU time of a run's M threads. \"No effect beyond CPU\" stands only if "
                        + "cpu_control's CPU per run is at most %.2f x the defer runs'; \"an effect beyond CPU\" only "
                        + "if it is at least 1/%.2f of it. Otherwise the comparison is marked `inconclusive` and a "
                        + "claim that rests on it is `not testable here`. Runs without `m.cpu.ms` (recorded before it "
                        + "existed) are compared as they are, with a note.", CPU_MATCH_FACTOR, CPU_MATCH_FACTOR),
                String.format(Locale.ROOT, "Linearity (C12): per-node cost within a factor %.1f across all chain "
                        + "lengths >= %d.", LINEARITY_FACTOR, LINEAR_MIN_LENGTH),
                String.format(Locale.ROOT, "Central table configuration: procs = %d and density = %d when measured "
                        + "(else the nearest measured value), strategy %s when measured.", ARTICLE_PROCS,
                        ARTICLE_DENSITY, DEFAULT_STRATEGY),
                "When a benchmark ran in several run folders, the latest folder (by name, which starts with the "
                        + "date) supplies the figure. Every figure names its run folder; the Runs table gives each "
                        + "folder's machine, JDK, JMH options and git commit.");
    }
}
