package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The model-vs-Go agreement table (issue 12, item 2): for each latency workload and metric, the direction
 * and ratio of each treatment's effect (defer over none, defer over cpu_control) in the model (the
 * configuration rule's cells: GOGC=100 where measured) and in real Go, each decided from its runs by {@link Stats#judge} with the
 * report's equivalence margin, and whether the two agree. Real Go is decided at its own GOMAXPROCS, the
 * model at the same procs when it measured them, else the nearest.
 */
public final class AgreementView {
    /** The metrics compared: the runtime's percentiles, which both record. */
    static final List<String> METRICS = List.of("sched.latency.p50", "sched.latency.p95");
    /** The comparisons: numerator and denominator treatments. */
    static final List<String[]> PAIRS = List.of(new String[] {"defer", "none"}, new String[] {"defer", "cpu_control"});

    private AgreementView() {
    }

    static void render(StringBuilder sb, ResultStore store, RealGo realGo, Sessions sessions, String plotsLink) {
        if (sessions != null && !Magnitude.rows(sessions).isEmpty()) {
            magnitude(sb, sessions, plotsLink);
            return;
        }
        render(sb, store, realGo);
    }

    /** The agreement in magnitude from the paired sessions (issue 22, item 4), with its plot. */
    static void magnitude(StringBuilder sb, Sessions s, String plotsLink) {
        sb.append("### Does the model agree with real Go? (in magnitude, ").append(s.size()).append(" paired sessions)\n\n");
        sb.append("From the paired sessions ").append(s.where()).append(" only: the model and real Go measured side by "
                + "side in each session. Each side's effect is the ratio of its pooled run medians (defer over the "
                + "comparison cell) with a 95 % interval that resamples the sessions, then the runs within them; "
                + "**model / real Go** is the ratio of the two effects, resampled by the same sessions. The model "
                + "**agrees** in magnitude when that interval lies inside [1/" + Fmt.num(Magnitude.BAND) + ", "
                + Fmt.num(Magnitude.BAND) + "], **disagrees** when it lies wholly outside, and is undecided otherwise; "
                + "a comparison with a cpu_control whose CPU did not match (over the pooled runs, on either side) decides "
                + "nothing. Direction words (up / down / none / ?) are each side's ±"
                + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " % rule on its across-session interval. "
                + "StealLatency is compared by its fast-start share (`" + Distributions.FAST_SHARE + "`: the share of "
                + "starts at or below " + Fmt.num(Distributions.FAST_START_US) + " µs, from the runtime's histogram "
                + "in Go and the exported histograms in the model) instead of its P50, which sits in the gap between "
                + "its two peaks (runnext hand-offs, steals) and jumps between them from run to run.\n\n");
        sb.append("| workload | procs (model / Go) | metric | effect | model [95 % CI] | real Go [95 % CI] | "
                + "model / real Go [95 % CI] | in magnitude |\n|---|---|---|---|---|---|---|---|\n");
        int[] count = new int[Magnitude.Agreement.values().length];
        for (Magnitude.Row r : Magnitude.rows(s)) {
            count[r.agreement().ordinal()]++;
            sb.append("| ").append(r.workload()).append(" | ").append(r.modelProcs()).append(" / ").append(r.goProcs())
                    .append(" | ").append(r.metric()).append(" | ").append(r.num()).append(" / ").append(r.den())
                    .append(" | ").append(cell(r.model().ratio())).append(' ').append(EffectRule.word(r.model().effect()))
                    .append(" | ").append(cell(r.go().ratio())).append(' ').append(EffectRule.word(r.go().effect()))
                    .append(" | ").append(r.ratio() == null ? "n/a" : Fmt.num(r.ratio().ratio()) + " [" + Fmt.num(r.ratio().lo())
                            + ", " + Fmt.num(r.ratio().hi()) + "]").append(" | ").append(word(r.agreement()))
                    .append(r.agreement() == Magnitude.Agreement.UNDECIDED && r.ratio() != null
                            && !Stats.power(r.ratio()).isEmpty() ? " (" + Stats.power(r.ratio()) + ")" : "").append(" |\n");
        }
        sb.append("\nIn all: ").append(count[Magnitude.Agreement.AGREE.ordinal()]).append(" agree, ")
                .append(count[Magnitude.Agreement.DISAGREE.ordinal()]).append(" disagree, ")
                .append(count[Magnitude.Agreement.UNDECIDED.ordinal()]).append(" undecided, ")
                .append(count[Magnitude.Agreement.UNMATCHED.ordinal()]).append(" with an unmatched control.\n\n");
        sb.append("![Model effect against real Go effect, log-log, with 95 % intervals across sessions and the x")
                .append(Fmt.num(Magnitude.BAND)).append(" band](").append(plotsLink).append('/').append(AgreementPlot.FILE)
                .append(")\n\n");
    }

