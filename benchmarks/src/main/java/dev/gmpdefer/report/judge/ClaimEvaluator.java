package dev.gmpdefer.report.judge;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Gives every claim its verdict. A measured claim's checks (claims.json) are judged by the small evaluators
 * of {@link Checks}, real Go first where it measured; the claim's verdict combines them by one rule
 * ({@link #combine}). Source-based and not-testable verdicts come from the register ({@link ClaimBook}) with
 * their Go citations. Attachments (named in claims.json) add measured context to a claim without deciding it.
 */
public final class ClaimEvaluator {

    /** A claim with its verdict, its comparisons and what it rests on. */
    public record Result(ClaimBook.Claim claim, String model, String go, Verdict verdict, List<String> evidence,
                  SortedSet<String> runs, String decidedBy) {
    }

    /** Family-wise error rate for the Holm-adjusted p-values of one claim's two-cell comparisons. */
    static final double ALPHA = 0.05;

    static final String P50 = "sched.latency.p50";
    static final String P95 = "sched.latency.p95";
    static final String MEAN = "sched.latency.mean";
    static final String RUNNEXT_SHARE = "sched.runnext.share";

    private final ResultStore store;
    private final ClaimBook book;
    /** The real Go cross-check, or null when none is committed. */
    private final RealGo realGo;
    private final Checks checks;

    public ClaimEvaluator(ResultStore store, ClaimBook book) {
        this(store, book, List.of());
    }

    public ClaimEvaluator(ResultStore store, ClaimBook book, List<FlameShares.Row> flames) {
        this(store, book, flames, null);
    }

    public ClaimEvaluator(ResultStore store, ClaimBook book, List<FlameShares.Row> flames, RealGo realGo) {
        this(store, book, flames, realGo, null);
    }

    /**
     * With {@code sessions} (the paired reference, or null), the two-cell checks (ratio, beyondControl) are
     * decided by their session-aware intervals wherever the sessions measured both cells (issue 22, item 3).
     */
    public ClaimEvaluator(ResultStore store, ClaimBook book, List<FlameShares.Row> flames, RealGo realGo,
                          Sessions sessions) {
        this.store = store;
        this.book = book;
        this.realGo = realGo;
        this.checks = new Checks(store, realGo, flames, sessions);
    }

    public List<Result> evaluate() {
        List<Result> out = new ArrayList<>();
        for (ClaimBook.Claim c : book.claims()) {
            out.add(evaluate(c));
        }
        return out;
    }

    private Result evaluate(ClaimBook.Claim c) {
        Builder b = new Builder(c);
        for (ClaimBook.Attachment a : c.attach()) {
            attach(a, b);
        }
        String decidedBy;
        String go = "-";
        if (c.measured()) {
            List<Judgement.Comparison> cs = new ArrayList<>();
            for (ClaimBook.Check k : c.checks()) {
                cs.add(checks.evaluate(k));
            }
            double[] holm = holm(cs);
            List<Judgement.Outcome> outcomes = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < cs.size(); i++) {
                Judgement.Comparison x = cs.get(i);
                Judgement.Outcome o = x.outcome();
                String note = "";
                if (o == Judgement.Outcome.PASS && x.check().evaluator() == ClaimBook.Evaluator.BEYOND_CONTROL
                        && !(holm[i] < ALPHA)) {
                    o = Judgement.Outcome.OPEN; // an effect needs its interval and the corrected test
                    note = "the interval is beyond the margin but the Holm-adjusted p is not below " + ALPHA;
                }
                outcomes.add(o);
                lines.add(x.line(holm[i], o, note));
                x.runs().forEach(b.runs::add);
            }
            b.verdict = combine(outcomes);
            b.evidence.addAll(0, lines);
            if (cs.stream().anyMatch(x -> x.model().outcome() != Judgement.Outcome.MISSING)) {
                b.model = cs.stream().map(x -> cellText(cs, x, x.model())).collect(Collectors.joining("; "));
            }
            if (cs.stream().anyMatch(x -> x.go().outcome() != Judgement.Outcome.MISSING)) {
                go = cs.stream().map(x -> cellText(cs, x, x.go())).collect(Collectors.joining("; "));
            }
            decidedBy = cs.stream().map(Judgement.Comparison::decidedBy).distinct().sorted()
                    .collect(Collectors.joining(" + "));
            if (b.model == null || b.model.isEmpty()) {
                b.model = "-";
            }
        } else {
            b.verdict = c.verdict();
            if (!c.reason().isEmpty()) {
                b.evidence.add(0, c.reason());
            }
            decidedBy = c.verdict() == Verdict.NOT_TESTABLE ? "reason given" : "Go source";
        }
        b.evidence.addAll(c.evidence());
        return new Result(c, b.model == null ? "-" : b.model, go, b.verdict, List.copyOf(b.evidence), b.runs,
                decidedBy);
    }

    private static String cellText(List<Judgement.Comparison> cs, Judgement.Comparison x, Judgement.Side s) {
        String v = s.outcome() == Judgement.Outcome.MISSING ? "-" : s.value();
        return cs.size() == 1 ? v : x.check().label() + ": " + v;
    }

    /** Holm-adjusted p-values of the deciding sides' two-cell comparisons (NaN where a check has none). */
    private static double[] holm(List<Judgement.Comparison> cs) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            if (!Double.isNaN(cs.get(i).decider().p())) {
                idx.add(i);
            }
        }
        double[] p = new double[idx.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = cs.get(idx.get(k)).decider().p();
        }
        double[] adj = Stats.holm(p);
        double[] out = new double[cs.size()];
        java.util.Arrays.fill(out, Double.NaN);
        for (int k = 0; k < p.length; k++) {
            out[idx.get(k)] = adj[k];
        }
        return out;
    }

    /**
     * The claim's verdict from its checks' outcomes, stated once: nothing measured -> no committed run yet;
     * any check that does not hold -> not reproduced; every check holds -> reproduced; otherwise (some
     * undecided or not measured, none failed) -> inconclusive.
     */
    public static Verdict combine(List<Judgement.Outcome> outcomes) {
        if (outcomes.stream().allMatch(o -> o == Judgement.Outcome.MISSING)) {
            return Verdict.PENDING;
        }
        if (outcomes.contains(Judgement.Outcome.FAIL)) {
            return Verdict.NOT_REPRODUCED;
        }
        if (outcomes.stream().allMatch(o -> o == Judgement.Outcome.PASS)) {
            return Verdict.REPRODUCED;
        }
        return Verdict.INCONCLUSIVE;
    }

    private void attach(ClaimBook.Attachment name, Builder b) {
        switch (name) {
            case SETUP: attachSetup(b); break;
            case HYPOTHESIS: attachHypothesis(b); break;
            case ASSISTS: attachAssists(b); break;
            case RECORD_BYTES: attachRecordBytes(b); break;
            case PLAUSIBILITY: attachPlausibility(b); break;
            case ALLOCATORS: attachAllocators(b); break;
            default: throw new AssertionError(name);
        }
    }

    private static final class Builder {
        final ClaimBook.Claim claim;
        String model;
        Verdict verdict;
        final List<String> evidence = new ArrayList<>();
        final SortedSet<String> runs = new TreeSet<>();

        Builder(ClaimBook.Claim claim) {
            this.claim = claim;
        }

        void used(JmhEntry... es) {
            for (JmhEntry e : es) {
                if (e != null) {
                    runs.add(e.run().name());
                }
            }
        }
    }

    /** The article's configuration in ArticleGoschedBench, or null. */
    private SortedMap<String, String> articleConfig(List<JmhEntry> es) {
        return Cells.config(es, VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY);
    }

    private static String at(JmhEntry e) {
        return "[" + e.run().name() + ": " + e.benchClass() + " " + e.paramString() + "]";
    }

    private void attachSetup(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        if (es.isEmpty()) {
            b.evidence.add("ArticleGoschedBench: no committed run yet.");
            return;
        }
        b.model = "ArticleGoschedBench: procs " + String.join("/", ResultStore.values(es, Parameter.PROCS.id))
                + ", density " + String.join("/", ResultStore.values(es, Parameter.DENSITY.id));
        b.used(es.get(0));
        b.evidence.add("Measured configurations: treatments " + String.join(", ", Cells.treatments(es))
                + "; runs " + es.stream().map(e -> e.run().name()).distinct().collect(Collectors.joining(", "))
                + ".");
    }

    private void attachHypothesis(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        SortedMap<String, String> cfg = articleConfig(es);
        JmhEntry hyp = Cells.find(es, "article_hypothesis", cfg);
        if (hyp == null && cfg != null) { // the what-if runs with the GC off only: compare it with GC off
            cfg = new TreeMap<>(cfg);
            cfg.remove(Parameter.GOGC.id);
            hyp = Cells.find(es, "article_hypothesis", cfg);
        }
        JmhEntry def = Cells.find(es, "defer", cfg);
        if (hyp == null) {
            b.evidence.add("ArticleGoschedBench article_hypothesis: no committed run yet.");
            return;
        }
        b.used(hyp, def);
        Metric h50 = Cells.micros(hyp, P50);
        Metric h95 = Cells.micros(hyp, P95);
        b.model = "hypothetical variant: P50 " + Fmt.withErr(h50) + " us, P95 " + Fmt.withErr(h95) + " us";
        b.evidence.add("What the claimed mechanism would produce (labelled hypothetical model variant) " + at(hyp)
                + ": P50 " + Fmt.withErr(h50) + " us, P95 " + Fmt.withErr(h95) + " us, requeues to the global "
                + "queue " + Fmt.withErr(hyp.metric("hypothetical.requeues")) + ", global-queue share of starts "
                + Fmt.pct(globalShare(hyp)) + "; real defer treatment: global share " + Fmt.pct(globalShare(def))
                + ".");
    }

    /**
     * C9's GC route: an allocating newdefer may assist the GC, park in gcParkAssist, and be woken by
     * gcFlushBgCredit (ready: the waker's local queue) or, at mark termination, by gcWakeAllAssists
     * (injectglist: the global queue when the caller has no P). The model counts both per run; the same
     * counts under alloc_control (the same allocations, no defers) show whether defers add anything.
     */
    private void attachAssists(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        SortedMap<String, String> cfg = articleConfig(es);
        List<String> parts = new ArrayList<>();
        for (String t : List.of("none", "defer", "cpu_control", "alloc_control")) {
            JmhEntry e = Cells.find(es, t, cfg);
            if (e == null || e.metric("gc.assist.parks") == null) {
                continue;
            }
            b.used(e);
            parts.add(t + ": " + Fmt.withErr(e.metric("gc.cycles")) + " cycles, " + Fmt.withErr(e.metric("gc.assist.parks"))
                    + " assist parks, " + Fmt.withErr(e.metric("gc.assist.global.wakes"))
                    + " woken onto the global queue at mark termination");
        }
        if (parts.isEmpty()) {
            b.evidence.add("The GC route (assist -> park -> wake-up) is not in the committed model runs: they ran "
                    + "with the model's GC off.");
            return;
        }
        b.evidence.add("Measured, the GC route (model, ArticleGoschedBench " + Cells.describe(cfg)
                + ", per run): " + String.join("; ", parts) + ". Any allocation takes this route; alloc_control "
                + "allocates as much as the defers without deferring.");
        if (realGo != null) {
            int p = realGo.nearestProcs(RealGo.ARTICLE, VerdictRules.ARTICLE_PROCS);
            List<String> g = new ArrayList<>();
            for (String t : List.of("none", "defer", "alloc_control")) {
                Metric stw = realGo.stat(RealGo.ARTICLE, p, t, RealGo.Run::stwUs, "us");
                Metric cyc = realGo.stat(RealGo.ARTICLE, p, t, r -> r.gcCycles(), "");
                if (cyc != null) {
                    g.add(t + " " + Fmt.withErr(cyc) + " cycles, stop-the-world " + Fmt.withErr(stw) + " us");
                }
            }
            if (!g.isEmpty()) {
                b.evidence.add(realGo.at(RealGo.ARTICLE, p) + ": " + String.join("; ", g)
                        + " (mean ± sd over runs; cycles and pauses only: the GC's CPU is read by difference, "
                        + "defer − defer_gcoff, in the real-Go section).");
            }
        }
    }

    private static double globalShare(JmhEntry e) {
        if (e == null) {
            return Double.NaN;
        }
        Metric f = e.metric("sched.starts.global.fairness");
        Metric g = e.metric("sched.starts.global.batch");
        Metric s = e.metric("sched.starts");
        if (s == null || s.score() <= 0 || (f == null && g == null)) {
            return Double.NaN;
        }
        return ((f == null ? 0 : f.score()) + (g == null ? 0 : g.score())) / s.score();
    }

    private void attachRecordBytes(Builder b) {
        List<JmhEntry> es = store.of(Allocators.BENCH).stream()
                .filter(e -> "HEAP".equals(e.param("strategy")) && e.metric(Allocators.ALLOC_NORM) != null)
                .collect(Collectors.toList());
        for (JmhEntry e : es) {
            if ("1".equals(e.param("defersPerCall"))) {
                b.used(e);
                b.evidence.add("Model, for comparison (Java objects, not Go's layout): HEAP strategy allocates "
                        + Fmt.num(e.metric(Allocators.ALLOC_NORM).score()) + " B per defer " + at(e) + ".");
            }
        }
    }

    /** Cost per defer of the compiler-like strategy at the defer count nearest {@code defers}; null if absent. */
    private JmhEntry allocEntry(String strategy, double defers) {
        List<JmhEntry> es = store.of(Allocators.BENCH).stream().filter(e -> !Allocators.isBaseline(e))
                .filter(e -> strategy.equals(e.param("strategy"))).collect(Collectors.toList());
        if (es.isEmpty()) {
            return null;
        }
        String d = Cells.nearest(ResultStore.values(es, "defers"), defers);
        List<String> layouts = ResultStore.values(es, "layout");
        String layout = layouts.stream().filter(x -> x.endsWith("48")).findFirst()
                .orElse(layouts.isEmpty() ? null : layouts.get(0)); // "48" or the enum name GO122_48
        return es.stream().filter(e -> d == null || d.equals(e.param("defersPerCall")))
                .filter(e -> layout == null || layout.equals(e.param("layout"))).findFirst().orElse(es.get(0));
    }

    /**
     * The plausibility check of a not-testable claim: the model's per-defer cost times the defers that separate
     * the article's two request levels, against the article's difference in average latency. The article's
     * figures come from the claim's {@code figures} in claims.json (defersHigh, defersLow, avgMsHigh,
     * avgMsLow).
     */
    private void attachPlausibility(Builder b) {
        Map<String, Double> f = b.claim.figures();
        for (String k : List.of("defersHigh", "defersLow", "avgMsHigh", "avgMsLow")) {
            if (!f.containsKey(k)) {
                throw new IllegalArgumentException("claims.json: claim " + b.claim.id()
                        + " attaches plausibility but has no figures." + k);
            }
        }
        int high = (int) Math.round(f.get("defersHigh"));
        int extra = high - (int) Math.round(f.get("defersLow"));
        java.math.BigDecimal hi = java.math.BigDecimal.valueOf(f.get("avgMsHigh"));
        java.math.BigDecimal lo = java.math.BigDecimal.valueOf(f.get("avgMsLow"));
        double diffMs = hi.subtract(lo).doubleValue(); // the article's figures as written: 12.8 - 7.1 = 5.7
        JmhEntry e = allocEntry(VerdictRules.DEFAULT_STRATEGY, high);
        if (e == null) {
            b.evidence.add("DeferAllocBench: no committed run yet, so the plausibility check is not computed.");
            return;
        }
        b.used(e);
        double ns = e.primary().toNanos();
        b.model = extra + " defers x " + Fmt.num(ns) + " ns = " + Fmt.num(extra * ns / 1000.0) + " us per request";
        b.evidence.add(String.format(Locale.ROOT, "Plausibility: %d extra defers per request at the model's %s ns "
                + "per defer %s cost %s us, against the article's %s ms (%s - %s) difference in average latency, "
                + "a factor %s apart.", extra, Fmt.num(ns), at(e), Fmt.num(extra * ns / 1000.0),
                hi.subtract(lo).stripTrailingZeros().toPlainString(), hi.stripTrailingZeros().toPlainString(),
                lo.stripTrailingZeros().toPlainString(), Fmt.num(diffMs * 1e6 / (extra * ns))));
    }

    private void attachAllocators(Builder b) {
        List<String> parts = new ArrayList<>();
        for (String s : List.of("HEAP", "POOLED", "OFFHEAP", "STACK", "OPEN_CODED", "GO_COMPILER")) {
            JmhEntry e = allocEntry(s, 1);
            if (e != null) {
                b.used(e);
                parts.add(s + " " + Fmt.withErr(e.primary().toNanos(), e.primary().errorToNanos()) + " ns");
            }
        }
        if (parts.isEmpty()) {
            b.evidence.add("DeferAllocBench: no committed run yet (model's per-strategy costs not shown).");
            return;
        }
        b.model = String.join("; ", parts);
        b.evidence.add("Model's cost per defer by strategy (fewest defers measured, layout 48 when measured): "
                + b.model + ". See the allocator table below.");
    }
}
