package dev.gmpdefer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Gives every claim its verdict: source-based and not-testable verdicts come from the register
 * ({@link ClaimBook}); measured ones are computed here from the results with {@link VerdictRules}.
 * Measured evidence is also attached to some source-based claims (e.g. the hypothetical variant to C9).
 */
final class ClaimEvaluator {

    /** A claim with its verdict and what it rests on. */
    record Result(ClaimBook.Claim claim, String model, Verdict verdict, List<String> evidence,
                  SortedSet<String> runs) {
    }

    static final String P50 = "sched.latency.p50";
    static final String P95 = "sched.latency.p95";
    static final String MEAN = "sched.latency.mean";
    static final String RUNNEXT_SHARE = "sched.runnext.share";

    private final ResultStore store;
    private final ClaimBook book;
    private final List<FlameShares.Row> flames;
    /** The real Go cross-check, or null when none is committed. */
    private final RealGo realGo;

    ClaimEvaluator(ResultStore store, ClaimBook book) {
        this(store, book, List.of());
    }

    ClaimEvaluator(ResultStore store, ClaimBook book, List<FlameShares.Row> flames) {
        this(store, book, flames, null);
    }

    ClaimEvaluator(ResultStore store, ClaimBook book, List<FlameShares.Row> flames, RealGo realGo) {
        this.store = store;
        this.book = book;
        this.flames = flames;
        this.realGo = realGo;
    }

    List<Result> evaluate() {
        List<Result> out = new ArrayList<>();
        for (ClaimBook.Claim c : book.claims()) {
            out.add(evaluate(c));
        }
        return out;
    }

    private Result evaluate(ClaimBook.Claim c) {
        Builder b = new Builder(c);
        switch (c.id()) {
            case "C1":
                attachSetup(b);
                break;
            case "C2":
                c2(b);
                break;
            case "C3":
                c3(b);
                break;
            case "C4":
                c4(b);
                break;
            case "C6":
                c6(b);
                break;
            case "C9":
                attachHypothesis(b);
                break;
            case "C11":
                attachRecordBytes(b);
                break;
            case "C12":
                c12(b);
                break;
            case "C14":
                c14(b);
                break;
            case "C16":
                attachC16(b);
                break;
            case "C17":
                attachAllocators(b);
                break;
            case "C18":
                attachSwitchCost(b);
                break;
            default:
                break;
        }
        if (!c.measured()) {
            b.verdict = c.verdict();
            if (!c.reason().isEmpty()) {
                b.evidence.add(0, c.reason());
            }
        } else if (b.verdict == null) {
            b.verdict = Verdict.PENDING;
        }
        realGoEvidence(c.id(), b);
        b.evidence.addAll(c.evidence());
        return new Result(c, b.model == null ? "-" : b.model, b.verdict, List.copyOf(b.evidence), b.runs);
    }

