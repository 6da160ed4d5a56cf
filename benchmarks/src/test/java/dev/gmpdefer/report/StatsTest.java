package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison arithmetic (issue 12, item 1) on samples whose answer is known. */
class StatsTest {
    /** n values spread evenly over [center - spread, center + spread]. */
    private static double[] around(double center, double spread, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = center - spread + 2 * spread * i / (n - 1);
        }
        return x;
    }

    @Test
    void holmWorkedByHand() {
        // sorted: 0.005 x 4 = 0.02, 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 = 0.04 -> monotone 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Stats.holm(new double[] {0.01, 0.04, 0.03, 0.005}), 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, Stats.holm(new double[] {0.6, 0.9}), 1e-12, "capped at 1");
    }

    @Test
    void aClearDoublingIsAnEffect() {
        Stats.Ratio r = Stats.ratio(around(200, 10, 20), around(100, 5, 20));
        assertEquals(2.0, r.ratio(), 1e-9);
        assertTrue(r.lo() > 1.8 && r.hi() < 2.2, r.toString());
        assertTrue(r.p() < 1e-6, "separated samples: " + r.p());
        assertEquals(Stats.Outcome.EFFECT_UP, Stats.judge(r, 0.10).outcome());
        assertEquals(Stats.Outcome.EFFECT_DOWN, Stats.judge(Stats.ratio(around(100, 5, 20), around(200, 10, 20)), 0.10).outcome());
    }

    @Test
    void noEffectNeedsTheWholeIntervalInsideTheMargin() {
        Stats.Ratio same = Stats.ratio(around(100, 2, 20), around(100, 2, 20));
        assertEquals(1.0, same.ratio(), 1e-9);
        assertTrue(same.p() > 0.5, "identical samples: " + same.p());
        assertEquals(Stats.Outcome.NO_EFFECT, Stats.judge(same, 0.10).outcome());
        // the same medians with a wide spread: the interval crosses the margin, so nothing is concluded
        Stats.Ratio wide = Stats.ratio(around(100, 90, 12), around(100, 90, 12));
        Stats.Verdict v = Stats.judge(wide, 0.10);
        assertEquals(Stats.Outcome.INCONCLUSIVE, v.outcome(), wide.toString());
        assertTrue(v.runsNeeded() > 12, "more runs than it has: " + v.runsNeeded());
    }

    @Test
    void tooFewRunsDecideNothing() {
        Stats.Ratio r = Stats.ratio(around(200, 10, 5), around(100, 5, 5));
        assertEquals(Stats.Outcome.TOO_FEW_RUNS, Stats.judge(r, 0.10).outcome());
    }

    @Test
    void bootstrapIsReproducible() {
        double[] a = around(150, 40, 15);
        double[] b = around(100, 30, 15);
        assertEquals(Stats.ratio(a, b), Stats.ratio(a, b));
        Stats.Summary s = Stats.summary(a);
        assertEquals(150, s.median(), 1e-9);
        assertTrue(s.lo() <= 150 && s.hi() >= 150 && s.lo() < s.hi(), s.toString());
    }

    @Test
    void jmhRawDataBecomesOneRunPerFork(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("X.json");
        Files.writeString(json, "[{\"benchmark\":\"a.b.XBench.run\",\"mode\":\"ss\",\"params\":{\"procs\":\"2\"},"
                + "\"primaryMetric\":{\"score\":2.0,\"scoreError\":1.0,\"scoreUnit\":\"ms/op\",\"rawData\":[[1.0,2.0],[3.0]]},"
                + "\"secondaryMetrics\":{\"sched.latency.p95\":{\"score\":5.0,\"scoreUnit\":\"us\",\"rawData\":[[4.0],[5.0,6.0]]}}}]");
        List<JmhEntry> es = JmhJson.parseJmh(new RunInfo("r", "d", "m", "j", "c", "", "latency"), json);
        // each fork's median: iterations of one JVM are not independent runs
        assertArrayEquals(new double[] {1.5, 3}, es.get(0).primary().runs(), 0);
        assertArrayEquals(new double[] {4, 5.5}, es.get(0).metric("sched.latency.p95").runs(), 0);
    }

    /** A model cell of one treatment with the given P95 metric (and, when given, M CPU). */
    private static JmhEntry cell(String treatment, Metric p95, Metric cpu) {
        java.util.SortedMap<String, Metric> sec = new java.util.TreeMap<>();
        sec.put("sched.latency.p95", p95);
        if (cpu != null) {
            sec.put("m.cpu.ms", cpu);
        }
        return new JmhEntry(new RunInfo("r", "d", "m", "j", "c", "a", "latency"), "f.json",
                "dev.gmpdefer.bench.latency.ArticleGoschedBench.run", "ss",
                new java.util.TreeMap<>(java.util.Map.of("treatment", treatment)), p95, sec, "17", "vm");
    }

    @Test
    void theReportsBenchstatCellsFollowTheRule() {
        Metric def = new Metric(200, 10, "us", around(200, 10, 10));
        Metric ctl = new Metric(100, 5, "us", around(100, 5, 10));
        String p95 = "sched.latency.p95";
        String cells = LatencySection.benchstat(cell("defer", def, null), cell("cpu_control", ctl, null), p95);
        assertTrue(cells.startsWith("2.00 [") && cells.endsWith("| defer higher"), cells);
        assertTrue(LatencySection.benchstat(cell("defer", def, null), cell("cpu_control", new Metric(100, 5, "us"), null),
                p95).startsWith("n/a"), "no runs in the JSON");
        assertTrue(LatencySection.benchstat(cell("defer", new Metric(1, 0, "us", around(100, 2, 10)), null),
                cell("cpu_control", new Metric(1, 0, "us", around(100, 2, 10)), null), p95).endsWith("no effect"));
        Metric cpu = new Metric(1000, 1, "ms", around(1000, 5, 10));
        Metric half = new Metric(500, 1, "ms", around(500, 5, 10));
        assertTrue(LatencySection.benchstat(cell("defer", def, cpu), cell("cpu_control", ctl, half), p95)
                .endsWith("unmatched control: decides nothing"), "the benchstat columns apply the CPU match too");
    }

    @Test
    void theEffectWordsFollowTheSameRule() {
        assertEquals("up", w(EffectRule.judge(Stats.ratio(around(200, 10, 10), around(100, 5, 10)), null)));
        assertEquals("down", w(EffectRule.judge(Stats.ratio(around(100, 5, 10), around(200, 10, 10)), null)));
        assertEquals("none", w(EffectRule.judge(Stats.ratio(around(100, 2, 10), around(100, 2, 10)), null)));
        assertEquals("?", w(EffectRule.judge(Stats.ratio(around(100, 90, 12), around(100, 90, 12)), null)));
        assertEquals("?", w(EffectRule.judge(null, null)), "no runs on one side");
    }

    private static String w(EffectRule.Judged j) {
        return EffectRule.word(j.effect());
    }

    /** The minimum detectable effect and the runs to detect x1.25 come from the interval's log half-width. */
    @Test
    void powerOfAnUndecidedComparison() {
        double z = 1.959964;
        Stats.Ratio r = new Stats.Ratio(1.0, Math.exp(-z * 0.1), Math.exp(z * 0.1), 0.5, 10, 10);
        assertEquals(Math.exp((1.959964 + 0.841621) * 0.1), Stats.mde(r), 1e-9, "SE(log) 0.1 at n=10");
        assertEquals(16, Stats.runsToDetect(r, 1.25), "10 * (0.2802 / ln 1.25)^2 = 15.8");
        assertTrue(Stats.power(r).startsWith("MDE x1.32 at n=10; ~16 runs per cell detect x1.25"), Stats.power(r));
        Stats.Ratio wider = new Stats.Ratio(1.0, Math.exp(-z * 0.2), Math.exp(z * 0.2), 0.5, 10, 10);
        assertEquals(4 * 16 - 1, Stats.runsToDetect(wider, 1.25), 1, "twice the noise: four times the runs");
        Stats.Ratio none = new Stats.Ratio(1.0, Double.NaN, Double.NaN, Double.NaN, 1, 1);
        assertTrue(Double.isNaN(Stats.mde(none)));
        assertEquals(-1, Stats.runsToDetect(none, 1.25));
        assertEquals("", Stats.power(none));
    }

    /** The one-sided question against the article's size: refuted below it, reproduced at it, else undecided. */
    @Test
    void theArticlesSizeIsAOneSidedQuestion() {
        ClaimBook.Check c = new ClaimBook.Check(ClaimBook.Evaluator.BEYOND_CONTROL, "P95", "ArticleGoschedBench",
                "sched.latency.p95", "defer", "cpu_control", 2.29, "", "", "", "");
        Judgement.Side s = new Judgement.Side("x", Judgement.Outcome.PASS, 0.01, "", "here");
        java.util.function.Function<double[], String> why = b -> Judgement.atSize(s, EffectRule.judge(
                new Stats.Ratio(b[0], b[1], b[2], 0.01, 10, 10), Boolean.TRUE), c).why();
        assertTrue(why.apply(new double[] {1.47, 1.39, 1.56}).startsWith("refuted at the article's size x2.29"));
        assertTrue(why.apply(new double[] {2.6, 2.4, 2.9}).startsWith("reproduced at the article's size"));
        assertTrue(why.apply(new double[] {2.2, 1.9, 2.5}).startsWith("undecided at the article's size"));
        assertEquals("", Judgement.atSize(s, EffectRule.judge(new Stats.Ratio(1.47, 1.39, 1.56, 0.01, 10, 10),
                Boolean.FALSE), c).why(), "an unmatched control asks nothing");
    }

    @Test
    void theArticlesSizeDecidesWhereTheSessionsGiveAnInterval() {
        ClaimBook.Check c = new ClaimBook.Check(ClaimBook.Evaluator.BEYOND_CONTROL, "P95", "ArticleGoschedBench",
                "sched.latency.p95", "defer", "cpu_control", 2.29, "", "", "", "");
        Judgement.Side s = new Judgement.Side("x", Judgement.Outcome.PASS, 0.01, "", "here");
        java.util.function.Function<double[], Judgement.Side> at = b -> Judgement.decideAtSize(s, EffectRule.judge(
                new Stats.Ratio(b[0], b[1], b[2], 0.01, 12, 12), Boolean.TRUE), c);
        assertEquals(Judgement.Outcome.FAIL, at.apply(new double[] {1.47, 1.39, 1.56}).outcome(),
                "an effect up, but far below the article's size: refuted at its size");
        assertTrue(at.apply(new double[] {1.47, 1.39, 1.56}).why().contains("rule: up"));
        assertEquals(Judgement.Outcome.PASS, at.apply(new double[] {2.6, 2.4, 2.9}).outcome());
        assertEquals(Judgement.Outcome.OPEN, at.apply(new double[] {2.2, 1.9, 2.5}).outcome());
        assertEquals(Judgement.Outcome.PASS, Judgement.decideAtSize(s, EffectRule.judge(new Stats.Ratio(1.47, 1.39,
                1.56, 0.01, 12, 12), Boolean.FALSE), c).outcome(), "an unmatched control: the side as it was");
    }

    @Test
    void sessionsResampleSessionsThenRuns() {
        // three sessions whose effect differs (x1.0, x1.5, x1.2): what one session's runs cannot show
        double[][] num = new double[3][];
        double[][] den = new double[3][];
        double[] effect = {1.0, 1.5, 1.2};
        java.util.Random rnd = new java.util.Random(1);
        for (int s = 0; s < 3; s++) {
            num[s] = new double[12];
            den[s] = new double[12];
            for (int i = 0; i < 12; i++) {
                num[s][i] = effect[s] * (1 + 0.03 * rnd.nextGaussian());
                den[s][i] = 1 + 0.03 * rnd.nextGaussian();
            }
        }
        Stats.Ratio across = Stats.sessions(new double[][][] {num, den}, Stats.RATIO, true);
        Stats.Ratio within = Stats.sessions(new double[][][] {num, den}, Stats.RATIO, false);
        assertEquals(36, across.na());
        assertTrue(across.hi() - across.lo() > 2 * (within.hi() - within.lo()),
                "resampling the sessions shows their spread: " + across + " vs " + within);
        assertTrue(across.lo() < 1.1 && across.hi() > 1.4, across.toString());
        assertTrue(within.lo() > 1.05 && within.hi() < 1.35, within.toString());
        // the model's effect over real Go's: equal effects give a ratio near 1
        Stats.Ratio ror = Stats.sessions(new double[][][] {num, den, num, den}, Stats.RATIO_OF_RATIOS, true);
        assertEquals(1.0, ror.ratio(), 1e-12);
        assertEquals(null, Stats.sessions(new double[][][] {num, {den[0], den[1], {}}}, Stats.RATIO, true),
                "an arm a session lacks gives no interval");
    }

    @Test
    void agreementInMagnitudeIsTheRatioOfEffectsInsideTheBand() {
        EffectRule.Judged up = EffectRule.judge(new Stats.Ratio(1.4, 1.3, 1.5, 0.01, 12, 12), Boolean.TRUE);
        EffectRule.Judged unmatched = EffectRule.judge(new Stats.Ratio(1.4, 1.3, 1.5, 0.01, 12, 12), Boolean.FALSE);
        assertEquals(Magnitude.Agreement.AGREE, Magnitude.decide(new Stats.Ratio(1.1, 0.8, 1.4, 0.5, 12, 12), up, up));
        assertEquals(Magnitude.Agreement.DISAGREE, Magnitude.decide(new Stats.Ratio(2.5, 1.8, 3.1, 0.5, 12, 12), up, up));
        assertEquals(Magnitude.Agreement.DISAGREE, Magnitude.decide(new Stats.Ratio(0.4, 0.3, 0.6, 0.5, 12, 12), up, up));
        assertEquals(Magnitude.Agreement.UNDECIDED, Magnitude.decide(new Stats.Ratio(1.3, 0.9, 1.9, 0.5, 12, 12), up, up));
        assertEquals(Magnitude.Agreement.UNMATCHED, Magnitude.decide(new Stats.Ratio(1.1, 0.8, 1.4, 0.5, 12, 12), up,
                unmatched));
    }
}
