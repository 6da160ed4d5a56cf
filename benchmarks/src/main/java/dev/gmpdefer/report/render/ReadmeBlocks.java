package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The blocks of README.md the report writes between its markers: the short answer (one effect rule,
 * {@link EffectRule}), defer vs Go, the allocator table.
 */
public final class ReadmeBlocks {
    private final MarkdownReport r;

    ReadmeBlocks(MarkdownReport r) {
        this.r = r;
    }

    /**
     * The README's short answer (issue 12, item 6): one paragraph and one table a Go engineer reads in a
     * minute, generated from the same data as the report: per workload, real Go's P95 with defers over
     * without and over the CPU control (ratio of run medians, 95 % interval, the ±10 % rule), the model's
     * direction beside it, and the claim verdicts counted.
     */
    public String readmeSummary() {
        List<ClaimEvaluator.Result> results = r.model.claims();
        Map<Verdict, Integer> count = new java.util.EnumMap<>(Verdict.class);
        for (ClaimEvaluator.Result r : results) {
            count.merge(r.verdict(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        String metric = "sched.latency.p95";
        Sessions ss = r.model.sessions;
        RealGo go = ss != null ? ss.go.get(0) : r.realGo;
        Md.Table t = new Md.Table("workload (GOMAXPROCS)", "real Go P95: defer / none", "real Go P95: defer / "
                + "cpu_control", "beyond CPU in real Go?", "model: defer / cpu_control", ss != null
                ? "model agrees in magnitude? (model / real Go)" : "model agrees?");
        int up = 0;
        int none = 0;
        int open = 0;
        if (go != null) {
            java.util.function.ToDoubleFunction<RealGo.Run> f = RealGo.figure(metric);
            for (String bench : Cells.LATENCY_BENCHES) {
                String w = RealGo.workloadOf(bench);
                for (int gp : go.procs(w)) {
                    EffectRule.Judged dn;
                    EffectRule.Judged dc;
                    EffectRule.Judged mc;
                    String agrees;
                    if (ss != null) {
                        // the paired reference: intervals across its sessions, the model from the same sessions
                        dn = ss.go(w, gp, "defer", "none", metric, true);
                        dc = ss.go(w, gp, "defer", "cpu_control", metric, true);
                        boolean same = String.valueOf(gp).equals(ss.modelProcs(bench, gp));
                        mc = same ? ss.model(bench, gp, "defer", "cpu_control", metric, true) : null;
                        Stats.Ratio m = same ? ss.magnitude(bench, gp, gp, "defer", "cpu_control", metric) : null;
                        Magnitude.Agreement a = mc == null || mc.missing() ? Magnitude.Agreement.UNDECIDED
                                : Magnitude.decide(m, mc, dc);
                        agrees = (a == Magnitude.Agreement.AGREE ? "yes" : a == Magnitude.Agreement.DISAGREE ? "**no**"
                                : a == Magnitude.Agreement.UNMATCHED ? "unmatched" : "undecided")
                                + (m == null ? "" : " (" + ratioCell(m) + ")");
                    } else {
                        dn = EffectRule.go(go, w, gp, "defer", "none", f);
                        dc = EffectRule.go(go, w, gp, "defer", "cpu_control", f);
                        List<JmhEntry> es = r.store.of(bench);
                        SortedMap<String, String> cfg = Cells.config(es, gp, VerdictRules.ARTICLE_DENSITY);
                        if (cfg != null && !String.valueOf(gp).equals(cfg.get(Parameter.PROCS.id))) {
                            cfg = null; // the model at other procs is not the same cell
                        }
                        mc = cfg == null ? null : EffectRule.model(Cells.find(es, "defer", cfg),
                                Cells.find(es, "cpu_control", cfg), metric);
                        EffectRule.Agreement a = mc == null ? EffectRule.Agreement.UNDECIDED
                                : EffectRule.agreement(mc.effect(), dc.effect());
                        agrees = a == EffectRule.Agreement.AGREE ? "yes" : a == EffectRule.Agreement.DISAGREE ? "**no**"
                                : "undecided";
                    }
                    if (dn.missing() && dc.missing()) {
                        continue;
                    }
                    EffectRule.Effect gd = dc.effect();
                    if (gd == EffectRule.Effect.UP) {
                        up++;
                    } else if (gd == EffectRule.Effect.NONE) {
                        none++;
                    } else {
                        open++;
                    }
                    String beyond = words(gd) + (gd == EffectRule.Effect.UNDECIDED && !dc.missing()
                            && !Double.isNaN(Stats.mde(dc.ratio())) ? " (MDE x" + Fmt.num(Stats.mde(dc.ratio())) + " at n="
                            + Math.min(dc.ratio().na(), dc.ratio().nb()) + ")" : "");
                    t.row(w + " (" + gp + ")", ratioCell(dn.ratio()), ratioCell(dc.ratio()), beyond,
                            mc == null || mc.missing() ? "not measured"
                            : ratioCell(mc.ratio()) + " (" + words(mc.effect()) + ")", agrees);
                }
            }
        }
        sb.append("**Does defer hurt Go's scheduler?** Go's defer code does not touch the run queues: ")
                .append(count.getOrDefault(Verdict.MECHANISM_ABSENT, 0)).append(" of the article's ")
                .append(results.size()).append(" claims describe mechanisms that Go's source does not have. By Go's "
                        + "source, what defers cost the scheduler is their CPU time and, for the heap records of "
                        + "defers in loops, GC work (assists, mark CPU, stops of the world); the table says how "
                        + "much of a latency change is more than the CPU time. ");
        if (go != null) {
            sb.append("Measured on real Go ").append(go.goVersion).append(" (").append(go.numCpu)
                    .append(" CPUs; the article used Go 1.22.5").append(ss == null ? "" : "; " + ss.size() + " paired "
                            + "sessions of the model and real Go side by side, intervals resampling the sessions")
                    .append("), P95 scheduling latency with 10 defers per loop "
                    + "against a control that burns the same CPU without defers rose by more than ")
                    .append(Math.round(VerdictRules.EQUIVALENCE_MARGIN * 100)).append(" % in ").append(up).append(" of ")
                    .append(up + none + open).append(" cells, stayed within ±").append(Math.round(VerdictRules.EQUIVALENCE_MARGIN * 100))
                    .append(" % in ").append(none).append(", and was undecided in ").append(open)
                    .append(" (95 % intervals of the ratio of run medians, below). ");
        }
        sb.append("Claims: ").append(count.getOrDefault(Verdict.REPRODUCED, 0)).append(" reproduced, ")
                .append(count.getOrDefault(Verdict.NOT_REPRODUCED, 0)).append(" not reproduced, ")
                .append(count.getOrDefault(Verdict.INCONCLUSIVE, 0)).append(" inconclusive, ")
                .append(count.getOrDefault(Verdict.MECHANISM_ABSENT, 0)).append(" mechanism absent, ")
                .append(count.getOrDefault(Verdict.NOT_TESTABLE, 0)).append(" not testable here, ")
                .append(count.getOrDefault(Verdict.PENDING, 0)).append(" without a committed run; each with its "
                        + "evidence in [results/REPORT.md](results/REPORT.md).\n\n");
        if (!t.isEmpty()) {
            sb.append(t);
        }
        return sb.toString();
    }

    private static String ratioCell(Stats.Ratio r) {
        if (r == null) {
            return "not measured";
        }
        return Fmt.num(r.ratio()) + "x" + (Double.isNaN(r.lo()) ? "" : " [" + Fmt.num(r.lo()) + ", " + Fmt.num(r.hi())
                + "]");
    }

    private static String words(EffectRule.Effect e) {
        switch (e) {
            case UP: return "higher";
            case DOWN: return "lower";
            case NONE: return "no (within ±" + Math.round(VerdictRules.EQUIVALENCE_MARGIN * 100) + " %)";
            case UNMATCHED: return "unmatched control: decides nothing";
            default: return "undecided";
        }
    }

    /** Each defer strategy beside the Go code it models and real Go's cost (report and docs/defer.md). */
    public String deferVsGo() {
        return DeferVsGo.markdown(Allocators.entries(r.store.entries()), r.realGo);
    }

    /** The allocator comparison for the README (generated, like the report's). */
    public String readmeAllocators() {
        List<JmhEntry> es = Allocators.entries(r.store.entries());
        if (es.isEmpty()) {
            return "(no committed DeferAllocBench run yet)\n";
        }
        List<Allocators.Row> rows = new ArrayList<>();
        for (Allocators.Row r : Allocators.rows(es, r.book)) {
            String d = r.entry().param("defersPerCall");
            String l = r.entry().param("layout");
            if ((d == null || d.equals("8")) && (l == null || l.endsWith("48"))) {
                rows.add(r);
            }
        }
        return "At 8 defers per call and the 48-byte record (Go 1.22); every configuration is in "
                + "results/REPORT.md.\n\n" + AllocatorTable.markdown(rows);
    }

}
