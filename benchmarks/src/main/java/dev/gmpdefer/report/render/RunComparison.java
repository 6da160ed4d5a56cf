package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's run beside the committed reference: the report {@code scripts/run.sh} (and the other scripts)
 * write into a run folder under {@code results/local/}. Each figure of the run next to the reference's
 * figure for the same benchmark, mode and parameters, with the ratio; then every claim's verdict from the
 * reference alone and from the reference with this run laid over it (this run's results supersede the
 * reference's where both have them), and whether the conclusion is the same. Deterministic, like the
 * report. No Go counterpart (tooling).
 */
public final class RunComparison {

    /** Secondary metrics shown beside the primary score, when a result has them. */
    static final List<String> METRICS = List.of("sched.latency.p50", "sched.latency.p95", "sched.latency.p99",
            "sched.latency.mean", "steal.latency.p50", "preempt.latency.p50", "m.cpu.ms", "gc.alloc.rate.norm");

    private final Path runDir;
    private final ResultStore reference;
    private final ResultStore mine;
    private final ResultStore overlay;
    private final RealGo refGo;
    private final RealGo myGo;
    private final List<FlameShares.Row> refFlames;
    private final List<FlameShares.Row> overlayFlames;
    private final ClaimBook book;
    /** The reference's paired sessions (or null): they decide the checks they measured on both sides. */
    private Sessions refSessions;

    private RunComparison(Path runDir, ResultStore reference, ResultStore mine, ResultStore overlay, RealGo refGo,
                          RealGo myGo, List<FlameShares.Row> refFlames, List<FlameShares.Row> overlayFlames,
                          ClaimBook book) {
        this.runDir = runDir;
        this.reference = reference;
        this.mine = mine;
        this.overlay = overlay;
        this.refGo = refGo;
        this.myGo = myGo;
        this.refFlames = refFlames;
        this.overlayFlames = overlayFlames;
        this.book = book;
    }

    /** Reads the reference under {@code resultsDir} and the run folder {@code runDir}. */
    public static RunComparison load(Path resultsDir, Path runDir) throws IOException {
        ResultStore reference = ResultStore.load(resultsDir);
        List<Path> folders = new ArrayList<>();
        for (RunInfo r : reference.runs()) {
            folders.add(resultsDir.resolve(r.name()));
        }
        folders.add(runDir);
        RealGo refGo = RealGo.load(resultsDir);
        RealGo myGo = RealGoJson.loadFolder(runDir);
        List<FlameShares.Row> refFlames = FlameShares.load(resultsDir);
        List<FlameShares.Row> myFlames = FlameShares.load(runDir);
        List<FlameShares.Row> overlayFlames = new ArrayList<>();
        for (FlameShares.Row r : refFlames) {
            boolean replaced = myFlames.stream().anyMatch(m -> m.bench().equals(r.bench())
                    && m.treatment().equals(r.treatment()));
            if (!replaced) {
                overlayFlames.add(r);
            }
        }
        overlayFlames.addAll(myFlames);
        RunComparison c = new RunComparison(runDir, reference, ResultStore.load(List.of(runDir)),
                ResultStore.load(folders), refGo, myGo, refFlames, overlayFlames, ClaimBook.load());
        c.refSessions = Sessions.of(RealGo.loadAll(resultsDir));
        return c;
    }

    /** Figures this run has that the reference has too (JMH results, and real Go configurations). */
    public int compared() {
        int n = 0;
        for (JmhEntry e : mine.entries()) {
            if (referenceOf(e) != null) {
                n++;
            }
        }
        if (myGo != null && refGo != null) {
            for (String w : myGo.workloadNames()) {
                for (int p : myGo.procs(w)) {
                    for (String t : myGo.treatments(w)) {
                        if (!refGo.of(w, p, t).isEmpty()) {
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    private JmhEntry referenceOf(JmhEntry e) {
        for (JmhEntry r : reference.entries()) {
            if (r.key().equals(e.key())) {
                return r;
            }
        }
        return null;
    }

    private List<ClaimEvaluator.Result> refVerdicts;
    private List<ClaimEvaluator.Result> overlayVerdicts;

    /** Evaluates the claims once on the reference and once on the reference with this run laid over it. */
    private void evaluate() {
        if (refVerdicts == null) {
            // the reference's paired sessions decide the checks they measured on both sides, as in REPORT.md: a
            // stand-alone run of one session does not replace a session-aware interval
            refVerdicts = new ClaimEvaluator(reference, book, refFlames, refGo, refSessions).evaluate();
            overlayVerdicts = new ClaimEvaluator(overlay, book, overlayFlames, myGo != null ? myGo : refGo,
                    refSessions).evaluate();
        }
    }

    /** The reference's result for each claim id. */
    private Map<String, ClaimEvaluator.Result> referenceVerdicts() {
        evaluate();
        Map<String, ClaimEvaluator.Result> ref = new HashMap<>();
        for (ClaimEvaluator.Result r : refVerdicts) {
            ref.put(r.claim().id(), r);
        }
        return ref;
    }

    /** [same, total] conclusions. */
    public int[] sameConclusions() {
        Map<String, ClaimEvaluator.Result> ref = referenceVerdicts();
        int same = 0;
        for (ClaimEvaluator.Result r : overlayVerdicts) {
            ClaimEvaluator.Result o = ref.get(r.claim().id());
            if (o != null && o.verdict() == r.verdict()) {
                same++;
            }
        }
        return new int[] {same, overlayVerdicts.size()};
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        String name = runDir.getFileName().toString();
        sb.append("# This machine vs the reference: ").append(name).append("\n\n");
        sb.append("Generated by `dev.gmpdefer.report.ReportMain --run` from this folder's JSON and the committed "
                + "reference (`results/reference.txt`). This run is yours: nothing under `results/local/` is "
                + "committed or read by `results/REPORT.md`. Figures from different machines differ in absolute "
                + "terms: compare the ratios between treatments, and the conclusions.\n\n");
        sb.append("| | run folder(s) | machine | JDK | git commit |\n|---|---|---|---|---|\n");
        for (RunInfo r : mine.runs()) {
            sb.append("| this run | ").append(r.name()).append(" | ").append(Fmt.cell(r.machine())).append(" | ")
                    .append(Fmt.cell(r.jdk())).append(" | ").append(Fmt.cell(r.commit())).append(" |\n");
        }
        if (myGo != null && mine.runs().isEmpty()) {
            RunInfo r = myGo.run;
            sb.append("| this run | ").append(r.name()).append(" | ").append(Fmt.cell(r.machine())).append(" | ")
                    .append(Fmt.cell(myGo.goVersion)).append(" | ").append(Fmt.cell(r.commit())).append(" |\n");
        }
        for (RunInfo r : reference.runs()) {
            sb.append("| reference | ").append(r.name()).append(" | ").append(Fmt.cell(r.machine())).append(" | ")
                    .append(Fmt.cell(r.jdk())).append(" | ").append(Fmt.cell(r.commit())).append(" |\n");
        }
        sb.append('\n');
        figures(sb);
        realGo(sb);
        conclusions(sb);
        return sb.toString();
    }

    private void figures(StringBuilder sb) {
        if (mine.entries().isEmpty()) {
            return;
        }
        sb.append("## Each figure side by side\n\n");
        sb.append("Ratio = this run / reference. \"-\" where the reference has no result for the same benchmark, "
                + "mode and parameters.\n\n");
        sb.append("| benchmark | params | metric | this run | reference | ratio |\n|---|---|---|---|---|---|\n");
        for (JmhEntry e : mine.entries()) {
            JmhEntry r = referenceOf(e);
            row(sb, e, "score", e.primary(), r == null ? null : r.primary());
            for (String m : METRICS) {
                Metric mm = e.metric(m);
                if (mm != null) {
                    row(sb, e, m, mm, r == null ? null : r.metric(m));
                }
            }
        }
        sb.append('\n');
    }

    private static void row(StringBuilder sb, JmhEntry e, String metric, Metric mine, Metric ref) {
        sb.append("| ").append(e.benchClass()).append('.').append(e.method()).append(" | ")
                .append(Fmt.cell(e.paramString())).append(" | ").append(metric).append(" (").append(mine.unit())
                .append(") | ");
        sideBySide(sb, mine, ref);
    }

    /** "this | reference | ratio |" cells and the end of the row. */
    private static void sideBySide(StringBuilder sb, Metric mine, Metric ref) {
        sb.append(Fmt.withErr(mine)).append(" | ").append(ref == null ? "-" : Fmt.withErr(ref)).append(" | ")
                .append(mine == null || ref == null || ref.score() == 0 ? "-" : Fmt.ratio(mine.score() / ref.score()))
                .append(" |\n");
    }

    private void realGo(StringBuilder sb) {
        if (myGo == null) {
            return;
        }
        sb.append("## Real Go runtime side by side\n\n");
        sb.append(String.format(Locale.ROOT, "This run: %s, %d CPUs. Reference: %s. Mean over runs of the runtime's "
                + "/sched/latencies percentiles, µs.\n\n", myGo.goVersion, myGo.numCpu, refGo == null ? "none"
                : refGo.goVersion + ", " + refGo.numCpu + " CPUs [" + refGo.run.name() + "]"));
        for (String w : myGo.workloadNames()) {
            if (refGo != null && !refGo.procs(w).isEmpty() && !myGo.params(w).equals(refGo.params(w))) {
                sb.append("- ").append(w).append(": not the same program size: this run has ").append(myGo.params(w))
                        .append(", the reference ").append(refGo.params(w)).append(". Latencies grow with the "
                        + "number of runnable goroutines, so compare the treatments within each column, not the "
                        + "columns.\n");
            }
        }
        sb.append("\n| workload | GOMAXPROCS | treatment | figure | this run | reference | ratio |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (String w : myGo.workloadNames()) {
            for (int p : myGo.procs(w)) {
                for (String t : myGo.treatments(w)) {
                    goRow(sb, w, p, t, "P50", myGo.stat(w, p, t, RealGo.Run::p50Us, "us"),
                            refGo == null ? null : refGo.stat(w, p, t, RealGo.Run::p50Us, "us"));
                    goRow(sb, w, p, t, "P95", myGo.stat(w, p, t, RealGo.Run::p95Us, "us"),
                            refGo == null ? null : refGo.stat(w, p, t, RealGo.Run::p95Us, "us"));
                }
            }
        }
        sb.append('\n');
    }

    private static void goRow(StringBuilder sb, String w, int p, String t, String fig, Metric mine, Metric ref) {
        sb.append("| ").append(w).append(" | ").append(p).append(" | ").append(t).append(" | ").append(fig)
                .append(" | ");
        sideBySide(sb, mine, ref);
    }

    private void conclusions(StringBuilder sb) {
        Map<String, ClaimEvaluator.Result> ref = referenceVerdicts();
        int[] same = sameConclusions();
        sb.append("## Conclusions\n\n");
        sb.append(same[0]).append(" of ").append(same[1]).append(" verdicts are the same with this run laid over "
                + "the reference (this run's results replace the reference's where both have them; the rules are "
                + "those of `results/REPORT.md`).\n\n");
        int fewest = mine.entries().stream().filter(e -> e.param(Parameter.TREATMENT.id) != null)
                .mapToInt(e -> e.primary().runs().length).min().orElse(Stats.MIN_RUNS);
        if (fewest < Stats.MIN_RUNS) {
            sb.append("Some latency cells of this run have fewer runs (JMH forks; fewest: ").append(fewest)
                    .append(") than the ").append(Stats.MIN_RUNS).append(" a comparison needs: its comparisons are "
                    + "indicative only, and a "
                    + "verdict its cells decide becomes `inconclusive` here. `scripts/run.sh latency` (10 forks per "
                    + "cell) makes runs that decide.\n\n");
        }
        sb.append("| id | claim | reference: model | reference verdict | with this run: model | verdict | same? |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (ClaimEvaluator.Result r : overlayVerdicts) {
            ClaimEvaluator.Result o = ref.get(r.claim().id());
            boolean eq = o != null && o.verdict() == r.verdict();
            sb.append("| ").append(r.claim().id()).append(" | ").append(Fmt.cell(r.claim().title())).append(" | ")
                    .append(o == null ? "-" : Fmt.cell(o.model())).append(" | ")
                    .append(o == null ? "-" : o.verdict().label()).append(" | ").append(Fmt.cell(r.model()))
                    .append(" | ").append(r.verdict().label()).append(" | ").append(eq ? "yes" : "**no**")
                    .append(" |\n");
        }
        sb.append('\n');
    }
}
