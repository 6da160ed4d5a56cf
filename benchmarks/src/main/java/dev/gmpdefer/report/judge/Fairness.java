package dev.gmpdefer.report.judge;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;

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
public final class Fairness {
    static final String TREND_METRIC = Cells.CPU;
    static final String JVM_GC = "jvm.gc.count";
    /** Only runs made since issue 19 publish it: it tells the per-run {@link #JVM_GC} from the older per-iteration one. */
    static final String JVM_GC_PAUSE = ResultStore.FAIR_METRIC;
    public static final String ALLOC = "gc.alloc.rate.norm";

    private Fairness() {
    }

    /** Whether the cell of {@code def} and {@code ctl} has a matched control; null when not recorded. */
    public static Boolean matched(JmhEntry def, JmhEntry ctl) {
        return VerdictRules.controlMatched(Cells.cpu(def), Cells.cpu(ctl));
    }

    /** The cells of one benchmark's entries (every parameter but the treatment), in the entries' order. */
    public static Map<String, List<JmhEntry>> cells(List<JmhEntry> es) {
        Map<String, List<JmhEntry>> m = new LinkedHashMap<>();
        for (JmhEntry e : es) {
            if (e.param(Parameter.TREATMENT.id) == null) {
                continue;
            }
            SortedMap<String, String> p = new TreeMap<>(e.params());
            p.remove(Parameter.TREATMENT.id);
            m.computeIfAbsent(Cells.describe(p), x -> new ArrayList<>()).add(e);
        }
        return m;
    }

    public static JmhEntry of(List<JmhEntry> cell, String treatment) {
        for (JmhEntry e : cell) {
            if (treatment.equals(e.param(Parameter.TREATMENT.id))) {
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
    public static double medianTrend(JmhEntry e) {
        Metric m = e == null ? null : e.metric(TREND_METRIC);
        return m == null || m.trends().length == 0 ? Double.NaN : Stats.median(m.trends());
    }

    /** The fork trend furthest from 1 (by ratio); NaN when none was recorded. */
    public static double worstTrend(JmhEntry e) {
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
    public static double jvmGcPerRun(JmhEntry e) {
        if (e == null || e.metric(JVM_GC_PAUSE) == null || e.metric(JVM_GC) == null) {
            return Double.NaN;
        }
        return e.metric(JVM_GC).score();
    }
}