    private static String word(Magnitude.Agreement a) {
        switch (a) {
            case AGREE: return "agree";
            case DISAGREE: return "**disagree**";
            case UNMATCHED: return "unmatched";
            default: return "undecided";
        }
    }

    static void render(StringBuilder sb, ResultStore store, RealGo realGo) {
        sb.append("### Does the model agree with real Go?\n\n");
        if (realGo == null) {
            sb.append("No committed real-Go run.\n\n");
            return;
        }
        sb.append("Each effect is decided from the runs, as in the benchstat columns: the ratio of the run medians "
                + "with a bootstrap 95 % interval; **up** or **down** when the interval lies beyond ±"
                + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " %, **none** when it lies inside, **?** "
                + "otherwise (or with fewer than " + Stats.MIN_RUNS + " runs). The model's cells are those of the "
                + "configuration rule (GOGC=100, Go's default, where measured; the GC section compares GC on and "
                + "off); real Go's at its GOMAXPROCS. Agree: both decided "
                + "and the same; disagree: both decided and different; undecided: either is ?, or either side's "
                + "cpu_control is unmatched (its CPU per run outside [" + Fmt.num(VerdictRules.CONTROL_MATCH_LOW) + ", "
                + Fmt.num(VerdictRules.CONTROL_MATCH_HIGH) + "] of defer's: it decides nothing). One rule "
                + "(`EffectRule`) decides this table, the claims, README's summary and the real-Go section.\n\n");
        sb.append("| workload | procs (model / Go) | metric | effect | model ratio [95 % CI] | model | real Go ratio "
                + "[95 % CI] | real Go | agreement |\n|---|---|---|---|---|---|---|---|---|\n");
        int agree = 0;
        int disagree = 0;
        int undecided = 0;
        for (String bench : Cells.LATENCY_BENCHES) {
            String workload = RealGo.workloadOf(bench);
            List<Integer> goProcs = realGo.procs(workload);
            List<JmhEntry> es = store.of(bench);
            if (goProcs.isEmpty() || es.isEmpty()) {
                continue;
            }
            for (int gp : goProcs) {
                // the model's cell under the configuration rule (GOGC=100 where measured), at Go's procs or the nearest
                SortedMap<String, String> cfg = Cells.config(es, gp, VerdictRules.ARTICLE_DENSITY);
                String mp = cfg == null ? null : cfg.get(Parameter.PROCS.id);
                if (mp == null) {
                    continue;
                }
                for (String metric : METRICS) {
                    ToDoubleFunction<RealGo.Run> f = RealGo.figure(metric);
                    for (String[] pair : PAIRS) {
                        EffectRule.Judged m = EffectRule.model(Cells.find(es, pair[0], cfg),
                                Cells.find(es, pair[1], cfg), metric);
                        EffectRule.Judged g = EffectRule.go(realGo, workload, gp, pair[0], pair[1], f);
                        String a;
                        switch (EffectRule.agreement(m.effect(), g.effect())) {
                            case AGREE:
                                agree++;
                                a = "agree";
                                break;
                            case DISAGREE:
                                disagree++;
                                a = "**disagree**";
                                break;
                            default:
                                undecided++;
                                a = "undecided";
                        }
                        sb.append("| ").append(workload).append(" | ").append(mp).append(" / ").append(gp).append(" | ")
                                .append(metric).append(" | ").append(pair[0]).append(" / ").append(pair[1]).append(" | ")
                                .append(cell(m.ratio())).append(" | ").append(EffectRule.word(m.effect())).append(" | ")
                                .append(cell(g.ratio())).append(" | ").append(EffectRule.word(g.effect())).append(" | ")
                                .append(a).append(" |\n");
                    }
                }
            }
        }
        sb.append("\nIn all: ").append(agree).append(" agree, ").append(disagree).append(" disagree, ")
                .append(undecided).append(" undecided.\n\n");
    }

    private static String cell(Stats.Ratio r) {
        if (r == null) {
            return "n/a";
        }
        return Fmt.num(r.ratio()) + (Double.isNaN(r.lo()) ? "" : " [" + Fmt.num(r.lo()) + ", " + Fmt.num(r.hi()) + "]")
                + " (n=" + r.na() + "/" + r.nb() + ")";
    }
}
