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
 * Renders results/REPORT.md. Deterministic: the output depends only on the JSON read (stable ordering,
 * {@link Fmt} number formatting, no clock).
 */
public final class MarkdownReport {

    /** Latency table columns: metric name and header. */
    private static final String[][] LATENCY_COLUMNS = {
        {"sched.latency.p50", "p50 us"}, {"sched.latency.p95", "p95 us"}, {"sched.latency.p99", "p99 us"},
        {"sched.latency.max", "max us"}, {"sched.latency.mean", "mean us"}, {"sched.runnext.share", "runnext share"},
        {"steal.latency.p50", "steal p50 us"}, {"preempt.latency.p50", "preempt p50 us"},
        {"slice.p50", "slice p50 us"}, {"jvm.gc.count", "GC count"}, {Cells.CPU, "CPU ms/run"}};

    /** The metrics whose defer effect each latency benchmark reports. */
    private static final Map<String, List<String>> EFFECT_METRICS = Map.of(
            "ArticleGoschedBench", List.of("sched.latency.p50", "sched.latency.p95"),
            "FanoutBench", List.of("sched.latency.p50", "sched.latency.p99"),
            "PingPongHogBench", List.of("sched.latency.p50", "sched.latency.p99"),
            "StealLatencyBench", List.of("steal.latency.p50", "sched.latency.p50"),
            "PreemptLatencyBench", List.of("preempt.latency.p50", "preempt.latency.p99"),
            "DeferStarvationBench", List.of("sched.latency.mean", "sched.latency.max"));

    private final ResultStore store;
    private final ClaimBook book;
    private final String plotsLink;

    /**
     * @param plotsLink the plots folder relative to the report file, e.g. "plots"
     */
    public MarkdownReport(ResultStore store, ClaimBook book, String plotsLink) {
        this(store, book, plotsLink, List.of());
    }

    /**
     * @param flames the committed profiles' find/steal shares (claim C6), from
     *               {@link FlameShares#load}
     */
    public MarkdownReport(ResultStore store, ClaimBook book, String plotsLink, List<FlameShares.Row> flames) {
        this(store, book, plotsLink, flames, null);
    }

    /** @param realGo the committed real Go cross-check, or null */
    public MarkdownReport(ResultStore store, ClaimBook book, String plotsLink, List<FlameShares.Row> flames,
                   RealGo realGo) {
        this(store, book, plotsLink, flames, realGo, List.of());
    }

    /**
     * @param allGo every committed realgo document ({@link RealGo#loadAll}): the versions table and the
     *              paired sessions come from it
     */
    public MarkdownReport(ResultStore store, ClaimBook book, String plotsLink, List<FlameShares.Row> flames,
                   RealGo realGo, List<RealGo> allGo) {
        this.allGo = allGo;
        this.store = store;
        this.book = book;
        this.plotsLink = plotsLink;
        this.flames = flames;
        this.realGo = realGo;
    }

    private final List<FlameShares.Row> flames;
    private final RealGo realGo;
    private final List<RealGo> allGo;

