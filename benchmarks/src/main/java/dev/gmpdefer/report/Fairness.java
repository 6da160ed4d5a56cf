package dev.gmpdefer.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether each latency cell of the model is a fair experiment (issue 19): the warm-up trend of every
 * treatment's forks, the CPU control's match, the JVM's collections inside measured runs and defer's Java
 * allocation against none's. The match ({@link #matched}) is the one rule every table that decides applies
 * (claims, agreement table, README); the other three are shown, with the rule they should meet.
 */
final class Fairness {
    static final String TREND_METRIC = LatencyView.CPU;
    static final String JVM_GC = "jvm.gc.count";
    /** Only runs made since issue 19 publish it: it tells the per-run {@link #JVM_GC} from the older per-iteration one. */
    static final String JVM_GC_PAUSE = ResultStore.FAIR_METRIC;
    static final String ALLOC = "gc.alloc.rate.norm";

    private Fairness() {
    }

    /** Whether the cell of {@code def} and {@code ctl} has a matched control; null when not recorded. */
    static Boolean matched(JmhEntry def, JmhEntry ctl) {
        return VerdictRules.controlMatched(LatencyView.cpu(def), LatencyView.cpu(ctl));
    }

    /** The cells of one benchmark's entries (every parameter but the treatment), in the entries' order. */
    static Map<String, List<JmhEntry>> cells(List<JmhEntry> es) {
        Map<String, List<JmhEntry>> m = new LinkedHashMap<>();
        for (JmhEntry e : es) {
            if (e.param(LatencyView.TREATMENT) == null) {
                continue;
            }
            SortedMap<String, String> p = new TreeMap<>(e.params());
            p.remove(LatencyView.TREATMENT);
            m.computeIfAbsent(LatencyView.describe(p), x -> new ArrayList<>()).add(e);
        }
        return m;
    }

    static JmhEntry of(List<JmhEntry> cell, String treatment) {
        for (JmhEntry e : cell) {
            if (treatment.equals(e.param(LatencyView.TREATMENT))) {
                return e;
            }
        }
        return null;
    }

    /**
     * The median over forks of each fork's trend (M CPU of its first measured run over its last): the
     * systematic part; NaN when none was recorded. One fork's trend is the ratio of two single runs, so it
     * carries √2 times the run-to-run noise (ArticleGosched's runs vary by about 10 %), which the median
     * over 10 forks averages out while a warm-up that every fork shares stays.
     */
    static double medianTrend(JmhEntry e) {
        Metric m = e == null ? null : e.metric(TREND_METRIC);
        return m == null || m.trends().length == 0 ? Double.NaN : Stats.median(m.trends());
    }

    /** The fork trend furthest from 1 (by ratio); NaN when none was recorded. */
    static double worstTrend(JmhEntry e) {
        Metric m = e == null ? null : e.metric(TREND_METRIC);
        if (m == null || m.trends().length == 0) {
            return Double.NaN;
        }
        double worst = 1;
        for (double t : m.trends()) {
            if (Math.abs(Math.log(t)) > Math.abs(Math.log(worst))) {
                worst = t;
            }
        }
        return worst;
    }

    /** JVM collections per measured run (mean over all of the cell's runs); NaN when not recorded per run. */
    static double jvmGcPerRun(JmhEntry e) {
        if (e == null || e.metric(JVM_GC_PAUSE) == null || e.metric(JVM_GC) == null) {
            return Double.NaN;
        }
        return e.metric(JVM_GC).score();
    }

    static void render(StringBuilder sb, ResultStore store) {
        sb.append("## Fair comparisons in the model\n\n");
        sb.append("Issue 19's checks of every model latency cell, from its committed runs. **warm-up trend**: per "
                + "treatment, the median over forks of M CPU in a fork's first measured run over its last, and in "
                + "brackets the fork furthest from 1; the median should lie within ×"
                + Fmt.num(VerdictRules.WARMUP_TREND_MAX) + " (every fork runs the same calibration runs before, "
                + "whatever its treatment; one fork's trend is a ratio of two single runs and carries their "
                + "noise, the median over forks keeps what they share). **control / defer CPU**: median `m.cpu.ms` "
                + "of cpu_control's forks over defer's; outside [" + Fmt.num(VerdictRules.CONTROL_MATCH_LOW) + ", "
                + Fmt.num(VerdictRules.CONTROL_MATCH_HIGH) + "] the cell is **unmatched** and decides nothing "
                + "anywhere. **JVM GC per run**: the JVM's collections inside measured runs (`jvm.gc.count`, from "
                + "the GC MXBeans; should be 0). **alloc defer / none**: Java bytes per run (`gc.alloc.rate.norm`, "
                + "JMH's `-prof gc`), defer over none; where the defers are stack or open-coded records it should "
                + "be within ×" + Fmt.num(VerdictRules.ALLOC_MATCH_FACTOR) + ". \"n/r\": not recorded (runs made "
                + "before these checks existed).\n\n");
        Md.Table t = new Md.Table("workload", "configuration", "run", "warm-up trend (furthest fork) none / defer / "
                + "cpu_control / alloc_control", "control / defer CPU", "matched", "JVM GC per run", "alloc defer / none");
        int cells = 0;
        int unmatched = 0;
        for (String bench : LatencyView.LATENCY_BENCHES) {
            for (Map.Entry<String, List<JmhEntry>> c : cells(store.of(bench)).entrySet()) {
                List<JmhEntry> cell = c.getValue();
                JmhEntry def = of(cell, "defer");
                JmhEntry ctl = of(cell, "cpu_control");
                JmhEntry none = of(cell, "none");
                if (def == null) {
                    continue;
                }
                cells++;
                StringBuilder trends = new StringBuilder();
                for (String tr : new String[] {"none", "defer", "cpu_control", "alloc_control"}) {
                    double md = medianTrend(of(cell, tr));
                    double w = worstTrend(of(cell, tr));
                    trends.append(trends.length() == 0 ? "" : " / ").append(Double.isNaN(md) ? "n/r"
                            : Fmt.num(md) + " (" + Fmt.num(w) + ")");
                }
                Boolean m = matched(def, ctl);
                if (Boolean.FALSE.equals(m)) {
                    unmatched++;
                }
                String ratio = m == null ? "n/r" : Fmt.num(VerdictRules.median(LatencyView.cpu(ctl))
                        / VerdictRules.median(LatencyView.cpu(def)));
                double gc = Double.NaN;
                for (JmhEntry e : cell) {
                    double g = jvmGcPerRun(e);
                    if (!Double.isNaN(g)) {
                        gc = Double.isNaN(gc) ? g : Math.max(gc, g);
                    }
                }
                Metric ad = def.metric(ALLOC);
                Metric an = none == null ? null : none.metric(ALLOC);
                String alloc = ad == null || an == null || !(an.score() > 0) ? "n/r"
                        : Fmt.num(VerdictRules.median(ad) / VerdictRules.median(an));
                t.row(RealGo.workloadOf(bench), c.getKey(), def.run().name(), trends.toString(), ratio,
                        m == null ? "n/r" : m ? "yes" : "**unmatched**", Double.isNaN(gc) ? "n/r" : Fmt.num(gc), alloc);
            }
        }
        sb.append(t).append('\n');
        sb.append("In all: ").append(cells).append(" cells, ").append(unmatched).append(" unmatched.\n\n");
    }
}
