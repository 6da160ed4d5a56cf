package dev.gmpdefer.report.render;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The report's "Fair comparisons in the model" section, from {@link Fairness}' checks. */
public final class FairnessView {
    private FairnessView() {
    }

    public static void render(StringBuilder sb, ResultStore store) {
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
        for (String bench : Cells.LATENCY_BENCHES) {
            for (Map.Entry<String, List<JmhEntry>> c : Fairness.cells(store.of(bench)).entrySet()) {
                List<JmhEntry> cell = c.getValue();
                JmhEntry def = Fairness.of(cell, "defer");
                JmhEntry ctl = Fairness.of(cell, "cpu_control");
                JmhEntry none = Fairness.of(cell, "none");
                if (def == null) {
                    continue;
                }
                cells++;
                StringBuilder trends = new StringBuilder();
                for (String tr : new String[] {"none", "defer", "cpu_control", "alloc_control"}) {
                    double md = Fairness.medianTrend(Fairness.of(cell, tr));
                    double w = Fairness.worstTrend(Fairness.of(cell, tr));
                    trends.append(trends.length() == 0 ? "" : " / ").append(Double.isNaN(md) ? "n/r"
                            : Fmt.num(md) + " (" + Fmt.num(w) + ")");
                }
                Boolean m = Fairness.matched(def, ctl);
                if (Boolean.FALSE.equals(m)) {
                    unmatched++;
                }
                String ratio = m == null ? "n/r" : Fmt.num(VerdictRules.median(Cells.cpu(ctl))
                        / VerdictRules.median(Cells.cpu(def)));
                double gc = Double.NaN;
                for (JmhEntry e : cell) {
                    double g = Fairness.jvmGcPerRun(e);
                    if (!Double.isNaN(g)) {
                        gc = Double.isNaN(gc) ? g : Math.max(gc, g);
                    }
                }
                Metric ad = def.metric(Fairness.ALLOC);
                Metric an = none == null ? null : none.metric(Fairness.ALLOC);
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
