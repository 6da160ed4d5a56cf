package dev.gmpdefer.report.judge;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.ToDoubleFunction;

/**
 * The paired reference (issue 22, items 3 and 4): the latest series of at least {@link #MIN_SESSIONS} paired
 * sessions (scripts/run.sh paired, one folder each, holding the model's JMH results and real Go's realgo.json
 * of one session), read as one sample of sessions, each of runs. A series is the sessions whose ids differ
 * only in a final {@code -s<N>} ("2026-12-07-final-s1", "-s2", "-s3"). Each comparison is a ratio of pooled
 * medians with two intervals ({@link Stats#sessions}): across sessions (the sessions resampled, then the runs
 * within them: what decides) and within them (the sessions held fixed: what one session's noise allows).
 * Model and real Go are compared only within the sessions, and the agreement in magnitude is the ratio of
 * their effects, resampled by the same sessions.
 */
public final class Sessions {
    /** The fewest paired sessions that make a session-aware interval. */
    public static final int MIN_SESSIONS = 3;

    /** Why a session-aware comparison with cpu_control decides nothing. */
    static final String UNMATCHED = "unmatched: the control's median CPU per run over the sessions' pooled runs lies "
            + "outside [" + Fmt.num(VerdictRules.CONTROL_MATCH_LOW) + ", " + Fmt.num(VerdictRules.CONTROL_MATCH_HIGH)
            + "] of the treatment's";

    /** The series' name ("2026-12-07-final"). */
    public final String series;
    /** Real Go of each session, in the listing order. */
    public final List<RealGo> go;
    /** The model's results of each session, in the same order. */
    final List<ResultStore> model;
    /** Each comparison is resampled once per report, whichever table asks first (the claims, README, the plot). */
    private final Map<String, Object> memo = new java.util.HashMap<>();

    @SuppressWarnings("unchecked")
    private <T> T memo(String key, java.util.function.Supplier<T> f) {
        if (!memo.containsKey(key)) {
            memo.put(key, f.get());
        }
        return (T) memo.get(key);
    }

    private Sessions(String series, List<RealGo> go, List<ResultStore> model) {
        this.series = series;
        this.go = go;
        this.model = model;
    }

    /** The series a session id belongs to: the id without a final "-s<N>" (the id itself otherwise). */
    static String seriesOf(String session) {
        return session.replaceFirst("-s\\d+$", "");
    }

