package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What a check of a claim decides ({@link Checks} computes it): each side's outcome with its value, p-value,
 * reason and place, the comparison of both sides and who decided, and their words.
 */
public final class Judgement {
    private Judgement() {
    }

    /** One side's result. */
    public enum Outcome {
        /** The figure holds (within the tolerance, beyond the control, on the stated side of the threshold). */
        PASS,
        /** The figure does not hold: the whole interval is on the other side. */
        FAIL,
        /** Measured, but the interval straddles the tolerance, or there are too few runs. */
        OPEN,
        /** Not measured. */
        MISSING
    }

    /**
     * One side (model or real Go) of a comparison.
     *
     * @param value   the figure with its interval, in words ("2.87 [2.61, 3.10] us (n=10)")
     * @param outcome its outcome under the check's rule
     * @param p       the Mann-Whitney p-value of a two-cell comparison (NaN for one cell)
     * @param why     why an OPEN is open, or "" ("too few runs: 2 of 10", "would need about 30 runs")
     * @param where   the runs it comes from ("[2026-12-02-final: ArticleGoschedBench procs=4 ...]")
     */
    public record Side(String value, Outcome outcome, double p, String why, String where) {
        static Side missing(String where) {
            return new Side("not measured", Outcome.MISSING, Double.NaN, "", where);
        }
    }

    /**
     * A check's result.
     *
     * @param check     the check
     * @param model     the model's side
     * @param go        real Go's side (MISSING when realgo did not measure it)
     * @param decidedBy "real Go" or "model": the side whose outcome is the check's
     * @param runs      the model's run folders used
     */
    record Comparison(ClaimBook.Check check, Side model, Side go, String decidedBy, List<String> runs) {
        /** The deciding side's outcome. */
        Outcome outcome() {
            return decider().outcome();
        }

        Side decider() {
            return "real Go".equals(decidedBy) ? go : model;
        }

        /**
         * One line of evidence: the check, the article's figure, both sides, who decided and the outcome the
         * claim counts ({@code shown}: the deciding side's, or undecided where the claim's Holm correction
         * says so, with {@code note}).
         */
        String line(double holmP, Outcome shown, String note) {
            StringBuilder sb = new StringBuilder();
            sb.append(check.label()).append(": article ").append(articleText(check)).append("; real Go ")
                    .append(go.value()).append(sideTail(go)).append("; model ").append(model.value())
                    .append(sideTail(model)).append(". Decided by ").append(decidedBy).append(": **")
                    .append(word(shown)).append("**");
            if (!Double.isNaN(decider().p())) {
                sb.append(String.format(Locale.ROOT, " (Mann-Whitney p = %s, Holm-adjusted over the claim's "
                        + "comparisons %s)", Fmt.num(decider().p()), Fmt.num(holmP)));
            }
            if (!decider().why().isEmpty()) {
                sb.append(" (").append(decider().why()).append(')');
            }
            if (!note.isEmpty()) {
                sb.append(" (").append(note).append(')');
            }
            return sb.append('.').toString();
        }

        private static String sideTail(Side s) {
            if (s.outcome() == Outcome.MISSING) {
                return "";
            }
            return " -> " + word(s.outcome()) + " " + s.where();
        }
    }

    static String word(Outcome o) {
        switch (o) {
            case PASS: return "holds";
            case FAIL: return "does not hold";
            case OPEN: return "undecided";
            default: return "not measured";
        }
    }

    static String articleText(ClaimBook.Check c) {
        switch (c.evaluator()) {
            case RATIO:
                return "x" + Fmt.num(c.article()) + " (" + c.treatment() + " / " + c.control() + ")";
            case BEYOND_CONTROL:
                return c.treatment() + " above " + c.control() + " (an effect beyond the control"
                        + (Double.isNaN(c.article()) ? "" : "; the article's size x" + Fmt.num(c.article())) + ")";
            case THRESHOLD:
                return c.op() + " " + Fmt.num(c.article());
            default:
                return Fmt.num(c.article());
        }
    }


    // ---- the words of a side's figure ----

    static String summaryText(Stats.Summary s, String unit) {
        return Fmt.num(s.median()) + (Double.isNaN(s.lo()) ? "" : " [" + Fmt.num(s.lo()) + ", " + Fmt.num(s.hi())
                + "]") + (unit.isEmpty() ? "" : " " + unit) + " (n=" + s.n() + ")";
    }

    static String ratioText(Stats.Ratio r) {
        return "x" + Fmt.num(r.ratio()) + (Double.isNaN(r.lo()) ? "" : " [" + Fmt.num(r.lo()) + ", "
                + Fmt.num(r.hi()) + "]") + " (n=" + r.na() + "/" + r.nb() + ")";
    }

