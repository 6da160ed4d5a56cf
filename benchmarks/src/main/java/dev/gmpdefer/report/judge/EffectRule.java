package dev.gmpdefer.report.judge;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;

import java.util.function.ToDoubleFunction;

/**
 * The one rule that decides whether a treatment moves a figure against its comparison cell (issue 21): the
 * ratio of the two cells' run medians with its bootstrap 95 % interval ({@link Stats#ratio}), judged against
 * the equivalence margin ({@link Stats#judge} with {@link VerdictRules#EQUIVALENCE_MARGIN}), and, when the
 * comparison cell is the CPU control, the CPU match: cpu_control's median CPU per run within
 * [{@link VerdictRules#CONTROL_MATCH_LOW}, {@link VerdictRules#CONTROL_MATCH_HIGH}] of the treatment's (the
 * model's {@code m.cpu.ms}, realgo's {@code cpuMs}), else the comparison is {@link Effect#UNMATCHED} and
 * decides nothing. Every table that decides (the claims, the agreement table, README's summary, the real-Go
 * section, the GC section, the benchstat columns) takes its decision from here, so that one cell can never
 * read two ways; each renders the {@link Effect} in its own words.
 */
public final class EffectRule {
    private EffectRule() {
    }

    /** What a comparison decides. */
    public enum Effect {
        /** The whole interval lies above 1 + margin. */
        UP,
        /** The whole interval lies below 1 / (1 + margin). */
        DOWN,
        /** The whole interval lies inside the margin: no effect. */
        NONE,
        /** Not decided: the interval straddles a band edge, too few runs, or a cell is missing. */
        UNDECIDED,
        /** The CPU control did not burn the treatment's CPU: decides nothing. */
        UNMATCHED;

        /** Whether the comparison decides (up, down or none). */
        public boolean decided() {
            return this == UP || this == DOWN || this == NONE;
        }
    }

    /**
     * A judged comparison.
     *
     * @param ratio   the two cells' ratio of medians with its interval; null when a cell (or its runs) is missing
     * @param effect  the decision
     * @param verdict the statistics' verdict (outcome and the runs a decision would need); null when missing
     */
    public record Judged(Stats.Ratio ratio, Effect effect, Stats.Verdict verdict) {
        public boolean missing() {
            return ratio == null;
        }
    }

    /** The comparison cell whose CPU must match the treatment's. */
    static final String CPU_CONTROL = "cpu_control";

    /**
     * The rule: {@code matched} is whether the control's CPU matched (null when not recorded or when the
     * comparison cell is not the CPU control).
     */
    public static Judged judge(Stats.Ratio r, Boolean matched) {
        if (r == null) {
            return new Judged(null, Effect.UNDECIDED, null);
        }
        Stats.Verdict v = Stats.judge(r, VerdictRules.EQUIVALENCE_MARGIN);
        if (Boolean.FALSE.equals(matched)) {
            return new Judged(r, Effect.UNMATCHED, v);
        }
        switch (v.outcome()) {
            case EFFECT_UP: return new Judged(r, Effect.UP, v);
            case EFFECT_DOWN: return new Judged(r, Effect.DOWN, v);
            case NO_EFFECT: return new Judged(r, Effect.NONE, v);
            default: return new Judged(r, Effect.UNDECIDED, v);
        }
    }

    /** Two model cells' runs of {@code metric} ("primary" for the score), with the CPU match where it applies. */
    public static Judged model(JmhEntry num, JmhEntry den, String metric) {
        Stats.Ratio r = ratio(modelRuns(num, metric), modelRuns(den, metric));
        return judge(r, den != null && CPU_CONTROL.equals(den.param(Parameter.TREATMENT.id))
                ? Fairness.matched(num, den) : null);
    }

    /** Two real-Go cells (one workload and GOMAXPROCS) of figure {@code f}, with the CPU match where it applies. */
    public static Judged go(RealGo g, String workload, int procs, String num, String den, ToDoubleFunction<RealGo.Run> f) {
        if (g == null || f == null) {
            return judge(null, null);
        }
        Stats.Ratio r = ratio(goRuns(g, workload, procs, num, f), goRuns(g, workload, procs, den, f));
        return judge(r, CPU_CONTROL.equals(den) ? goMatched(g, workload, procs, num, den) : null);
    }

    /** Whether real Go's control burned the treatment's CPU (median cpuMs); null when not recorded. */
    static Boolean goMatched(RealGo g, String workload, int procs, String num, String den) {
        return cpuMatched(goRuns(g, workload, procs, num, RealGo.Run::cpuMs),
                goRuns(g, workload, procs, den, RealGo.Run::cpuMs));
    }

    /**
     * Whether the control's CPU per run (median of {@code control}) matched the treatment's (median of
     * {@code treatment}), by {@link VerdictRules#controlMatched}; null when either has no runs.
     */
    static Boolean cpuMatched(double[] treatment, double[] control) {
        if (treatment.length == 0 || control.length == 0) {
            return null;
        }
        return VerdictRules.controlMatched(new Metric(Stats.median(treatment), Double.NaN, "ms", treatment, new double[0]),
                new Metric(Stats.median(control), Double.NaN, "ms", control, new double[0]));
    }

    /** The runs of one model cell's metric (JMH's rawData); empty when the cell or its runs are missing. */
    static double[] modelRuns(JmhEntry e, String metric) {
        Metric m = e == null ? null : "primary".equals(metric) ? e.primary() : e.metric(metric);
        return m == null ? new double[0] : m.runs();
    }

    /** One real-Go figure of each run of a cell; empty when realgo has no such cell or figure. */
    public static double[] goRuns(RealGo g, String workload, int procs, String treatment, ToDoubleFunction<RealGo.Run> f) {
        return f == null ? new double[0]
                : g.of(workload, procs, treatment).stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray();
    }

    /** {@link Stats#ratio} of two cells' runs; null when either has none. */
    public static Stats.Ratio ratio(double[] a, double[] b) {
        return a == null || b == null || a.length == 0 || b.length == 0 ? null : Stats.ratio(a, b);
    }

    /** Whether the model and real Go agree about one comparison. */
    public enum Agreement { AGREE, DISAGREE, UNDECIDED }

    /** Agree / disagree when both are decided (same effect or not); undecided when either is not. */
    public static Agreement agreement(Effect model, Effect go) {
        return model.decided() && go.decided() ? model == go ? Agreement.AGREE : Agreement.DISAGREE
                : Agreement.UNDECIDED;
    }

    /** The tables' short word: up, down, none, ? or unmatched. */
    public static String word(Effect e) {
        switch (e) {
            case UP: return "up";
            case DOWN: return "down";
            case NONE: return "none";
            case UNMATCHED: return "unmatched";
            default: return "?";
        }
    }
}