    /**
     * The real Go runtime's figures for the claims it measures (C3, C4, C12, C17), as evidence beside the
     * model's; the verdicts stay those of the rules above.
     */
    private void realGoEvidence(String id, Builder b) {
        if (realGo == null) {
            return;
        }
        String art = RealGo.ARTICLE;
        int p = realGo.nearestProcs(art, VerdictRules.ARTICLE_PROCS);
        switch (id) {
            case "C3": {
                Metric p50 = realGo.stat(art, p, "none", RealGo.Run::p50Us, "us");
                Metric p95 = realGo.stat(art, p, "none", RealGo.Run::p95Us, "us");
                if (p50 != null) {
                    b.evidence.add(realGo.at(art, p) + ", the article's program without defers: P50 "
                            + Fmt.withErr(p50) + " us, P95 " + Fmt.withErr(p95) + " us (runtime's /sched/latencies; "
                            + "± sd over runs).");
                }
                break;
            }
            case "C4": {
                String e = realGo.effect(art, p);
                if (e != null) {
                    Metric d95 = realGo.stat(art, p, "defer", RealGo.Run::p95Us, "us");
                    b.evidence.add(realGo.at(art, p) + " (" + realGo.params(art) + "): defer P95 " + Fmt.withErr(d95)
                            + " us. " + e);
                }
                break;
            }
            case "C6": {
                for (String t : List.of("defer", "cpu_control")) {
                    RealGo.Profile pr = realGo.profile(art, t);
                    if (pr != null && pr.shares().containsKey("runqsteal")) {
                        b.evidence.add(String.format(Locale.ROOT, "Real Go %s [%s], %s %s at GOMAXPROCS=%d: %s of "
                                + "%d CPU samples under schedule -> findrunnable -> runqsteal, %s under findrunnable.",
                                realGo.goVersion, realGo.run.name(), art, t, pr.procs(),
                                Fmt.pct(pr.shares().get("runqsteal")), pr.samples(),
                                Fmt.pct(pr.shares().getOrDefault("findRunnable", Double.NaN))));
                    }
                }
                break;
            }
            case "C12": {
                RealGo.Cost c = realGo.cost("chain");
                if (c != null) {
                    b.evidence.add(String.format(Locale.ROOT, "Real Go %s [%s]: a chain of %d deferred calls in a "
                            + "loop costs %s ns per node (registering and running it), %d B/op.", realGo.goVersion,
                            realGo.run.name(), c.defers(), Fmt.num(c.nsPerDefer()), c.bytesPerOp()));
                }
                break;
            }
            case "C14": {
                String w = "DeferStarvation";
                for (int procs : realGo.procs(w)) {
                    List<String> parts = new ArrayList<>();
                    for (String t : List.of("none", "defer", "cpu_control")) {
                        Metric mean = realGo.stat(w, procs, t, r -> r.own(RealGo.Latency::meanUs), "us");
                        Metric max = realGo.stat(w, procs, t, r -> r.own(RealGo.Latency::maxUs), "us");
                        if (mean != null) {
                            parts.add(t + " mean " + Fmt.withErr(mean) + " us, max " + Fmt.withErr(max) + " us");
                        }
                    }
                    if (!parts.isEmpty()) {
                        b.evidence.add(realGo.at(w, procs) + " (" + realGo.params(w) + "), the other Gs' runnable "
                                + "delay from their own timestamps: " + String.join("; ", parts) + ".");
                    }
                }
                break;
            }
            case "C17": {
                List<String> parts = new ArrayList<>();
                for (RealGo.Cost c : realGo.costs) {
                    if (c.defers() > 0 && c.defers() <= 100) {
                        parts.add(c.name() + " (" + c.kind() + ") " + Fmt.num(c.nsPerDefer()) + " ns");
                    }
                }
                if (!parts.isEmpty()) {
                    b.evidence.add("Real Go " + realGo.goVersion + " on this machine [" + realGo.run.name()
                            + "], ns per defer over a plain call: " + String.join("; ", parts) + ".");
                }
                break;
            }
            default:
                break;
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

        void pending(String bench, String what) {
            verdict = Verdict.PENDING;
            model = "-";
            evidence.add(bench + ": no committed run yet" + (what == null ? "" : " (" + what + ")") + ".");
        }
    }

    /** The article's configuration in ArticleGoschedBench, or null. */
    private SortedMap<String, String> articleConfig(List<JmhEntry> es) {
        return LatencyView.config(es, VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY);
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
        b.model = "ArticleGoschedBench: procs " + String.join("/", ResultStore.values(es, LatencyView.PROCS))
                + ", density " + String.join("/", ResultStore.values(es, LatencyView.DENSITY));
        b.used(es.get(0));
        b.evidence.add("Measured configurations: treatments " + String.join(", ", LatencyView.treatments(es))
                + "; runs " + es.stream().map(e -> e.run().name()).distinct().collect(Collectors.joining(", "))
                + ".");
    }

    private void c2(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        JmhEntry none = LatencyView.find(es, "none", articleConfig(es));
        Metric share = none == null ? null : none.metric(RUNNEXT_SHARE);
        if (share == null) {
            b.pending("ArticleGoschedBench", none == null ? "treatment none" : "metric " + RUNNEXT_SHARE);
            return;
        }
        b.used(none);
        b.model = Fmt.pct(share.score()) + (share.hasError() ? " ± " + Fmt.pct(share.error()) : "");
        boolean ok = share.score() > 0.92;
        b.verdict = ok ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
        b.evidence.add(String.format(Locale.ROOT, "runnext share of starts without defers = %s %s; the article's "
                + "threshold 92 %% is %s.", b.model, at(none), ok ? "exceeded" : "not reached"));
    }

    private void c3(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        JmhEntry none = LatencyView.find(es, "none", articleConfig(es));
        Metric p50 = LatencyView.micros(none, P50);
        Metric p95 = LatencyView.micros(none, P95);
        if (p50 == null || p95 == null) {
            b.pending("ArticleGoschedBench", none == null ? "treatment none" : "metrics " + P50 + "/" + P95);
            return;
        }
        b.used(none);
        b.model = "P50 " + Fmt.withErr(p50) + " us, P95 " + Fmt.withErr(p95) + " us";
        boolean ok50 = VerdictRules.withinFactor(p50.score(), 1.3, VerdictRules.ABS_FACTOR);
        boolean ok95 = VerdictRules.withinFactor(p95.score(), 2.1, VerdictRules.ABS_FACTOR);
        b.verdict = ok50 && ok95 ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
        b.evidence.add(String.format(Locale.ROOT, "Model without defers %s: P50 %s us vs 1.3 (%s), P95 %s us vs "
                + "2.1 (%s), rule: within a factor %.1f.", at(none), Fmt.num(p50.score()),
                ok50 ? "within" : "outside", Fmt.num(p95.score()), ok95 ? "within" : "outside",
                VerdictRules.ABS_FACTOR));
    }

    private void c4(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        SortedMap<String, String> cfg = articleConfig(es);
        JmhEntry none = LatencyView.find(es, "none", cfg);
        JmhEntry def = LatencyView.find(es, "defer", cfg);
        JmhEntry cpu = LatencyView.find(es, "cpu_control", cfg);
        if (none == null || def == null || LatencyView.micros(def, P50) == null) {
            b.pending("ArticleGoschedBench", "treatments none and defer with " + P50 + "/" + P95);
            return;
        }
        b.used(none, def, cpu);
        Metric d50 = LatencyView.micros(def, P50);
        Metric d95 = LatencyView.micros(def, P95);
        Metric n50 = LatencyView.micros(none, P50);
        Metric n95 = LatencyView.micros(none, P95);
        b.model = "P50 " + Fmt.withErr(d50) + " us, P95 " + Fmt.withErr(d95) + " us";
        double r50 = d50.score() / n50.score();
        double r95 = d95 == null || n95 == null ? Double.NaN : d95.score() / n95.score();
        boolean ratioOk = VerdictRules.withinFactor(r50, 3.2 / 1.3, VerdictRules.RATIO_FACTOR)
                && VerdictRules.withinFactor(r95, 4.8 / 2.1, VerdictRules.RATIO_FACTOR);
        boolean abs = VerdictRules.withinFactor(d50.score(), 3.2, VerdictRules.ABS_FACTOR)
                && d95 != null && VerdictRules.withinFactor(d95.score(), 4.8, VerdictRules.ABS_FACTOR);
        b.evidence.add(String.format(Locale.ROOT, "Rise with defers %s: P50 %s (article 2.46x), P95 %s (article "
                + "2.29x); absolute figures %s a factor %.1f of 3.2 / 4.8 us.", at(def), Fmt.ratio(r50),
                Fmt.ratio(r95), abs ? "within" : "not within", VerdictRules.ABS_FACTOR));
        if (cpu == null || LatencyView.micros(cpu, P50) == null) {
            b.evidence.add("cpu_control not measured: the rise cannot be attributed to defers rather than to their "
                    + "CPU time.");
            b.verdict = ratioOk ? Verdict.PENDING : Verdict.NOT_REPRODUCED;
            return;
        }
        Metric c50 = LatencyView.micros(cpu, P50);
        Metric c95 = LatencyView.micros(cpu, P95);
        boolean eff50 = VerdictRules.exceeds(d50, c50);
        boolean eff95 = VerdictRules.exceeds(d95, c95);
        b.evidence.add(String.format(Locale.ROOT, "defer vs cpu_control (same CPU time, no defers) %s: P50 %s vs "
                + "%s us (%s), P95 %s vs %s us (%s).", at(cpu), Fmt.withErr(d50), Fmt.withErr(c50),
                LatencyView.comparison(def, cpu, eff50), Fmt.withErr(d95),
                Fmt.withErr(c95), LatencyView.comparison(def, cpu, eff95)));
        Boolean stands = VerdictRules.cpuComparisonStands(LatencyView.cpu(def), LatencyView.cpu(cpu), eff50 && eff95);
        if (ratioOk && Boolean.FALSE.equals(stands)) {
            b.verdict = Verdict.NOT_TESTABLE;
            b.evidence.add("The rise matches the article's in size, but cpu_control's CPU did not match the defers' "
                    + "closely enough to tell defers from CPU time (rule above).");
        } else if (ratioOk && eff50 && eff95) {
            b.verdict = Verdict.REPRODUCED;
        } else {
            b.verdict = Verdict.NOT_REPRODUCED;
            b.evidence.add(!ratioOk ? "The rise with defers does not match the article's within the ratio rule."
                    : "The rise matches in size but is explained by the defers' CPU time: it does not exceed "
                    + "cpu_control beyond the errors.");
        }
    }

    /**
     * C6: the article's flame-graph "top width" 86 -> 142 px (x1.65) for the schedule -> findrunnable ->
     * runqsteal path, as the share of CPU samples under the model's findRunnable, from the committed
     * profiles of ArticleGoschedBench. Reproduced only if defer/none is within the ratio rule of 1.65
     * and defer exceeds cpu_control by more than the no-error margin.
     */
    private void c6(Builder b) {
        FlameShares.Row none = FlameShares.find(flames, "ArticleGoschedBench", "none");
        FlameShares.Row def = FlameShares.find(flames, "ArticleGoschedBench", "defer");
        FlameShares.Row cpu = FlameShares.find(flames, "ArticleGoschedBench", "cpu_control");
        if (none == null || def == null || none.samples() == 0 || def.samples() == 0) {
            b.pending("ArticleGoschedBench flame graphs", "collapsed stacks of treatments none and defer under "
                    + "results/flamegraphs/");
            return;
        }
        double ratio = none.share() == 0 ? Double.NaN : def.share() / none.share();
        b.model = "findRunnable share " + FlameShares.pct(none.share()) + " -> " + FlameShares.pct(def.share())
                + (cpu == null ? "" : " (cpu_control " + FlameShares.pct(cpu.share()) + ")");
        b.evidence.add(String.format(Locale.ROOT, "Share of CPU samples under M.findRunnable (the model's "
                + "schedule -> findRunnable -> stealWork -> runqsteal path): none %s of %d samples, defer %s of %d "
                + "(x%s; the article's 86 -> 142 px is x1.65)%s. Samples under stealWork: none %s, defer %s. "
                + "Files: %s, %s.", FlameShares.pct(none.share()), none.samples(), FlameShares.pct(def.share()),
                def.samples(), Fmt.ratio(ratio).replace("x", ""), cpu == null ? "" : String.format(Locale.ROOT,
                        ", cpu_control %s of %d", FlameShares.pct(cpu.share()), cpu.samples()),
                FlameShares.pct(none.stealShare()), FlameShares.pct(def.stealShare()), none.file(), def.file()));
        boolean ratioOk = VerdictRules.withinFactor(ratio, 142.0 / 86.0, VerdictRules.RATIO_FACTOR);
        boolean beyondCpu = cpu != null && def.share() > cpu.share() * (1 + VerdictRules.NO_ERROR_MARGIN);
        b.verdict = ratioOk && beyondCpu ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
        if (b.verdict == Verdict.NOT_REPRODUCED) {
            b.evidence.add(!ratioOk ? "The scheduler path's share does not grow with defers as the article's width "
                    + "does (ratio rule)." : "The growth is matched by cpu_control: it comes from CPU time, not defers.");
        }
    }

    private void attachHypothesis(Builder b) {
        List<JmhEntry> es = store.of("ArticleGoschedBench");
        SortedMap<String, String> cfg = articleConfig(es);
        JmhEntry hyp = LatencyView.find(es, "article_hypothesis", cfg);
        JmhEntry def = LatencyView.find(es, "defer", cfg);
        if (hyp == null) {
            b.evidence.add("ArticleGoschedBench article_hypothesis: no committed run yet.");
            return;
        }
        b.used(hyp, def);
        Metric h50 = LatencyView.micros(hyp, P50);
        Metric h95 = LatencyView.micros(hyp, P95);
        b.model = "hypothetical variant: P50 " + Fmt.withErr(h50) + " us, P95 " + Fmt.withErr(h95) + " us";
        b.evidence.add("What the claimed mechanism would produce (labelled hypothetical model variant) " + at(hyp)
                + ": P50 " + Fmt.withErr(h50) + " us, P95 " + Fmt.withErr(h95) + " us, requeues to the global "
                + "queue " + Fmt.withErr(hyp.metric("hypothetical.requeues")) + ", global-queue share of starts "
                + Fmt.pct(globalShare(hyp)) + "; real defer treatment: global share " + Fmt.pct(globalShare(def))
                + ".");
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
        List<JmhEntry> es = store.of(AllocatorTable.BENCH).stream()
                .filter(e -> "HEAP".equals(e.param("strategy")) && e.metric(AllocatorTable.ALLOC_NORM) != null)
                .collect(Collectors.toList());
        for (JmhEntry e : es) {
            if ("1".equals(e.param("defersPerCall"))) {
                b.used(e);
                b.evidence.add("Model, for comparison (Java objects, not Go's layout): HEAP strategy allocates "
                        + Fmt.num(e.metric(AllocatorTable.ALLOC_NORM).score()) + " B per defer " + at(e) + ".");
            }
        }
    }

    private void c12(Builder b) {
        List<JmhEntry> es = store.of("DeferChainBench");
        List<String> strategies = ResultStore.values(es, "strategy");
        if (!strategies.isEmpty()) {
            String s = strategies.contains("HEAP") ? "HEAP"
                    : strategies.contains(VerdictRules.DEFAULT_STRATEGY) ? VerdictRules.DEFAULT_STRATEGY
                    : strategies.get(0);
            es = es.stream().filter(e -> s.equals(e.param("strategy"))).collect(Collectors.toList());
        }
        es = es.stream().filter(e -> e.param("chainLength") != null && !Double.isNaN(e.primary().toNanos()))
                .collect(Collectors.toList());
        if (es.isEmpty()) {
            b.pending("DeferChainBench", "param length, time per node");
            return;
        }
        TreeMap<Double, JmhEntry> byLen = new TreeMap<>();
        for (JmhEntry e : es) {
            byLen.putIfAbsent(Double.parseDouble(e.param("chainLength")), e);
        }
        JmhEntry longest = byLen.lastEntry().getValue();
        b.used(byLen.values().toArray(new JmhEntry[0]));
        double ns = longest.primary().toNanos();
        b.model = Fmt.withErr(ns, longest.primary().errorToNanos()) + " ns/node at length " + longest.param("chainLength");
        double min = Double.MAX_VALUE;
        double max = 0;
        int n = 0;
        StringBuilder per = new StringBuilder();
        for (var kv : byLen.entrySet()) {
            double v = kv.getValue().primary().toNanos();
            per.append(per.length() > 0 ? ", " : "").append(kv.getValue().param("chainLength")).append(": ")
                    .append(Fmt.num(v));
            if (kv.getKey() >= VerdictRules.LINEAR_MIN_LENGTH) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                n++;
            }
        }
        boolean linear = n < 2 || max / min <= VerdictRules.LINEARITY_FACTOR;
        boolean close = VerdictRules.withinFactor(ns, 8.2, VerdictRules.ABS_FACTOR);
        b.verdict = linear && close ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
        b.evidence.add("Per-node cost in ns by chain length (" + longest.run().name() + ", DeferChainBench"
                + (longest.param("strategy") == null ? "" : " strategy=" + longest.param("strategy")) + "): " + per
                + ". " + (n < 2 ? "Linearity not checked (fewer than two lengths >= "
                + VerdictRules.LINEAR_MIN_LENGTH + "). " : "Linear: " + (linear ? "yes" : "no") + " (max/min "
                + Fmt.ratio(max / min) + "). ") + "8.2 ns/node: " + (close ? "within" : "outside")
                + " the absolute-figure factor.");
    }

