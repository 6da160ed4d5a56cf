package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

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

    /**
     * The equivalence margin of every effect ({@link EffectRule}): an effect when a ratio's whole interval
     * lies beyond 1 + margin (or below its inverse), no effect only when it lies inside (issue 12: stated
     * before the numbers).
     */
    public static final double EQUIVALENCE_MARGIN = 0.10;

    /** Ratio figures (e.g. defer / none): the model's ratio reproduces the article's within this factor. */
    public static final double RATIO_FACTOR = 1.5;

    /** A chain cost is linear when the per-node cost at every length >= {@link #LINEAR_MIN_LENGTH} stays within this factor. */
    public static final double LINEARITY_FACTOR = 2.0;

    /** Shortest chain length used in the linearity check (length 1 is dominated by fixed costs). */
    public static final int LINEAR_MIN_LENGTH = 10;

    /** When JMH gave no error (one iteration), a difference counts only if it exceeds this share of the smaller value. */
    public static final double NO_ERROR_MARGIN = 0.10;

    /**
     * A model cell's CPU control matches when its runs' M CPU ({@code m.cpu.ms}, median over forks) lies
     * within [{@value #CONTROL_MATCH_LOW}, {@value #CONTROL_MATCH_HIGH}] of the defer runs'. An unmatched
     * cell decides nothing: not in the claims, the agreement table or README's table (issue 19).
     */
    public static final double CONTROL_MATCH_LOW = 0.8;
    public static final double CONTROL_MATCH_HIGH = 1.25;
    /**
     * The warm-up trend (M CPU of a fork's first measured run over its last), as the median over a cell's
     * forks, must lie within this factor of 1.
     */
    public static final double WARMUP_TREND_MAX = 1.15;
    /** Stack and open-coded records are frame memory: defer's Java allocation per run within this factor of none's. */
    public static final double ALLOC_MATCH_FACTOR = 1.2;

    /**
     * Whether a model cell's control matched the defers' CPU (see {@link #CONTROL_MATCH_LOW}); null when
     * either CPU was not recorded.
     */
    public static Boolean controlMatched(Metric deferCpu, Metric controlCpu) {
        if (deferCpu == null || controlCpu == null || !(deferCpu.score() > 0) || !(controlCpu.score() > 0)) {
            return null;
        }
        double r = median(controlCpu) / median(deferCpu);
        return r >= CONTROL_MATCH_LOW && r <= CONTROL_MATCH_HIGH;
    }

    /** The median of a metric's runs, or its score when it has none. */
    public static double median(Metric m) {
        return m.runs().length > 0 ? Stats.median(m.runs()) : m.score();
    }

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

    /** The rules in words, printed at the top of the report. */
    public static List<String> describe() {
        double m = EQUIVALENCE_MARGIN * 100;
        return List.of(
                "Verdicts: `reproduced` (every check of the claim holds), `not reproduced` (a check does not hold: "
                        + "its whole interval lies on the other side), `inconclusive` (no check fails but one is "
                        + "undecided: its interval straddles the tolerance, or it has too few runs), `mechanism "
                        + "absent` (Go's source shows the mechanism does not exist; file and function cited), `not "
                        + "testable here` (with the reason), `no committed run yet`.",
                "Evidence order: a check about Go is decided by real Go where realgo measured the same workload, "
                        + "treatment and figure (GOMAXPROCS nearest the article's); the model decides the rest, "
                        + "and both are always shown. Configuration rule, fixed before the numbers: GOGC=100 (Go's "
                        + "default) where the model measured it, the strategy Go uses at the article's version "
                        + "(Go 1.13+: the compiler's choice per defer site, `GO_COMPILER`; a chain of defers in a "
                        + "loop: pooled heap records, `POOLED`; Go 1.12 and earlier: `HEAP`), procs = "
                        + ARTICLE_PROCS + " and density = " + ARTICLE_DENSITY + " when measured (else the nearest).",
                String.format(Locale.ROOT, "Runs: one value per independent run (a JMH fork: the median of its "
                        + "measured iterations; a realgo run). A cell is its runs' median with a bootstrap 95 %% "
                        + "interval; a comparison of two cells is the ratio of their medians with a bootstrap 95 %% "
                        + "interval and a two-sided Mann-Whitney U p-value (commons-math3), Holm-corrected across "
                        + "the comparisons of one claim. Fewer than %d runs in a cell decide nothing.", Stats.MIN_RUNS),
                String.format(Locale.ROOT, "Absolute figures (µs, ns): the check holds when the cell's interval lies "
                        + "within a factor %.1f of the article's figure ([article / %.1f, article x %.1f]); wide on "
                        + "purpose, the article's machine is not this one. Ratios (defer / none): within a factor "
                        + "%.1f of the article's ratio. Thresholds (\"> 92 %%\"): the whole interval on the stated "
                        + "side. Costs from testing.Benchmark or JMH averages: the point (Go) or score ± JMH error "
                        + "(model) against the same factor.", ABS_FACTOR, ABS_FACTOR, ABS_FACTOR, RATIO_FACTOR),
                String.format(Locale.ROOT, "An effect beyond CPU (C4, C14; the benchstat columns; the agreement "
                        + "table; README's summary; the real-Go and GC sections: one rule, `EffectRule`): the ratio "
                        + "defer / cpu_control (same extra CPU, no defers) shows an effect when its 95 %% interval "
                        + "lies above 1 + %.0f %% (and, in a claim, the Holm-adjusted p < %.2f); **no effect** only "
                        + "when the interval lies inside ±%.0f %% (the equivalence margin); otherwise it is "
                        + "undecided, with an estimate of the runs per cell that would decide it, its minimum "
                        + "detectable effect at its runs (5 %% two-sided, power 80 %%) and the runs that would detect "
                        + "x1.25. Beside it, where the article gives the size of the effect, the one-sided question: "
                        + "**refuted at the article's size** when the interval's upper bound lies below it, "
                        + "reproduced at it when the lower bound reaches it. Where the paired reference (at least "
                        + "3 paired sessions, the model and real Go side by side in each) measured the check's "
                        + "cells, this question decides the check on the session-aware interval (sessions "
                        + "resampled, then runs within them; the within-session interval shown beside): refuted "
                        + "at the size: does not hold; reproduced: holds; else undecided, the ±%.0f %% rule's "
                        + "word kept in the reason; elsewhere it is stated beside that rule's outcome. A ratio "
                        + "check (defer / none against the article's factor) is likewise decided on the "
                        + "session-aware interval where the sessions measured it. The control's CPU "
                        + "must match, in the model and in real Go alike: cpu_control's median CPU per run "
                        + "(`m.cpu.ms`, realgo's cpuMs) within [%.2f, %.2f] of the defer runs', else the comparison "
                        + "is **unmatched** and decides nothing.", m, ClaimEvaluator.ALPHA, m, m, CONTROL_MATCH_LOW,
                        CONTROL_MATCH_HIGH),
                String.format(Locale.ROOT, "Fair comparisons in the model (issue 19): a model cell whose "
                        + "cpu_control runs' CPU (median `m.cpu.ms`) lies outside [%.2f, %.2f] of the defer runs' "
                        + "is **unmatched** and decides nothing (claims, agreement table, README). Every fork runs "
                        + "the same unmeasured calibration runs whatever its treatment; the warm-up trend (a fork's "
                        + "first measured run's M CPU over its last, median over forks) should lie within a factor "
                        + "%.2f of 1, the "
                        + "measured runs should have no JVM collection, and defer's Java allocation per run where "
                        + "its records are frame memory should be within %.1f x of none's (section \"Fair "
                        + "comparisons in the model\").", CONTROL_MATCH_LOW, CONTROL_MATCH_HIGH, WARMUP_TREND_MAX,
                        ALLOC_MATCH_FACTOR),
                String.format(Locale.ROOT, "Linearity (C12): per-node cost within a factor %.1f across all chain "
                        + "lengths >= %d. Flame graphs (C6): single profiles, shares of CPU samples without an "
                        + "interval; real Go can refute the growth (cpu_control's share reaches the defer share) "
                        + "but not confirm it (it has no profile without defers).", LINEARITY_FACTOR,
                        LINEAR_MIN_LENGTH),
                "When a benchmark ran with the same parameters in several run folders, the folder listed later in "
                        + "`results/reference.txt` supplies the figure (the manifest's order, not the folders' names). "
                        + "Latency results from runs made before the fair-comparison checks (no `jvm.gc.pause.ms` "
                        + "recorded) are not part of the reference. Every figure names its run folder; the Runs "
                        + "table gives each folder's machine, JDK, JMH options and git commit.");
    }
}
