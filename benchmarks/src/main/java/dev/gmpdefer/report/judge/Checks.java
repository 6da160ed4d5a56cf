package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.Judgement.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The small evaluators that judge a claim's measured checks ({@link ClaimBook.Check}, from claims.json), each
 * returning one {@link Comparison}: the article's figure, the model's and real Go's, each side's outcome
 * with its confidence interval, p-value and runs, and which side decided (issue 12, items 1-4).
 *
 * <p>Evidence order: where realgo measured the same workload, treatment and figure, real Go decides and
 * the model is shown beside it; otherwise the model decides. The rules are stated in
 * {@link VerdictRules#describe()} before any number.
 */
public final class Checks {
    private final ResultStore store;
    private final RealGo realGo;
    private final List<FlameShares.Row> flames;
    /** The paired reference, or null: where it measured both cells, it decides the two-cell checks. */
    private final Sessions sessions;

    Checks(ResultStore store, RealGo realGo, List<FlameShares.Row> flames, Sessions sessions) {
        this.store = store;
        this.realGo = realGo;
        this.flames = flames;
        this.sessions = sessions;
    }

    /** Judges one check with its evaluator. */
    Comparison evaluate(ClaimBook.Check c) {
        switch (c.evaluator()) {
            case ABSOLUTE: return absolute(c);
            case RATIO: return ratio(c);
            case BEYOND_CONTROL: return beyondControl(c);
            case THRESHOLD: return threshold(c);
            case LINEAR: return linear(c);
            case GO_COST: return goCost(c);
            case FLAME_SHARE: return flameShare(c);
            default: throw new IllegalArgumentException("unknown evaluator " + c.evaluator());
        }
    }

    // ---- the cells ----

    /** A model cell: the entry of the check's benchmark and treatment under the configuration rule. */
    private JmhEntry modelCell(ClaimBook.Check c, String treatment) {
        List<JmhEntry> es = store.of(c.bench());
        SortedMap<String, String> cfg = Cells.config(es, VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY);
        return Cells.find(es, treatment, cfg);
    }

    /** Whether the cells exist with the metric but their runs are not in the JSON (older files). */
    private static boolean withoutRuns(String metric, JmhEntry... es) {
        boolean short_ = false;
        for (JmhEntry e : es) {
            Metric m = e == null ? null : "primary".equals(metric) ? e.primary() : e.metric(metric);
            if (m == null) {
                return false;
            }
            short_ |= m.runs().length == 0;
        }
        return short_;
    }

    private static Side noRuns(JmhEntry e, String metric) {
        Metric m = "primary".equals(metric) ? e.primary() : e.metric(metric);
        return new Side(Fmt.withErr(m) + " (JMH score ± error)", Outcome.OPEN, Double.NaN,
                "its runs are not in the JSON, so no interval of the median", where(e));
    }

    private static String where(JmhEntry e) {
        return e == null ? "" : "[" + e.run().name() + ": " + e.benchClass() + " " + e.paramString() + "]";
    }

    private String goWorkload(ClaimBook.Check c) {
        return RealGo.workloadOf(c.bench());
    }

    /** Real Go's figure for the check; null when realgo does not measure it. */
    private ToDoubleFunction<RealGo.Run> goFigure(ClaimBook.Check c) {
        String m = goFigureName(c);
        return realGo == null || m == null ? null : RealGo.figure(m);
    }

    /** The name of real Go's figure for the check ({@link RealGo#figure}); null when realgo does not measure it. */
    private static String goFigureName(ClaimBook.Check c) {
        return "-".equals(c.goMetric()) ? null : c.goMetric().isEmpty() ? c.metric() : c.goMetric();
    }

    private int goProcs(ClaimBook.Check c) {
        return realGo == null ? -1 : realGo.nearestProcs(goWorkload(c), VerdictRules.ARTICLE_PROCS);
    }

    private double[] goRuns(ClaimBook.Check c, String treatment) {
        ToDoubleFunction<RealGo.Run> f = goFigure(c);
        int procs = goProcs(c);
        if (f == null || procs < 0) {
            return new double[0];
        }
        return EffectRule.goRuns(realGo, goWorkload(c), procs, treatment, f);
    }

    private String goWhere(ClaimBook.Check c) {
        return realGo == null ? "" : "[" + realGo.run.name() + ": " + goWorkload(c) + " GOMAXPROCS=" + goProcs(c)
                + ", " + realGo.goVersion + "]";
    }

    private static Comparison decide(ClaimBook.Check c, Side model, Side go, JmhEntry... used) {
        List<String> runs = java.util.Arrays.stream(used).filter(e -> e != null).map(e -> e.run().name()).distinct()
                .sorted().collect(Collectors.toList());
        return decide(c, model, go, runs);
    }

    private static Comparison decide(ClaimBook.Check c, Side model, Side go, List<String> runs) {
        return new Comparison(c, model, go, go.outcome() == Outcome.MISSING ? "model" : "real Go", runs);
    }

    /** The paired sessions' folders, for a comparison they decide. */
    private List<String> sessionRuns() {
        return sessions.go.stream().map(g -> g.run.name()).sorted().collect(Collectors.toList());
    }

    // ---- one cell against a figure ----

    /** The median of one cell's runs with its 95 % interval: from the runs when there are enough, else null. */
    private static Stats.Summary cell(double[] runs) {
        return runs.length == 0 ? null : Stats.summary(runs);
    }

    /**
     * An interval against a band [lo, hi]: PASS inside, FAIL entirely outside, OPEN otherwise or with fewer
     * than {@link Stats#MIN_RUNS} runs.
     */
    private static Side band(Stats.Summary s, double lo, double hi, String unit, String where) {
        if (s == null) {
            return Side.missing(where);
        }
        String v = Judgement.summaryText(s, unit);
        if (s.n() < Stats.MIN_RUNS || Double.isNaN(s.lo())) {
            return new Side(v, Outcome.OPEN, Double.NaN, "too few runs: " + s.n() + " of " + Stats.MIN_RUNS, where);
        }
        if (s.lo() >= lo && s.hi() <= hi) {
            return new Side(v, Outcome.PASS, Double.NaN, "", where);
        }
        if (s.hi() < lo || s.lo() > hi) {
            return new Side(v, Outcome.FAIL, Double.NaN, "", where);
        }
        return new Side(v, Outcome.OPEN, Double.NaN, "the interval straddles the tolerance", where);
    }

    /** absolute: the cell's median within {@link VerdictRules#ABS_FACTOR} of the article's figure. */
    private Comparison absolute(ClaimBook.Check c) {
        return oneCell(c, c.article() / VerdictRules.ABS_FACTOR, c.article() * VerdictRules.ABS_FACTOR);
    }

    /** threshold: the cell's median on the stated side of the article's threshold (the whole interval). */
    private Comparison threshold(ClaimBook.Check c) {
        boolean above = ">".equals(c.op());
        return oneCell(c, above ? Math.nextUp(c.article()) : Double.NEGATIVE_INFINITY,
                above ? Double.POSITIVE_INFINITY : Math.nextDown(c.article()));
    }

    /** One cell of the check's treatment, model and real Go, against the band [lo, hi]. */
    private Comparison oneCell(ClaimBook.Check c, double lo, double hi) {
        JmhEntry e = modelCell(c, c.treatment());
        Side model = withoutRuns(c.metric(), e) ? noRuns(e, c.metric())
                : band(cell(EffectRule.modelRuns(e, c.metric())), lo, hi, unitOf(c), where(e));
        Side go = band(cell(goRuns(c, c.treatment())), lo, hi, unitOf(c), goWhere(c));
        return decide(c, model, go, e);
    }

    private static String unitOf(ClaimBook.Check c) {
        if (c.metric().contains("share")) {
            return "";
        }
        return c.metric().startsWith("sched.") || c.metric().startsWith("own.") ? "us" : "";
    }

    // ---- two cells ----

    /** ratio: the ratio of two cells within {@link VerdictRules#RATIO_FACTOR} of the article's. */
    private Comparison ratio(ClaimBook.Check c) {
        JmhEntry num = modelCell(c, c.treatment());
        JmhEntry den = modelCell(c, c.control());
        double lo = c.article() / VerdictRules.RATIO_FACTOR;
        double hi = c.article() * VerdictRules.RATIO_FACTOR;
        Side model = withoutRuns(c.metric(), num, den) ? noRuns(num, c.metric())
                : ratioBand(EffectRule.ratio(EffectRule.modelRuns(num, c.metric()), EffectRule.modelRuns(den, c.metric())), lo, hi,
                where(num));
        Side go = ratioBand(EffectRule.ratio(goRuns(c, c.treatment()), goRuns(c, c.control())), lo, hi, goWhere(c));
        Sessions.Pair p = paired(c);
        if (p != null) {
            model = p.m().missing() ? model : Judgement.withinSessions(ratioBand(p.m().ratio(), lo, hi, p.where()), p.mw());
            go = p.g().missing() ? go : Judgement.withinSessions(ratioBand(p.g().ratio(), lo, hi, p.where()), p.gw());
            return decide(c, model, go, sessionRuns());
        }
        return decide(c, model, go, num, den);
    }

    /** The check's comparison in the paired sessions; null without them or when they measured neither side. */
    private Sessions.Pair paired(ClaimBook.Check c) {
        return sessions == null ? null : sessions.pair(c, goFigureName(c));
    }

    private static Side ratioBand(Stats.Ratio r, double lo, double hi, String where) {
        if (r == null) {
            return Side.missing(where);
        }
        String v = Judgement.ratioText(r);
        if (r.na() < Stats.MIN_RUNS || r.nb() < Stats.MIN_RUNS || Double.isNaN(r.lo())) {
            return new Side(v, Outcome.OPEN, r.p(), "too few runs: " + Math.min(r.na(), r.nb()) + " of "
                    + Stats.MIN_RUNS, where);
        }
        if (r.lo() >= lo && r.hi() <= hi) {
            return new Side(v, Outcome.PASS, r.p(), "", where);
        }
        if (r.hi() < lo || r.lo() > hi) {
            return new Side(v, Outcome.FAIL, r.p(), "", where);
        }
        return new Side(v, Outcome.OPEN, r.p(), "the interval straddles the tolerance", where);
    }

    /**
     * beyondControl: the claim says the treatment raises the figure beyond what the control (same CPU, no
     * defers) does, decided by the one rule ({@link EffectRule}): PASS when it finds an effect up; FAIL when it
     * finds no effect (the interval inside the equivalence margin) or an effect down; OPEN otherwise (the
     * control's CPU unmatched, too few runs, or an interval that straddles the margin, with the runs it
     * would need).
     */
    private Comparison beyondControl(ClaimBook.Check c) {
        JmhEntry num = modelCell(c, c.treatment());
        JmhEntry den = modelCell(c, c.control());
        boolean noRuns = withoutRuns(c.metric(), num, den);
        EffectRule.Judged m = noRuns ? null : EffectRule.model(num, den, c.metric());
        Side model = noRuns ? noRuns(num, c.metric())
                : Judgement.atSize(Judgement.effect(m, where(num), modelCpuNote(num, den)), m, c);
        int procs = goProcs(c);
        EffectRule.Judged g = procs < 0 ? EffectRule.judge(null, null)
                : EffectRule.go(realGo, goWorkload(c), procs, c.treatment(), c.control(), goFigure(c));
        String note = g.effect() == EffectRule.Effect.UNMATCHED ? goCpuNote(c, procs) : null;
        Side go = Judgement.atSize(Judgement.effect(g, goWhere(c), note), g, c);
        Sessions.Pair p = paired(c);
        if (p != null) {
            // the paired reference decides, against the article's size where the check gives it
            model = p.m().missing() ? model : Judgement.withinSessions(Judgement.decideAtSize(
                    Judgement.effect(p.m(), p.where(), Sessions.UNMATCHED), p.m(), c), p.mw());
            go = p.g().missing() ? go : Judgement.withinSessions(Judgement.decideAtSize(
                    Judgement.effect(p.g(), p.where(), Sessions.UNMATCHED), p.g(), c), p.gw());
            return decide(c, model, go, sessionRuns());
        }
        return decide(c, model, go, num, den);
    }

    /** Why the model's control is unmatched (its CPU per run against the treatment's). */
    private static String modelCpuNote(JmhEntry num, JmhEntry den) {
        if (num == null || den == null || Cells.cpu(num) == null || Cells.cpu(den) == null) {
            return "";
        }
        return Judgement.cpuNote(VerdictRules.median(Cells.cpu(den)), VerdictRules.median(Cells.cpu(num)));
    }

    /** Why real Go's control is unmatched (median cpuMs of its runs against the treatment's). */
    private String goCpuNote(ClaimBook.Check c, int procs) {
        return Judgement.cpuNote(Stats.median(EffectRule.goRuns(realGo, goWorkload(c), procs, c.control(), RealGo.Run::cpuMs)),
                Stats.median(EffectRule.goRuns(realGo, goWorkload(c), procs, c.treatment(), RealGo.Run::cpuMs)));
    }

    // ---- costs ----

    /**
     * linear (C12): the per-node cost of the check's strategy stays within {@link VerdictRules#LINEARITY_FACTOR}
     * over chain lengths >= {@link VerdictRules#LINEAR_MIN_LENGTH} (model), and real Go's per-node cost of its
     * chain lies within the absolute factor of the article's figure; the model's cost at its longest chain
     * too. PASS needs both the linearity and the figure.
     */
    private Comparison linear(ClaimBook.Check c) {
        List<JmhEntry> es = store.of(c.bench()).stream()
                .filter(e -> c.strategy().isEmpty() || e.param("strategy") == null // runs before the parameter
                        || c.strategy().equals(e.param("strategy")))
                .filter(e -> e.param("chainLength") != null && !Double.isNaN(e.primary().toNanos()))
                .collect(Collectors.toList());
        TreeMap<Double, JmhEntry> byLen = new TreeMap<>();
        for (JmhEntry e : es) {
            byLen.putIfAbsent(Double.parseDouble(e.param("chainLength")), e);
        }
        Side model;
        List<JmhEntry> used = new ArrayList<>(byLen.values());
        if (byLen.isEmpty()) {
            model = Side.missing(c.bench() + " strategy=" + c.strategy());
        } else {
            double min = Double.MAX_VALUE;
            double max = 0;
            int n = 0;
            StringBuilder per = new StringBuilder();
            for (var kv : byLen.entrySet()) {
                Metric m = kv.getValue().primary();
                per.append(per.length() > 0 ? ", " : "").append(kv.getValue().param("chainLength")).append(": ")
                        .append(Fmt.withErr(m.toNanos(), m.errorToNanos()));
                if (kv.getKey() >= VerdictRules.LINEAR_MIN_LENGTH) {
                    min = Math.min(min, m.toNanos());
                    max = Math.max(max, m.toNanos());
                    n++;
                }
            }
            JmhEntry longest = byLen.lastEntry().getValue();
            Metric lm = longest.primary();
            boolean linear = n >= 2 && max / min <= VerdictRules.LINEARITY_FACTOR;
            // the figure: JMH's 99.9 % interval (score ± error) of the longest chain against the band
            double lo = lm.toNanos() - lm.errorToNanos();
            double hi = lm.toNanos() + lm.errorToNanos();
            double blo = c.article() / VerdictRules.ABS_FACTOR;
            double bhi = c.article() * VerdictRules.ABS_FACTOR;
            Outcome fig = !lm.hasError() ? Outcome.OPEN : lo >= blo && hi <= bhi ? Outcome.PASS
                    : hi < blo || lo > bhi ? Outcome.FAIL : Outcome.OPEN;
            Outcome o = !linear && n >= 2 ? Outcome.FAIL : fig == Outcome.FAIL ? Outcome.FAIL
                    : linear && fig == Outcome.PASS ? Outcome.PASS : Outcome.OPEN;
            model = new Side("ns per node by length (" + c.strategy() + ") " + per + "; max/min over lengths >= "
                    + VerdictRules.LINEAR_MIN_LENGTH + " " + (n >= 2 ? Fmt.ratio(max / min) : "n/a") + " (linear: "
                    + (n >= 2 ? (linear ? "yes" : "no") : "not checked") + ")", o, Double.NaN,
                    fig == Outcome.OPEN ? "the cost's interval (score ± JMH error) straddles the tolerance" : "",
                    where(longest));
        }
        Side go = goCostSide(c);
        return decide(c, model, go, used.toArray(new JmhEntry[0]));
    }

    /** goCost: real Go's cost per defer (testing.Benchmark, a point estimate) within the absolute factor. */
    private Comparison goCost(ClaimBook.Check c) {
        return decide(c, Side.missing("the model's costs are not Go's (see the allocator tables)"), goCostSide(c));
    }

    private Side goCostSide(ClaimBook.Check c) {
        RealGo.Cost cost = realGo == null || c.goCost().isEmpty() ? null : realGo.cost(c.goCost());
        if (cost == null) {
            return Side.missing("");
        }
        double v = cost.nsPerDefer();
        boolean in = VerdictRules.withinFactor(v, c.article(), VerdictRules.ABS_FACTOR);
        return new Side(Fmt.num(v) + " ns per defer, \"" + cost.name() + "\" (" + cost.kind() + "; testing.Benchmark, "
                + "a point estimate)", in ? Outcome.PASS : Outcome.FAIL, Double.NaN, "",
                "[" + realGo.run.name() + ", " + realGo.goVersion + "]");
    }

    // ---- profiles ----

    /**
     * flameShare (C6): the article's flame-graph width of the find/steal path grows by the check's factor
     * with defers. Profiles are single measurements (shares of CPU samples, no interval): the growth
     * holds when defer / none lies within {@link VerdictRules#RATIO_FACTOR} of the article's factor and the
     * defer share exceeds cpu_control's by {@link VerdictRules#NO_ERROR_MARGIN}; it does not hold when
     * cpu_control's share reaches the defer share (the growth is CPU time). Real Go's profiles have defer
     * and cpu_control only, so real Go can refute but not confirm.
     */
    private Comparison flameShare(ClaimBook.Check c) {
        FlameShares.Row none = FlameShares.find(flames, c.bench(), "none");
        FlameShares.Row def = FlameShares.find(flames, c.bench(), "defer");
        FlameShares.Row cpu = FlameShares.find(flames, c.bench(), "cpu_control");
        Side model;
        if (none == null || def == null || none.samples() == 0 || def.samples() == 0) {
            model = Side.missing("results/flamegraphs/");
        } else {
            double ratio = none.share() == 0 ? Double.NaN : def.share() / none.share();
            boolean ratioOk = VerdictRules.withinFactor(ratio, c.article(), VerdictRules.RATIO_FACTOR);
            boolean beyondCpu = cpu != null && def.share() > cpu.share() * (1 + VerdictRules.NO_ERROR_MARGIN);
            model = new Side("find/steal share none " + FlameShares.pct(none.share()) + " of " + none.samples()
                    + " samples, defer " + FlameShares.pct(def.share()) + " of " + def.samples() + " (" + Fmt.ratio(ratio)
                    + ")" + (cpu == null ? "" : ", cpu_control " + FlameShares.pct(cpu.share()) + " of " + cpu.samples()),
                    ratioOk && beyondCpu ? Outcome.PASS : Outcome.FAIL, Double.NaN,
                    ratioOk ? (beyondCpu ? "" : "cpu_control's share matches: the growth is CPU time")
                            : "the share does not grow as the article's width does", "[" + def.file() + "]");
        }
        Side go = Side.missing("");
        RealGo.Profile gd = realGo == null ? null : realGo.profile(goWorkload(c), "defer");
        RealGo.Profile gc = realGo == null ? null : realGo.profile(goWorkload(c), "cpu_control");
        if (gd != null && gc != null && gd.shares().containsKey("findRunnable")) {
            double d = gd.shares().get("findRunnable");
            double k = gc.shares().getOrDefault("findRunnable", Double.NaN);
            boolean refuted = !(d > k * (1 + VerdictRules.NO_ERROR_MARGIN));
            go = new Side("findrunnable share defer " + Fmt.pct(d) + " of " + gd.samples() + " samples, cpu_control "
                    + Fmt.pct(k) + " of " + gc.samples(), refuted ? Outcome.FAIL : Outcome.OPEN, Double.NaN,
                    refuted ? "cpu_control's share reaches the defer share: no growth beyond CPU time"
                            : "no profile without defers to check the growth factor",
                    "[" + realGo.run.name() + ", " + realGo.goVersion + "]");
        }
        return new Comparison(c, model, go, go.outcome() == Outcome.FAIL ? "real Go" : "model", List.of());
    }
}