    private void c14(Builder b) {
        List<JmhEntry> es = store.of("DeferStarvationBench");
        SortedMap<String, String> cfg = LatencyView.config(es, VerdictRules.ARTICLE_PROCS, Double.MAX_VALUE);
        JmhEntry none = LatencyView.find(es, "none", cfg);
        JmhEntry def = LatencyView.find(es, "defer", cfg);
        JmhEntry cpu = LatencyView.find(es, "cpu_control", cfg);
        Metric dm = LatencyView.micros(def, MEAN);
        Metric nm = LatencyView.micros(none, MEAN);
        if (dm == null || nm == null) {
            b.pending("DeferStarvationBench", "treatments none and defer with " + MEAN);
            return;
        }
        b.used(none, def, cpu);
        b.model = "mean runnable delay " + Fmt.withErr(dm) + " us with defers, " + Fmt.withErr(nm) + " us without";
        boolean thresholds = dm.score() > 3000 && nm.score() < 100;
        b.evidence.add("Mean runnable delay " + at(def) + ": defer " + Fmt.withErr(dm) + " us (article > 3000), none "
                + Fmt.withErr(nm) + " us (article < 100): " + (thresholds ? "both thresholds hold." : "the "
                + "thresholds do not hold."));
        Metric cm = LatencyView.micros(cpu, MEAN);
        if (cm == null) {
            b.evidence.add("cpu_control not measured: a rise cannot be attributed to defers rather than their CPU time.");
            b.verdict = thresholds ? Verdict.PENDING : Verdict.NOT_REPRODUCED;
            return;
        }
        boolean eff = VerdictRules.exceeds(dm, cm);
        b.evidence.add("defer vs cpu_control: " + Fmt.withErr(dm) + " vs " + Fmt.withErr(cm) + " us: "
                + LatencyView.comparison(def, cpu, eff) + ".");
        Boolean stands = VerdictRules.cpuComparisonStands(LatencyView.cpu(def), LatencyView.cpu(cpu), eff);
        if (thresholds && Boolean.FALSE.equals(stands)) {
            b.verdict = Verdict.NOT_TESTABLE;
            b.evidence.add("The thresholds hold, but cpu_control's CPU did not match the defers' closely enough to "
                    + "tell defers from CPU time (rule above).");
            return;
        }
        b.verdict = thresholds && eff ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
    }

