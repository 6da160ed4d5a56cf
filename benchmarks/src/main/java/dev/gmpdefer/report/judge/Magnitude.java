package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Agreement in magnitude (issue 22, item 4): per latency workload, GOMAXPROCS, metric and comparison, the
 * model's effect ratio over real Go's, (model defer / control) / (Go defer / control), from the same paired
 * sessions, with its interval across sessions ({@link Sessions#magnitude}). The model agrees when the whole
 * interval lies inside [1/{@value #BAND}, {@value #BAND}], disagrees when it lies wholly outside, and is
 * undecided otherwise; a comparison with cpu_control whose CPU did not match on either side decides nothing.
 * The table and the log-log plot read the same rows.
 */
public final class Magnitude {
    /** How far apart the model's and real Go's effects may be and still agree: a factor of 1.5. */
    public static final double BAND = 1.5;
    /** The metrics compared: the percentiles both record. */
    public static final List<String> METRICS = List.of("sched.latency.p50", "sched.latency.p95");

    /**
     * The metrics compared for one latency benchmark: P50 and P95, except where the median sits in the gap of
     * a two-peaked distribution (StealLatency): there the fast-start share
     * ({@link Distributions#FAST_SHARE}) instead of P50 (issue 22, item 2). PowerPlan sizes runs by the same.
     */
    public static List<String> metrics(String bench) {
        return "StealLatencyBench".equals(bench) ? List.of(Distributions.FAST_SHARE, "sched.latency.p95") : METRICS;
    }
    /** The comparisons: numerator and denominator treatments. */
    public static final List<String[]> PAIRS = List.of(new String[] {"defer", "none"},
            new String[] {"defer", "cpu_control"});

    private Magnitude() {
    }

    /** What the ratio of effects decides. */
    public enum Agreement { AGREE, DISAGREE, UNDECIDED, UNMATCHED }

    /** One compared cell: each side's effect across sessions, their ratio and what it decides. */
    public record Row(String workload, String modelProcs, int goProcs, String metric, String num, String den,
                      EffectRule.Judged model, EffectRule.Judged go, Stats.Ratio ratio, Agreement agreement) {
    }

    /** The rule, on one ratio of effects and the two sides' judgements. */
    public static Agreement decide(Stats.Ratio r, EffectRule.Judged model, EffectRule.Judged go) {
        if (model.effect() == EffectRule.Effect.UNMATCHED || go.effect() == EffectRule.Effect.UNMATCHED) {
            return Agreement.UNMATCHED;
        }
        if (r == null || Double.isNaN(r.lo())) {
            return Agreement.UNDECIDED;
        }
        if (r.lo() >= 1 / BAND && r.hi() <= BAND) {
            return Agreement.AGREE;
        }
        return r.hi() < 1 / BAND || r.lo() > BAND ? Agreement.DISAGREE : Agreement.UNDECIDED;
    }

    /** Every compared cell of the sessions, in the suite's order; real Go at each of its GOMAXPROCS. */
    public static List<Row> rows(Sessions s) {
        List<Row> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        for (String bench : Cells.LATENCY_BENCHES) {
            String w = RealGo.workloadOf(bench);
            for (int gp : s.go.get(0).procs(w)) {
                String mp = s.modelProcs(bench, gp);
                if (mp == null) {
                    continue;
                }
                double procs = Double.parseDouble(mp);
                for (String metric : metrics(bench)) {
                    for (String[] p : PAIRS) {
                        EffectRule.Judged m = s.model(bench, procs, p[0], p[1], metric, true);
                        EffectRule.Judged g = s.go(w, gp, p[0], p[1], metric, true);
                        if (m.missing() || g.missing()) {
                            continue;
                        }
                        Stats.Ratio r = s.magnitude(bench, procs, gp, p[0], p[1], metric);
                        out.add(new Row(w, mp, gp, metric, p[0], p[1], m, g, r, decide(r, m, g)));
                    }
                }
            }
        }
        return out;
    }
}
