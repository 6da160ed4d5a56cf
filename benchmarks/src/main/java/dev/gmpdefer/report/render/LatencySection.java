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
 * The report's latency tables: per workload and configuration, the model's treatments beside real Go's,
 * the effect columns and benchstat's view.
 */
public final class LatencySection {
    private final MarkdownReport r;

    LatencySection(MarkdownReport r) {
        this.r = r;
    }

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

    void latency(StringBuilder sb) {
        sb.append("## Latency benchmarks\n\nAll latencies in µs (JMH secondary metrics from "
                + "`SchedMetricsProfiler`); each row one JMH result, `±` its scoreError where JMH gave one.\n\n");
        for (String bench : Cells.LATENCY_BENCHES) {
            sb.append("### ").append(bench).append("\n\n");
            List<JmhEntry> es = r.store.of(bench);
            if (es.isEmpty()) {
                sb.append("Model: no committed run yet.\n\n");
                if (r.realGo != null) {
                    new RealGoView(r.realGo).renderWorkload(sb, bench);
                }
                continue;
            }
            r.plot(sb, bench + "-latency.png");
            r.plot(sb, bench + "-distribution.png");
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
            if (r.realGo != null) {
                new RealGoView(r.realGo).renderWorkload(sb, bench);
            }
        }
    }

    /**
     * The real Go figure beside a model row: the same workload, treatment and GOMAXPROCS, mean ± sd over the
     * runs; "-" when real Go has no such cell (article_hypothesis is not Go).
     */
    private String goCell(String bench, JmhEntry e, String metric) {
        if (r.realGo == null || e.param(Parameter.PROCS.id) == null) {
            return "-";
        }
        int procs;
        try {
            procs = Integer.parseInt(e.param(Parameter.PROCS.id));
        } catch (NumberFormatException x) {
            return "-";
        }
        Metric m = r.realGo.stat(RealGo.workloadOf(bench), procs, e.param(Parameter.TREATMENT.id),
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
                        + " runs per cell for ±10 %; " + Stats.power(r) + ")" : " (" + Stats.power(r) + ")");
        }
        return Fmt.num(r.ratio()) + " [" + Fmt.num(r.lo()) + ", " + Fmt.num(r.hi()) + "] (n=" + r.na() + "/" + r.nb()
                + ") | " + Fmt.num(r.p()) + " | " + rule;
    }

    private static JmhEntry first(List<JmhEntry> es, String treatment) {
        return es.stream().filter(e -> treatment.equals(e.param(Parameter.TREATMENT.id))).findFirst().orElse(null);
    }

}