    /** Cost per defer of the compiler-like strategy at the defer count nearest {@code defers}; null if absent. */
    private JmhEntry allocEntry(String strategy, double defers) {
        List<JmhEntry> es = store.of(AllocatorTable.BENCH).stream().filter(e -> !AllocatorTable.isBaseline(e))
                .filter(e -> strategy.equals(e.param("strategy"))).collect(Collectors.toList());
        if (es.isEmpty()) {
            return null;
        }
        String d = LatencyView.nearest(ResultStore.values(es, "defers"), defers);
        List<String> layouts = ResultStore.values(es, "layout");
        String layout = layouts.stream().filter(x -> x.endsWith("48")).findFirst()
                .orElse(layouts.isEmpty() ? null : layouts.get(0)); // "48" or the enum name GO122_48
        return es.stream().filter(e -> d == null || d.equals(e.param("defersPerCall")))
                .filter(e -> layout == null || layout.equals(e.param("layout"))).findFirst().orElse(es.get(0));
    }

    private void attachC16(Builder b) {
        JmhEntry e = allocEntry(VerdictRules.DEFAULT_STRATEGY, 17);
        if (e == null) {
            b.evidence.add("DeferAllocBench: no committed run yet, so the plausibility check is not computed.");
            return;
        }
        b.used(e);
        double ns = e.primary().toNanos();
        b.model = "15 defers x " + Fmt.num(ns) + " ns = " + Fmt.num(15 * ns / 1000.0) + " us per request";
        b.evidence.add(String.format(Locale.ROOT, "Plausibility: 15 extra defers per request at the model's %s ns "
                + "per defer %s cost %s us, against the article's 5.7 ms (12.8 - 7.1) difference in average latency, "
                + "a factor %s apart.", Fmt.num(ns), at(e), Fmt.num(15 * ns / 1000.0), Fmt.num(5.7e6 / (15 * ns))));
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

    private void attachSwitchCost(Builder b) {
        for (String bench : List.of("PingPongHogBench", "ArticleGoschedBench")) {
            List<JmhEntry> es = store.of(bench);
            SortedMap<String, String> cfg = LatencyView.config(es, VerdictRules.ARTICLE_PROCS, 9);
            JmhEntry none = LatencyView.find(es, "none", cfg);
            JmhEntry def = LatencyView.find(es, "defer", cfg);
            JmhEntry cpu = LatencyView.find(es, "cpu_control", cfg);
            Metric d = LatencyView.micros(def, P50);
            Metric n = LatencyView.micros(none, P50);
            if (d == null || n == null) {
                continue;
            }
            b.used(none, def, cpu);
            Metric c = LatencyView.micros(cpu, P50);
            b.model = bench + " P50 " + Fmt.num((d.score() - n.score()) * 1000) + " ns higher with defers";
            b.evidence.add("Model " + at(def) + ": scheduling latency P50 " + Fmt.withErr(d) + " us with defers, "
                    + Fmt.withErr(n) + " us without" + (c == null ? "" : ", " + Fmt.withErr(c) + " us cpu_control ("
                    + LatencyView.comparison(def, cpu, VerdictRules.exceeds(d, c)) + ")") + ".");
            return;
        }
        b.evidence.add("PingPongHogBench / ArticleGoschedBench: no committed run yet (model comparison not shown).");
    }
}