    static String cpuNote(double control, double treatment) {
        return String.format(Locale.ROOT, "unmatched: the control's CPU per run (%s ms) lies outside [%s, %s] of the "
                + "treatment's (%s ms)", Fmt.num(control), Fmt.num(VerdictRules.CONTROL_MATCH_LOW),
                Fmt.num(VerdictRules.CONTROL_MATCH_HIGH), Fmt.num(treatment));
    }

    /**
     * The one-sided question against the article's effect size (issue 22, item 1), beside the ±10 % rule:
     * "refuted at the claimed size" when the interval's upper bound lies below the article's ratio,
     * "reproduced at the claimed size" when its lower bound reaches it, undecided otherwise; stated in the
     * side's reason (the outcome stays the ±10 % rule's). Only where the check names the article's size and
     * the control matched.
     */
    public static Side atSize(Side s, EffectRule.Judged j, ClaimBook.Check c) {
        if (Double.isNaN(c.article()) || j == null || j.missing() || j.effect() == EffectRule.Effect.UNMATCHED
                || Double.isNaN(j.ratio().lo())) {
            return s;
        }
        Stats.Ratio r = j.ratio();
        String size = "x" + Fmt.num(c.article());
        String at = r.hi() < c.article() ? "refuted at the article's size " + size + " (upper bound " + Fmt.num(r.hi())
                + ")" : r.lo() >= c.article() ? "reproduced at the article's size " + size + " (lower bound "
                + Fmt.num(r.lo()) + ")" : "undecided at the article's size " + size;
        return new Side(s.value(), s.outcome(), s.p(), s.why().isEmpty() ? at : s.why() + "; " + at, s.where());
    }

    /**
     * The paired reference's decision against the article's size (issue 22, items 1 and 3): with a
     * session-aware interval and the check's size, PASS ("reproduced at the article's size") when its lower
     * bound reaches the size, FAIL ("refuted at the article's size") when its upper bound lies below it, OPEN
     * between; the ±10 % rule's word stays in the reason. Without a size, an interval or a matched control:
     * the ±10 % rule's side with {@link #atSize}'s words.
     */
    public static Side decideAtSize(Side s, EffectRule.Judged j, ClaimBook.Check c) {
        Side words = atSize(s, j, c);
        if (words == s) {
            return s;
        }
        Stats.Ratio r = j.ratio();
        Outcome o = r.lo() >= c.article() ? Outcome.PASS : r.hi() < c.article() ? Outcome.FAIL : Outcome.OPEN;
        String rule = "the ±" + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " % rule: " + EffectRule.word(j.effect())
                + (j.effect() == EffectRule.Effect.UNDECIDED ? " (" + Stats.power(r) + ")" : "");
        String at = words.why().substring(s.why().isEmpty() ? 0 : s.why().length() + 2);
        return new Side(s.value(), o, s.p(), "decided at the article's size: " + at + "; " + rule, s.where());
    }

    /** Adds the within-session interval (the sessions held fixed) to a session-aware side's value. */
    static Side withinSessions(Side s, EffectRule.Judged within) {
        if (within == null || within.missing() || Double.isNaN(within.ratio().lo())) {
            return s;
        }
        return new Side(s.value() + " across sessions (within sessions [" + Fmt.num(within.ratio().lo()) + ", "
                + Fmt.num(within.ratio().hi()) + "])", s.outcome(), s.p(), s.why(), s.where());
    }

    static Side effect(EffectRule.Judged j, String where, String unmatchedNote) {
        if (j.missing()) {
            return Side.missing(where);
        }
        Stats.Ratio r = j.ratio();
        String v = Judgement.ratioText(r);
        switch (j.effect()) {
            case UP:
                return new Side(v, Outcome.PASS, r.p(), "", where);
            case NONE:
                return new Side(v, Outcome.FAIL, r.p(), "no effect: the interval lies within ±"
                        + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " %", where);
            case DOWN:
                return new Side(v, Outcome.FAIL, r.p(), "lower, not higher", where);
            case UNMATCHED:
                return new Side(v, Outcome.OPEN, r.p(), unmatchedNote, where);
            default:
                if (j.verdict().outcome() == Stats.Outcome.TOO_FEW_RUNS) {
                    return new Side(v, Outcome.OPEN, r.p(), "too few runs: " + Math.min(r.na(), r.nb()) + " of "
                            + Stats.MIN_RUNS, where);
                }
                return new Side(v, Outcome.OPEN, r.p(), (j.verdict().runsNeeded() > 0 ? "inconclusive; about "
                        + j.verdict().runsNeeded() + " runs per cell would decide it" : "inconclusive") + "; "
                        + Stats.power(r), where);
        }
    }
}