    /**
     * The README's short answer (issue 12, item 6): one paragraph and one table a Go engineer reads in a
     * minute, generated from the same data as the report: per workload, real Go's P95 with defers over
     * without and over the CPU control (ratio of run medians, 95 % interval, the ±10 % rule), the model's
     * direction beside it, and the claim verdicts counted.
     */
    public String readmeSummary() {
        List<ClaimEvaluator.Result> results = new ClaimEvaluator(store, book, flames, realGo).evaluate();
        Map<Verdict, Integer> count = new java.util.EnumMap<>(Verdict.class);
        for (ClaimEvaluator.Result r : results) {
            count.merge(r.verdict(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        String metric = "sched.latency.p95";
        Md.Table t = new Md.Table("workload (GOMAXPROCS)", "real Go P95: defer / none", "real Go P95: defer / "
                + "cpu_control", "beyond CPU in real Go?", "model: defer / cpu_control", "model agrees?");
        int up = 0;
        int none = 0;
        int open = 0;
        if (realGo != null) {
            java.util.function.ToDoubleFunction<RealGo.Run> f = RealGo.figure(metric);
            for (String bench : Cells.LATENCY_BENCHES) {
                String w = RealGo.workloadOf(bench);
                for (int gp : realGo.procs(w)) {
                    EffectRule.Judged dn = EffectRule.go(realGo, w, gp, "defer", "none", f);
                    EffectRule.Judged dc = EffectRule.go(realGo, w, gp, "defer", "cpu_control", f);
                    List<JmhEntry> es = store.of(bench);
                    SortedMap<String, String> cfg = Cells.config(es, gp, VerdictRules.ARTICLE_DENSITY);
                    if (cfg != null && !String.valueOf(gp).equals(cfg.get(Parameter.PROCS.id))) {
                        cfg = null; // the model at other procs is not the same cell
                    }
                    EffectRule.Judged mc = cfg == null ? null : EffectRule.model(Cells.find(es, "defer", cfg),
                            Cells.find(es, "cpu_control", cfg), metric);
                    EffectRule.Effect gd = dc.effect();
                    if (gd == EffectRule.Effect.UP) {
                        up++;
                    } else if (gd == EffectRule.Effect.NONE) {
                        none++;
                    } else {
                        open++;
                    }
                    EffectRule.Agreement a = mc == null ? EffectRule.Agreement.UNDECIDED
                            : EffectRule.agreement(mc.effect(), gd);
                    t.row(w + " (" + gp + ")", ratioCell(dn.ratio()), ratioCell(dc.ratio()), words(gd),
                            mc == null || mc.missing() ? "not measured"
                            : ratioCell(mc.ratio()) + " (" + words(mc.effect()) + ")", a == EffectRule.Agreement.AGREE
                            ? "yes" : a == EffectRule.Agreement.DISAGREE ? "**no**" : "undecided");
                }
            }
        }
        sb.append("**Does defer hurt Go's scheduler?** Go's defer code does not touch the run queues: ")
                .append(count.getOrDefault(Verdict.MECHANISM_ABSENT, 0)).append(" of the article's ")
                .append(results.size()).append(" claims describe mechanisms that Go's source does not have. By Go's "
                        + "source, what defers cost the scheduler is their CPU time and, for the heap records of "
                        + "defers in loops, GC work (assists, mark CPU, stops of the world); the table says how "
                        + "much of a latency change is more than the CPU time. ");
        if (realGo != null) {
            sb.append("Measured on real Go ").append(realGo.goVersion).append(" (").append(realGo.numCpu)
                    .append(" CPUs; the article used Go 1.22.5), P95 scheduling latency with 10 defers per loop "
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
        return DeferVsGo.markdown(Allocators.entries(store.entries()), realGo);
    }

    /** The allocator comparison for the README (generated, like the report's). */
    public String readmeAllocators() {
        List<JmhEntry> es = Allocators.entries(store.entries());
        if (es.isEmpty()) {
            return "(no committed DeferAllocBench run yet)\n";
        }
        List<Allocators.Row> rows = new ArrayList<>();
        for (Allocators.Row r : Allocators.rows(es, book)) {
            String d = r.entry().param("defersPerCall");
            String l = r.entry().param("layout");
            if ((d == null || d.equals("8")) && (l == null || l.endsWith("48"))) {
                rows.add(r);
            }
        }
        return "At 8 defers per call and the 48-byte record (Go 1.22); every configuration is in "
                + "results/REPORT.md.\n\n" + AllocatorTable.markdown(rows);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        List<ClaimEvaluator.Result> results = new ClaimEvaluator(store, book, flames, realGo).evaluate();
        sb.append("# gmpdefer: the article's claims, checked\n\n");
        sb.append("Generated by `scripts/report.sh` (`dev.gmpdefer.report.ReportMain`) from the JMH JSON of the "
                + "reference run folders under `results/` (listed in `results/reference.txt`). Do not edit: rerun "
                + "the tool. The claims are listed in [docs/claims.md](../docs/claims.md); the source-based "
                + "evidence is in "
                + "`benchmarks/src/main/resources/gmpdefer/claims.json`.\n\n");
        rules(sb);
        runs(sb);
        summary(sb, results);
        central(sb);
        if (realGo != null) {
            new RealGoView(realGo).render(sb);
            AgreementView.render(sb, store, realGo);
        }
        GoVersionsView.render(sb, RealGo.versions(allGo));
        try {
            SessionView.render(sb, RealGo.sessions(allGo));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        GcView.render(sb, store, realGo);
        FairnessView.render(sb, store);
        FootprintView.render(sb, allGo, store);
        details(sb, results);
        latency(sb);
        allocators(sb);
        flameGraphs(sb);
        others(sb);
        missing(sb);
        return sb.toString();
    }

    private void rules(StringBuilder sb) {
        sb.append("## Verdict rules\n\nStated before any number, and in code (`VerdictRules`):\n\n");
        for (String r : VerdictRules.describe()) {
            sb.append("- ").append(r).append('\n');
        }
        sb.append('\n');
    }

    private void runs(StringBuilder sb) {
        sb.append("## Runs\n\n");
        if (store.runs().isEmpty()) {
            sb.append("No committed run yet: `results/` holds no run folder with JMH JSON. Run `scripts/run.sh "
                    + "quick` or `scripts/run.sh full`.\n\n");
        } else {
            sb.append("| run folder | mode | date | machine | JDK | git commit | JMH options |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (RunInfo r : store.runs()) {
                sb.append("| ").append(r.name()).append(" | ").append(Fmt.cell(r.mode())).append(" | ")
                        .append(Fmt.cell(r.date())).append(" | ").append(Fmt.cell(r.machine())).append(" | ")
                        .append(Fmt.cell(r.jdk())).append(" | ").append(Fmt.cell(r.commit())).append(" | `")
                        .append(Fmt.cell(r.jmhArgs()).replace("`", "'")).append("` |\n");
            }
            sb.append('\n');
        }
        if (store.superseded() > 0) {
            sb.append(store.superseded()).append(" result(s) were superseded by the same benchmark and parameters "
                    + "in a later run folder.\n\n");
        }
        if (store.preFair() > 0) {
            sb.append(store.preFair()).append(" latency result(s) of the listed folders were left out: their runs "
                    + "predate the fair-comparison checks (no JVM collector pauses per run recorded, "
                    + "`jvm.gc.pause.ms`; issue 19), so every "
                    + "latency cell of the reference comes from a run in which every treatment started from the same "
                    + "JVM state.\n\n");
        }
        for (String w : store.warnings()) {
            sb.append("- Warning: ").append(w).append('\n');
        }
        if (!store.warnings().isEmpty()) {
            sb.append('\n');
        }
    }

    private void summary(StringBuilder sb, List<ClaimEvaluator.Result> results) {
        sb.append("## Verdicts\n\nEach measured claim is decided by its checks (\"Claims in detail\" gives each "
                + "check's rule, interval, p-value and runs): real Go where realgo measured the same figure, the "
                + "model otherwise.\n\n");
        Md.Table t = new Md.Table("id", "claim", "article", "real Go", "model", "verdict", "decided by");
        for (ClaimEvaluator.Result r : results) {
            t.row(r.claim().id(), r.claim().title(), r.claim().article(), r.go(), r.model(),
                    "**" + r.verdict().label() + "**", r.decidedBy()
                            + (r.runs().isEmpty() ? "" : "; " + String.join(", ", r.runs())));
        }
        sb.append(t).append('\n');
    }

    private void central(StringBuilder sb) {
        sb.append("## Central table: C3 / C4 against the model (ArticleGoschedBench)\n\n");
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        SortedMap<String, String> cfg = Cells.config(es, VerdictRules.ARTICLE_PROCS,
                VerdictRules.ARTICLE_DENSITY);
        if (cfg == null) {
            sb.append("ArticleGoschedBench: no committed run yet.\n\n");
            return;
        }
        List<String> ts = Cells.TREATMENTS;
        Map<String, JmhEntry> by = new LinkedHashMap<>();
        for (String t : ts) {
            by.put(t, Cells.find(es, t, cfg));
        }
        sb.append("Model configuration: ").append(Cells.describe(cfg)).append(". Runs: ")
                .append(by.values().stream().filter(e -> e != null).map(e -> e.run().name()).distinct().sorted()
                        .collect(Collectors.joining(", ")))
                .append(". Model values are JMH scores ± scoreError (µs). The article ran Go 1.22.5 with "
                        + "GOMAXPROCS=4; the model's Ps share the cores listed in the Runs table.\n\n");
        int goProcs = realGo == null ? -1 : realGo.nearestProcs(RealGo.ARTICLE, VerdictRules.ARTICLE_PROCS);
        List<String> goTs = goProcs < 0 ? List.of() : List.of("none", "defer", "cpu_control", "alloc_control");
        if (goProcs > 0) {
            sb.append("Real Go: ").append(realGo.at(RealGo.ARTICLE, goProcs)).append(", ")
                    .append(realGo.params(RealGo.ARTICLE)).append("; the workload's own timestamps (each Gosched to its "
                    + "return), mean ± sd over the runs (the real-Go section below has every treatment).\n\n");
        }
        sb.append("| figure | article, no defer (C3) | article, high density (C4) |");
        for (String t : ts) {
            sb.append(" model ").append(t).append(" |");
        }
        for (String t : goTs) {
            sb.append(" real Go ").append(t).append(" |");
        }
        sb.append("\n|---|---|---|");
        sb.append("---|".repeat(ts.size() + goTs.size()));
        sb.append('\n');
        String[][] rows = {{"sched.latency.p50", "P50 (us)", "1.3", "3.2"}, {"sched.latency.p95", "P95 (us)", "2.1",
            "4.8"}, {"sched.runnext.share", "runnext share of starts", "> 92 %", "-"}};
        for (String[] row : rows) {
            sb.append("| ").append(row[1]).append(" | ").append(row[2]).append(" | ").append(row[3]).append(" |");
            for (String t : ts) {
                JmhEntry e = by.get(t);
                String v;
                if (e == null) {
                    v = "not run";
                } else if (row[0].endsWith("share")) {
                    Metric m = e.metric(row[0]);
                    v = m == null ? "n/a" : Fmt.pct(m.score());
                } else {
                    v = Fmt.withErr(Cells.micros(e, row[0]));
                }
                sb.append(' ').append(v).append(" |");
            }
            for (String t : goTs) {
                var f = RealGo.figure(row[0]);
                sb.append(' ').append(f == null ? "n/a" : Fmt.withErr(realGo.stat(RealGo.ARTICLE, goProcs, t, f,
                        "us"))).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
        JmhEntry def = by.get("defer");
        JmhEntry cpu = by.get("cpu_control");
        if (def != null && cpu != null) {
            sb.append("Defer effect beyond its CPU time (ratio of the run medians, rule above): P50 ")
                    .append(effect(def, cpu, "sched.latency.p50")).append("; P95 ")
                    .append(effect(def, cpu, "sched.latency.p95")).append(".");
            Metric dc = Cells.cpu(def);
            Metric cc = Cells.cpu(cpu);
            sb.append(dc == null || cc == null ? " CPU per run was not recorded in these runs.\n\n"
                    : " CPU per run (`m.cpu.ms`): defer " + Fmt.withErr(dc) + " ms, cpu_control " + Fmt.withErr(cc)
                    + " ms (x" + Fmt.num(cc.score() / dc.score()) + ").\n\n");
        }
    }

    private static String effect(JmhEntry def, JmhEntry ctl, String metric) {
        if (def.metric(metric) == null || ctl.metric(metric) == null) {
            return "n/a";
        }
        String[] b = benchstat(def, ctl, metric).split(" \\| ");
        return "defer / cpu_control " + b[0] + ", U p " + b[1] + ": " + b[2];
    }

    private void details(StringBuilder sb, List<ClaimEvaluator.Result> results) {
        sb.append("## Claims in detail\n\n");
        for (ClaimEvaluator.Result r : results) {
            ClaimBook.Claim c = r.claim();
            sb.append("### ").append(c.id()).append(": ").append(c.title()).append("\n\n");
            sb.append("- Article: ").append(c.article()).append('\n');
            if (c.measured()) {
                sb.append("- Real Go: ").append(r.go()).append('\n');
            }
            sb.append("- Model: ").append(r.model()).append('\n');
            sb.append("- Verdict: **").append(r.verdict().label()).append("** (").append(r.decidedBy()).append(")\n");
            for (String e : r.evidence()) {
                sb.append("- ").append(e).append('\n');
            }
            for (ClaimBook.GoRef g : c.go()) {
                sb.append("- Go source: `").append(g.file()).append("`: ").append(g.function()).append(" (")
                        .append(g.version()).append(')').append(g.note().isEmpty() ? "" : ": " + g.note())
                        .append('\n');
            }
            if (!r.runs().isEmpty()) {
                sb.append("- Runs: ").append(String.join(", ", r.runs())).append('\n');
            }
            sb.append('\n');
        }
    }

    private void plot(StringBuilder sb, String file) {
        for (Plots.Plot p : Plots.planned(store, realGo)) {
            if (p.file().equals(file)) {
                sb.append("![").append(p.caption()).append("](").append(plotsLink).append('/').append(p.file())
                        .append(")\n\n");
            }
        }
    }

    private void latency(StringBuilder sb) {
        sb.append("## Latency benchmarks\n\nAll latencies in µs (JMH secondary metrics from "
                + "`SchedMetricsProfiler`); each row one JMH result, `±` its scoreError where JMH gave one.\n\n");
        for (String bench : Cells.LATENCY_BENCHES) {
            sb.append("### ").append(bench).append("\n\n");
            List<JmhEntry> es = store.of(bench);
            if (es.isEmpty()) {
                sb.append("Model: no committed run yet.\n\n");
                if (realGo != null) {
                    new RealGoView(realGo).renderWorkload(sb, bench);
                }
                continue;
            }
            plot(sb, bench + "-latency.png");
            plot(sb, bench + "-distribution.png");
            sb.append("| configuration | treatment |");
            for (String[] c : LATENCY_COLUMNS) {
                sb.append(' ').append(c[1]).append(" |");
            }
            sb.append(" time/op | run | real Go p50 us | real Go p95 us |\n|---|---|");
            sb.append("---|".repeat(LATENCY_COLUMNS.length + 4));
            sb.append('\n');
            for (Map.Entry<String, List<JmhEntry>> g : byConfig(es).entrySet()) {
                for (String t : Cells.treatments(g.getValue())) {
                    for (JmhEntry e : g.getValue()) {
                        if (!t.equals(e.param(Parameter.TREATMENT.id))) {
                            continue;
                        }
                        sb.append("| ").append(Fmt.cell(g.getKey())).append(" | ").append(t).append(" |");
                        for (String[] c : LATENCY_COLUMNS) {
                            String v;
                            if (c[0].endsWith("share")) {
                                v = e.metric(c[0]) == null ? "n/a" : Fmt.pct(e.metric(c[0]).score());
                            } else if (c[0].equals(Cells.CPU)) {
                                v = Fmt.withErr(Cells.cpu(e));
                            } else if (c[0].startsWith("jvm.")) {
                                v = e.metric(c[0]) == null ? "n/a" : Fmt.num(e.metric(c[0]).score());
                            } else {
                                v = Fmt.withErr(Cells.micros(e, c[0]));
                            }
                            sb.append(' ').append(v).append(" |");
                        }
                        sb.append(' ').append(Fmt.withErr(e.primary())).append(' ').append(e.primary().unit())
                                .append(" | ").append(e.run().name()).append(" | ").append(goCell(bench, e,
                                        "sched.latency.p50")).append(" | ").append(goCell(bench, e,
                                        "sched.latency.p95")).append(" |\n");
                    }
                }
            }
            sb.append('\n');
            effects(sb, bench, es);
            if (realGo != null) {
                new RealGoView(realGo).renderWorkload(sb, bench);
            }
        }
    }

    /**
     * The real Go figure beside a model row: the same workload, treatment and GOMAXPROCS, mean ± sd over the
     * runs; "-" when real Go has no such cell (article_hypothesis is not Go).
     */
    private String goCell(String bench, JmhEntry e, String metric) {
        if (realGo == null || e.param(Parameter.PROCS.id) == null) {
            return "-";
        }
        int procs;
        try {
            procs = Integer.parseInt(e.param(Parameter.PROCS.id));
        } catch (NumberFormatException x) {
            return "-";
        }
        Metric m = realGo.stat(RealGo.workloadOf(bench), procs, e.param(Parameter.TREATMENT.id),
                RealGo.figure(metric), "us");
        return m == null ? "-" : Fmt.withErr(m);
    }

    /** Entries grouped by their parameters other than the treatment, in report order. */
    private static Map<String, List<JmhEntry>> byConfig(List<JmhEntry> es) {
        Map<String, List<JmhEntry>> m = new LinkedHashMap<>();
        for (JmhEntry e : es) {
            SortedMap<String, String> p = new TreeMap<>(e.params());
            p.remove(Parameter.TREATMENT.id);
            String k = (es.stream().map(JmhEntry::method).distinct().count() > 1 ? e.method() + ": " : "")
                    + Cells.describe(p);
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(e);
        }
        return m;
    }

    private static void effects(StringBuilder sb, String bench, List<JmhEntry> es) {
        List<String> metrics = EFFECT_METRICS.getOrDefault(bench, List.of("sched.latency.p50"));
        StringBuilder t = new StringBuilder();
        for (Map.Entry<String, List<JmhEntry>> g : byConfig(es).entrySet()) {
            JmhEntry none = first(g.getValue(), "none");
            JmhEntry def = first(g.getValue(), "defer");
            JmhEntry cpu = first(g.getValue(), "cpu_control");
            if (def == null || cpu == null) {
                continue;
            }
            for (String m : metrics) {
                Metric d = Cells.micros(def, m);
                Metric c = Cells.micros(cpu, m);
                if (d == null || c == null) {
                    continue;
                }
                Metric n = Cells.micros(none, m);
                Metric dc = Cells.cpu(def);
                Metric cc = Cells.cpu(cpu);
                t.append("| ").append(Fmt.cell(g.getKey())).append(" | ").append(m).append(" | ")
                        .append(Fmt.withErr(n)).append(" | ").append(Fmt.withErr(d)).append(" | ")
                        .append(Fmt.withErr(c)).append(" | ").append(Fmt.num(d.score() - c.score())).append(" | ")
                        .append(Fmt.withErr(dc)).append(" | ").append(Fmt.withErr(cc)).append(" | ")
                        .append(benchstat(def, cpu, m)).append(" |\n");
            }
        }
        if (t.length() == 0) {
            return;
        }
        sb.append("Defer effect beyond CPU time (").append(bench).append("). The first columns are JMH scores ± "
                + "scoreError; the last three compare the runs (one per JMH fork) as benchstat does, with the rule "
                + "the claim verdicts use: the ratio of the defer and cpu_control run medians with a bootstrap 95 % "
                + "interval, the Mann-Whitney U p-value (uncorrected), and the ±" + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100)
                + " % equivalence margin (an effect only when the whole interval lies beyond it, no effect only "
                + "when it lies inside it, at least " + Stats.MIN_RUNS + " runs per cell):\n\n");
        sb.append("| configuration | metric | none | defer | cpu_control | defer − cpu_control | CPU ms/run defer "
                + "| CPU ms/run cpu_control | defer / cpu_control [95 % CI] | U p | ±"
                + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " % rule |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n").append(t).append('\n');
    }

    /**
     * Ratio of run medians with its 95 % interval, the U-test p and the one rule's outcome ({@link EffectRule},
     * the CPU match included) for {@code metric} of two cells (three cells of a table).
     */
    public static String benchstat(JmhEntry def, JmhEntry ctl, String metric) {
        Metric dm = def == null ? null : def.metric(metric);
        Metric cm = ctl == null ? null : ctl.metric(metric);
        if (dm == null || cm == null || dm.runs().length < 2 || cm.runs().length < 2) {
            return "n/a (runs not in the JSON) | n/a | n/a";
        }
        EffectRule.Judged j = EffectRule.model(def, ctl, metric);
        Stats.Ratio r = j.ratio();
        String rule;
        switch (j.effect()) {
            case UP: rule = "defer higher"; break;
            case DOWN: rule = "defer lower"; break;
            case NONE: rule = "no effect"; break;
            case UNMATCHED: rule = "unmatched control: decides nothing"; break;
            default:
                rule = j.verdict().outcome() == Stats.Outcome.TOO_FEW_RUNS ? "too few runs (" + Math.min(r.na(), r.nb())
                        + ")" : "inconclusive" + (j.verdict().runsNeeded() > 0 ? " (~" + j.verdict().runsNeeded()
                        + " runs per cell)" : "");
        }
        return Fmt.num(r.ratio()) + " [" + Fmt.num(r.lo()) + ", " + Fmt.num(r.hi()) + "] (n=" + r.na() + "/" + r.nb()
                + ") | " + Fmt.num(r.p()) + " | " + rule;
    }

    private static JmhEntry first(List<JmhEntry> es, String treatment) {
        return es.stream().filter(e -> treatment.equals(e.param(Parameter.TREATMENT.id))).findFirst().orElse(null);
    }

    private void allocators(StringBuilder sb) {
        sb.append("## Defer allocators\n\n### DeferAllocBench\n\n");
        List<JmhEntry> es = Allocators.entries(store.entries());
        if (es.isEmpty()) {
            sb.append("No committed run yet.\n\n");
        } else {
            plot(sb, "DeferAllocBench-ns.png");
            plot(sb, "DeferAllocBench-bytes.png");
            sb.append("Bytes per defer are JMH's `gc.alloc.rate.norm` (`-prof gc`), n/a when the run had no GC "
                    + "profiler. Go's figures are from other hardware (reference item 23) and are shown for the "
                    + "shape, not for equality.\n\n");
            sb.append(AllocatorTable.markdown(Allocators.rows(es, book))).append('\n');
            sb.append("### Each strategy beside Go\n\n").append(deferVsGo()).append('\n');
        }
        sb.append("### DeferChainBench\n\n");
        generic(sb, store.of("DeferChainBench"));
        sb.append("### DeferContentionBench\n\n");
        contention(sb, store.of("DeferContentionBench"));
    }

    /** Lock counters of {@code sched.deferlock} per defer: ratios of JMH's sums (EVENTS are summed). */
    private static void contention(StringBuilder sb, List<JmhEntry> es) {
        if (es.isEmpty()) {
            sb.append("No committed run yet.\n\n");
            return;
        }
        sb.append("ns per defer per thread (2 threads, 64 defers per call); the lock's acquisitions, procyield rounds, "
                + "osyields and futex sleeps per defer taken (ratios of the run's sums; n/a in runs made before "
                + "the counters existed).\n\n");
        sb.append("| strategy | migrate | ns per defer (± err) | lock acquisitions | spins | yields | sleeps | run |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (JmhEntry e : es) {
            Metric d = e.metric("lockDefers");
            sb.append("| ").append(e.param("strategy")).append(" | ").append(e.param("migrate")).append(" | ")
                    .append(Fmt.withErr(e.primary())).append(" | ").append(perDefer(e, "lockAcquisitions", d))
                    .append(" | ").append(perDefer(e, "lockSpins", d)).append(" | ").append(perDefer(e, "lockYields", d))
                    .append(" | ").append(perDefer(e, "lockSleeps", d)).append(" | ").append(e.run().name())
                    .append(" |\n");
        }
        sb.append('\n');
    }

    private static String perDefer(JmhEntry e, String name, Metric defers) {
        Metric m = e.metric(name);
        if (m == null || defers == null) {
            return "n/a";
        }
        return defers.score() == 0 ? "0" : Fmt.num(m.score() / defers.score());
    }

    private void generic(StringBuilder sb, List<JmhEntry> es) {
        if (es.isEmpty()) {
            sb.append("No committed run yet.\n\n");
            return;
        }
        sb.append("| benchmark | mode | params | score ± error | unit | B/op | run |\n|---|---|---|---|---|---|---|\n");
        for (JmhEntry e : es) {
            Metric a = e.metric(Allocators.ALLOC_NORM);
            sb.append("| ").append(e.benchClass()).append('.').append(e.method()).append(" | ").append(e.mode())
                    .append(" | ").append(Fmt.cell(e.paramString())).append(" | ").append(Fmt.withErr(e.primary()))
                    .append(" | ").append(e.primary().unit()).append(" | ").append(a == null ? "n/a" : Fmt.num(a.score()))
                    .append(" | ").append(e.run().name()).append(" |\n");
        }
        sb.append('\n');
    }

    /** The committed flame graphs and, per profile, the share of samples in the find/steal path (C6). */
    private void flameGraphs(StringBuilder sb) {
        sb.append("## Flame graphs (C6)\n\n");
        if (flames.isEmpty()) {
            sb.append("No committed profile under `results/flamegraphs/` yet (`scripts/flamegraph.sh`).\n\n");
        } else {
            modelFlames(sb);
        }
        if (realGo != null) {
            new RealGoView(realGo).renderProfiles(sb, "");
        }
    }

    private void modelFlames(StringBuilder sb) {
        sb.append("async-profiler CPU profiles of the model (`scripts/flamegraph.sh`); each folder holds the HTML "
                + "flame graphs and the collapsed stacks the shares are computed from. \"findRunnable\" is the "
                + "share of samples under `M.findRunnable` (the model's schedule -> findRunnable -> stealWork -> "
                + "runqsteal path, the article's 86 -> 142 px); \"stealWork\" the part under `M.stealWork`.\n\n");
        sb.append("| benchmark | treatment | params | samples | findRunnable | stealWork | profile |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (FlameShares.Row r : flames) {
            String folder = r.file().contains("/") ? r.file().substring(0, r.file().lastIndexOf('/')) : "";
            sb.append("| ").append(r.bench()).append(" | ").append(r.treatment()).append(" | ")
                    .append(Fmt.cell(r.params())).append(" | ").append(r.samples()).append(" | ")
                    .append(FlameShares.pct(r.share())).append(" | ").append(FlameShares.pct(r.stealShare()))
                    .append(" | [").append(folder).append("](flamegraphs/").append(folder).append("/) |\n");
        }
        sb.append('\n');
    }

    private void others(StringBuilder sb) {
        List<String> covered = new ArrayList<>(Cells.LATENCY_BENCHES);
        covered.add(Allocators.BENCH);
        covered.add(Allocators.UNCHECKED);
        covered.add("DeferChainBench");
        covered.add("DeferContentionBench");
        List<String> rest = store.classes().stream().filter(c -> !covered.contains(c)).collect(Collectors.toList());
        sb.append("## Other benchmarks\n\n");
        if (rest.isEmpty()) {
            sb.append("None.\n\n");
        }
        for (String c : rest) {
            sb.append("### ").append(c).append("\n\n");
            List<JmhEntry> es = store.of(c).stream()
                    .filter(e -> !RETIRED.contains(e.benchClass() + "." + e.method())).collect(Collectors.toList());
            generic(sb, es);
            if (c.equals("RunQueueBench")) {
                runnextVsSpmc(sb, es);
            } else if (c.equals("StealBench")) {
                stealPerG(sb, es);
            }
        }
    }

    /** Benchmark methods the suite no longer has, whose committed rows would now mislead; left out. */
    static final java.util.Set<String> RETIRED = java.util.Set.of("StealBench.refillOnly");

    /**
     * The owner put + get through runnext against JCTools' SpmcArrayQueue offer + poll, from the same run
     * (issue 11's target: within 1.1x).
     */
    private static void runnextVsSpmc(StringBuilder sb, List<JmhEntry> es) {
        StringBuilder rows = new StringBuilder();
        for (JmhEntry r : es) {
            if (!r.method().equals("runnextPutGet")) {
                continue;
            }
            for (JmhEntry q : es) {
                if (q.method().equals("spmcOfferPoll") && q.run().name().equals(r.run().name())
                        && q.paramString().equals(r.paramString()) && q.primary().score() > 0) {
                    rows.append("| ").append(Fmt.cell(r.paramString())).append(" | ").append(Fmt.num(r.primary().score()))
                            .append(" | ").append(Fmt.num(q.primary().score())).append(" | ")
                            .append(Fmt.num(r.primary().score() / q.primary().score())).append("x | ")
                            .append(r.run().name()).append(" |\n");
                }
            }
        }
        if (rows.length() > 0) {
            sb.append("Owner put + get through runnext vs JCTools SpmcArrayQueue offer + poll, same run:\n\n"
                    + "| params | runnext ns | SPMC ns | ratio | run |\n|---|---|---|---|---|\n").append(rows).append('\n');
        }
    }

    /** StealBench.steal per G moved: one op moves ceil(len/2) Gs (plus one put). */
    private static void stealPerG(StringBuilder sb, List<JmhEntry> es) {
        StringBuilder rows = new StringBuilder();
        for (JmhEntry e : es) {
            String len = e.param("len");
            if (!e.method().equals("steal") || len == null) {
                continue;
            }
            int n = Integer.parseInt(len);
            int moved = n - n / 2;
            rows.append("| ").append(len).append(" | ").append(moved).append(" | ").append(Fmt.withErr(e.primary()))
                    .append(" | ").append(Fmt.num(e.primary().score() / moved)).append(" | ").append(e.run().name())
                    .append(" |\n");
        }
        if (rows.length() > 0) {
            sb.append("One steal of ceil(len/2) Gs from a queue of len, plus one put, no refill (two queues take "
                    + "turns as victim and thief):\n\n| len | Gs moved | ns per steal | ns per G | run |\n"
                    + "|---|---|---|---|---|\n").append(rows).append('\n');
        }
    }

    private void missing(StringBuilder sb) {
        sb.append("## Benchmarks without a committed run\n\n");
        boolean any = false;
        for (Suite.Group g : Suite.groups()) {
            List<String> miss = g.classes().stream().filter(b -> !store.has(b)).collect(Collectors.toList());
            if (!miss.isEmpty()) {
                any = true;
                sb.append("- ").append(g.title()).append(": ").append(String.join(", ", miss)).append('\n');
            }
        }
        sb.append(any ? "\n" : "None: every benchmark of the suite has a committed run.\n");
    }
}