    /**
     * The latest listed series with at least {@link #MIN_SESSIONS} sessions; null when there is none. Reads
     * each session's model results from its folder.
     */
    public static Sessions of(List<RealGo> all) {
        Map<String, List<RealGo>> bySeries = new LinkedHashMap<>(); // latest listed first, as loadAll gives them
        for (RealGo g : RealGo.sessions(all)) {
            bySeries.computeIfAbsent(seriesOf(g.session), k -> new ArrayList<>()).add(0, g);
        }
        for (Map.Entry<String, List<RealGo>> e : bySeries.entrySet()) {
            if (e.getValue().size() >= MIN_SESSIONS) {
                List<ResultStore> model = new ArrayList<>();
                for (RealGo g : e.getValue()) {
                    try {
                        model.add(ResultStore.load(List.of(g.dir)));
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
                return new Sessions(e.getKey(), List.copyOf(e.getValue()), List.copyOf(model));
            }
        }
        return null;
    }

    public int size() {
        return go.size();
    }

    /** "[3 paired sessions 2026-12-07-final-s1..s3]" for evidence lines. */
    public String where() {
        return "[" + size() + " paired sessions " + go.get(0).session + ".." + go.get(size() - 1).session
                .substring(series.length() + 1) + "]";
    }

    /** The model's cell of one session: the configuration rule's at {@code procs} (density 10). */
    private static JmhEntry cell(ResultStore s, String bench, double procs, String treatment) {
        List<JmhEntry> es = s.of(bench);
        SortedMap<String, String> cfg = Cells.config(es, procs, VerdictRules.ARTICLE_DENSITY);
        return cfg == null ? null : Cells.find(es, treatment, cfg);
    }

    /** The model's procs for the configuration rule at {@code procs} in the first session; null if none. */
    public String modelProcs(String bench, double procs) {
        SortedMap<String, String> cfg = Cells.config(model.get(0).of(bench), procs, VerdictRules.ARTICLE_DENSITY);
        return cfg == null ? null : cfg.get(Parameter.PROCS.id);
    }

    private double[][] modelRuns(String bench, double procs, String treatment, String metric) {
        double[][] out = new double[size()][];
        for (int s = 0; s < size(); s++) {
            JmhEntry e = cell(model.get(s), bench, procs, treatment);
            out[s] = Distributions.FAST_SHARE.equals(metric) ? fastShares(model.get(s), e) : EffectRule.modelRuns(e, metric);
        }
        return out;
    }

    /** The fast-start share of each of a cell's runs, from the histograms the run exported. */
    private static double[] fastShares(ResultStore s, JmhEntry e) {
        try {
            return Distributions.modelByRun(s, e).stream()
                    .mapToDouble(h -> Distributions.shareAtOrBelow(h, Distributions.FAST_START_US))
                    .filter(x -> !Double.isNaN(x)).toArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private double[][] goRuns(String workload, int procs, String treatment, ToDoubleFunction<RealGo.Run> f) {
        double[][] out = new double[size()][];
        for (int s = 0; s < size(); s++) {
            out[s] = EffectRule.goRuns(go.get(s), workload, procs, treatment, f);
        }
        return out;
    }

    /** Real Go's GOMAXPROCS nearest {@code target} for a workload (the first session's); -1 when none. */
    public int goProcs(String workload, int target) {
        return go.get(0).nearestProcs(workload, target);
    }

    /** The model's comparison num / den of one cell over the sessions, with the CPU match over the pooled runs. */
    public EffectRule.Judged model(String bench, double procs, String num, String den, String metric, boolean across) {
        return memo("model " + bench + " " + procs + " " + num + "/" + den + " " + metric + " " + across,
                () -> modelJudged(bench, procs, num, den, metric, across));
    }

    private EffectRule.Judged modelJudged(String bench, double procs, String num, String den, String metric,
                                          boolean across) {
        Stats.Ratio r = Stats.sessions(new double[][][] {modelRuns(bench, procs, num, metric),
                modelRuns(bench, procs, den, metric)}, Stats.RATIO, across);
        Boolean matched = null;
        if (EffectRule.CPU_CONTROL.equals(den)) {
            double[][] a = new double[size()][];
            double[][] b = new double[size()][];
            for (int s = 0; s < size(); s++) {
                a[s] = cpuRuns(cell(model.get(s), bench, procs, num));
                b[s] = cpuRuns(cell(model.get(s), bench, procs, den));
            }
            matched = pooledMatch(a, b);
        }
        return EffectRule.judge(r, matched);
    }

    /** Real Go's comparison num / den of one cell over the sessions, with the CPU match over the pooled runs. */
    public EffectRule.Judged go(String workload, int procs, String num, String den, String figure, boolean across) {
        ToDoubleFunction<RealGo.Run> f = figure == null ? null : RealGo.figure(figure);
        if (f == null || procs < 0) {
            return EffectRule.judge(null, null);
        }
        return memo("go " + workload + " " + procs + " " + num + "/" + den + " " + figure + " " + across,
                () -> goJudged(workload, procs, num, den, f, across));
    }

    private EffectRule.Judged goJudged(String workload, int procs, String num, String den, ToDoubleFunction<RealGo.Run> f,
                                       boolean across) {
        Stats.Ratio r = Stats.sessions(new double[][][] {goRuns(workload, procs, num, f), goRuns(workload, procs, den, f)},
                Stats.RATIO, across);
        Boolean matched = null;
        if (EffectRule.CPU_CONTROL.equals(den)) {
            matched = pooledMatch(goRuns(workload, procs, num, RealGo.Run::cpuMs),
                    goRuns(workload, procs, den, RealGo.Run::cpuMs));
        }
        return EffectRule.judge(r, matched);
    }

    private static double[] cpuRuns(JmhEntry e) {
        Metric m = Cells.cpu(e);
        return m == null ? new double[0] : m.runs();
    }

    /**
     * The CPU match of the pooled comparison (the statistic compares pooled medians, so the control must burn
     * the treatment's CPU over the pooled runs of every session); null when not recorded.
     */
    private static Boolean pooledMatch(double[][] treatment, double[][] control) {
        return EffectRule.cpuMatched(java.util.Arrays.stream(treatment).flatMapToDouble(java.util.Arrays::stream).toArray(),
                java.util.Arrays.stream(control).flatMapToDouble(java.util.Arrays::stream).toArray());
    }

    /**
     * The model's effect over real Go's for one cell, (model num / den) / (Go num / den), with its interval
     * across sessions; null when a cell is missing. The model at {@code modelProcs}, real Go at {@code goProcs}.
     */
    public Stats.Ratio magnitude(String bench, double modelProcs, int goProcs, String num, String den, String metric) {
        return memo("magnitude " + bench + " " + modelProcs + " " + goProcs + " " + num + "/" + den + " " + metric,
                () -> magnitudeOf(bench, modelProcs, goProcs, num, den, metric));
    }

    private Stats.Ratio magnitudeOf(String bench, double modelProcs, int goProcs, String num, String den, String metric) {
        ToDoubleFunction<RealGo.Run> f = RealGo.figure(metric);
        String w = RealGo.workloadOf(bench);
        if (f == null) {
            return null;
        }
        return Stats.sessions(new double[][][] {modelRuns(bench, modelProcs, num, metric),
                modelRuns(bench, modelProcs, den, metric), goRuns(w, goProcs, num, f), goRuns(w, goProcs, den, f)},
                Stats.RATIO_OF_RATIOS, true);
    }

    /** A check's two cells in the paired sessions: across and within sessions, model and real Go. */
    public record Pair(EffectRule.Judged m, EffectRule.Judged mw, EffectRule.Judged g, EffectRule.Judged gw,
                       String where) {
    }

    /**
     * A two-cell check's comparison (treatment / control at the article's procs) in the sessions, real Go's
     * figure named {@code f} ({@link RealGo#figure}); null when the sessions measured neither side.
     */
    Pair pair(ClaimBook.Check c, String f) {
        String w = RealGo.workloadOf(c.bench());
        int gp = goProcs(w, VerdictRules.ARTICLE_PROCS);
        Pair p = new Pair(model(c.bench(), VerdictRules.ARTICLE_PROCS, c.treatment(), c.control(), c.metric(), true),
                model(c.bench(), VerdictRules.ARTICLE_PROCS, c.treatment(), c.control(), c.metric(), false),
                go(w, gp, c.treatment(), c.control(), f, true), go(w, gp, c.treatment(), c.control(), f, false), where());
        return p.m().missing() && p.g().missing() ? null : p;
    }
}
