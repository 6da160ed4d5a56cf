package dev.gmpdefer.report.render;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gmpdefer.report.load.RealGo.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The report's "Real Go runtime" section and its per-workload and profile blocks, rendered from one
 * {@link RealGo} (loaded by the load room); comparisons are decided by {@link EffectRule}.
 */
public final class RealGoView {
    private final RealGo g;

    public RealGoView(RealGo g) {
        this.g = g;
    }

    /**
     * defer vs cpu_control of one cell for the runtime's P50 and P95, decided by the one rule
     * ({@link EffectRule}, the CPU match included); null when either is missing.
     */
    public String effect(String workload, int procs) {
        Metric d50 = g.stat(workload, procs, "defer", Run::p50Us, "us");
        Metric c50 = g.stat(workload, procs, "cpu_control", Run::p50Us, "us");
        Metric n50 = g.stat(workload, procs, "none", Run::p50Us, "us");
        if (d50 == null || c50 == null) {
            return null;
        }
        Metric dc = g.stat(workload, procs, "defer", Run::cpuMs, "ms");
        Metric cc = g.stat(workload, procs, "cpu_control", Run::cpuMs, "ms");
        Metric d95 = g.stat(workload, procs, "defer", Run::p95Us, "us");
        Metric c95 = g.stat(workload, procs, "cpu_control", Run::p95Us, "us");
        Metric dg = g.stat(workload, procs, "defer", r -> r.gcCycles(), "count");
        Metric cg = g.stat(workload, procs, "cpu_control", r -> r.gcCycles(), "count");
        return String.format(Locale.ROOT, "P50 none %s, defer %s, cpu_control %s us: defer / cpu_control %s; "
                + "P95 defer %s vs cpu_control %s us: %s; CPU per run defer %s vs cpu_control %s ms (x%s); "
                + "GCs per run defer %s, cpu_control %s.", Fmt.withErr(n50), Fmt.withErr(d50),
                Fmt.withErr(c50), judged(EffectRule.go(g, workload, procs, "defer", "cpu_control", Run::p50Us)),
                Fmt.withErr(d95), Fmt.withErr(c95),
                judged(EffectRule.go(g, workload, procs, "defer", "cpu_control", Run::p95Us)), Fmt.withErr(dc),
                Fmt.withErr(cc), Fmt.num(cc.score() / dc.score()), Fmt.num(dg.score()), Fmt.num(cg.score()));
    }

    /** A judged comparison in words: the ratio of run medians with its interval and what the rule decides. */
    static String judged(EffectRule.Judged j) {
        if (j.missing()) {
            return "not measured";
        }
        Stats.Ratio r = j.ratio();
        String ratio = Fmt.ratio(r.ratio()) + (Double.isNaN(r.lo()) ? "" : " [" + Fmt.num(r.lo()) + ", "
                + Fmt.num(r.hi()) + "]") + " (ratio of run medians, n=" + r.na() + "/" + r.nb() + ")";
        String margin = "±" + Math.round(VerdictRules.EQUIVALENCE_MARGIN * 100) + " %";
        switch (j.effect()) {
            case UP: return ratio + ", higher (beyond " + margin + ")";
            case DOWN: return ratio + ", lower (beyond " + margin + ")";
            case NONE: return ratio + ", no effect (within " + margin + ")";
            case UNMATCHED: return ratio + ", unmatched: the control's CPU did not match defer's, so it decides nothing";
            default:
                return ratio + ", undecided" + (j.verdict().outcome() == Stats.Outcome.TOO_FEW_RUNS
                        ? " (too few runs)" : " (the interval straddles " + margin + "; " + Stats.power(r) + ")");
        }
    }

    // ---- rendering ----

    /** The report's real-Go section: the run, the attribution of the defer effect, the GC calibration, costs. */
    public void render(StringBuilder sb) {
        sb.append("## Real Go runtime\n\n");
        sb.append("The model's latency workloads on the real Go runtime (`realgo/`, `scripts/realgo.sh`, "
                + "[docs/realgo.md](../docs/realgo.md)), each with its JMH benchmark's shape and parameters, under "
                + "`none`, `defer`, `cpu_control` (no defers; spins per defer the extra process CPU `defer` took "
                + "over `none` in calibration runs of the same process), `alloc_control` (no defers; allocates a "
                + "record-sized object per defer, live until return), and for attribution `defer_gcoff` (`defer` "
                + "with `debug.SetGCPercent(-1)`) and `defer_primed` (`defer_gcoff` with the central defer pool "
                + "filled first, where the defers are heap records), run interleaved. Scheduling latency is the "
                + "workload's own timestamps (every transition it times, within 1.6 %; listed below), the primary "
                + "figure on every Go version since Go 1.26's runtime histogram is coarse; the runtime's own "
                + "`/sched/latencies:seconds` (").append(g.sampling).append("; the upper bound of the "
                + "bucket holding each percentile, buckets ").append(Double.isNaN(g.bucketRelWidth) ? "about 6 %"
                : Fmt.pct(g.bucketRelWidth)).append(" wide at most between 1 µs and 10 s) stands in only where a "
                + "workload has no timestamps of its own. Each figure is the mean "
                + "over the runs `±` their standard deviation; the latency tables below put these beside the "
                + "model's rows.\n\n");
        sb.append("- Run: `").append(g.run.name()).append("`, ").append(g.goVersion).append(" (the article used "
                + "go1.22.5), ").append(g.run.machine()).append(", ").append(g.run.date()).append(", commit ")
                .append(g.run.commit()).append(g.runsPerCell > 0 ? ", " + g.runsPerCell + " runs per cell" : "")
                .append(".\n");
        for (Workload w : g.workloads) {
            sb.append("- ").append(w.name()).append(" (beside ").append(w.bench()).append("): ")
                    .append(g.params(w.name())).append("; GOMAXPROCS ").append(g.procs(w.name()).stream()
                            .map(String::valueOf).collect(Collectors.joining(", ")))
                    .append("; defers: ").append(Fmt.cell(w.records())).append('.')
                    .append(w.own().isEmpty() ? "" : " Own timestamps: " + w.own() + ".").append('\n');
        }
        if (g.pauseN > 0) {
            sb.append("- The runnext steal pause: Go's `runqgrab` sleeps `usleep(3)` before stealing a running P's "
                    + "runnext; on this machine that takes ").append(Fmt.num(g.pauseMedianUs)).append(" µs (median of ")
                    .append(g.pauseN).append(", p90 ").append(Fmt.num(g.pauseP90Us)).append(" µs), the timer slack "
                    + "included. The model's default pause (`StealPause` PARK, `LockSupport.parkNanos(3000)`) stands "
                    + "for it ([docs/runq.md](../docs/runq.md)).\n");
        }
        sb.append('\n');
        attribution(sb);
        calibration(sb);
        costs(sb);
    }

    /** "Where the defer treatment's extra latency comes from" in real Go, with numbers. */
    private void attribution(StringBuilder sb) {
        if (g.schema < 2) {
            for (int p : g.procs(RealGo.ARTICLE)) {
                String e = effect(RealGo.ARTICLE, p);
                if (e != null) {
                    sb.append("- GOMAXPROCS=").append(p).append(": ").append(e).append('\n');
                }
            }
            sb.append('\n');
            return;
        }
        sb.append("### Where the defer treatment's extra latency comes from (real Go)\n\n");
        sb.append("P95 scheduling latency (µs, runtime histogram) of each treatment; `extra CPU` is defer's process "
                + "CPU per run minus none's, `GC CPU` the GC's part of it by difference: defer's process CPU per run "
                + "minus defer_gcoff's (the same work with the GC off; issue 22, item 5). gctrace gives the cycles "
                + "and pauses only: its `ms cpu` sums workers' and assists' wall times, which overstates the CPU "
                + "when GOMAXPROCS exceeds the CPUs.\n\n");
        sb.append("| workload | GOMAXPROCS | none | defer | cpu_control | alloc_control | defer, GC off | defer, "
                + "primed pool, GC off | defer / cpu_control | GCs/run defer (control) | extra CPU ms/run | GC CPU "
                + "ms/run (defer − defer_gcoff) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> findings = new ArrayList<>();
        for (String w : g.workloadNames()) {
            for (int p : g.procs(w)) {
                Map<String, Metric> p95 = new LinkedHashMap<>();
                for (String t : RealGo.TREATMENTS) {
                    p95.put(t, g.stat(w, p, t, Run::p95Us, "us"));
                }
                Metric d = p95.get("defer");
                Metric c = p95.get("cpu_control");
                Metric dCpu = g.stat(w, p, "defer", Run::cpuMs, "ms");
                Metric nCpu = g.stat(w, p, "none", Run::cpuMs, "ms");
                Metric offCpu = g.stat(w, p, "defer_gcoff", Run::cpuMs, "ms");
                Metric gcCpu = dCpu == null || offCpu == null ? null
                        : new Metric(dCpu.score() - offCpu.score(), Double.NaN, "ms");
                Metric gcs = g.stat(w, p, "defer", r -> r.gcCycles(), "count");
                Metric cgcs = g.stat(w, p, "cpu_control", r -> r.gcCycles(), "count");
                sb.append("| ").append(w).append(" | ").append(p).append(" |");
                for (String t : RealGo.TREATMENTS) {
                    sb.append(' ').append(p95.get(t) == null ? "-" : Fmt.withErr(p95.get(t))).append(" |");
                }
                sb.append(' ').append(d == null || c == null ? "-" : Fmt.ratio(d.score() / c.score())).append(" | ")
                        .append(gcs == null ? "-" : Fmt.num(gcs.score()) + " (" + (cgcs == null ? "-"
                                : Fmt.num(cgcs.score())) + ")").append(" | ")
                        .append(dCpu == null || nCpu == null ? "-" : Fmt.num(dCpu.score() - nCpu.score()))
                        .append(" | ").append(gcCpu == null ? "-" : Fmt.num(gcCpu.score())).append(" |\n");
                String f = finding(w, p, p95, dCpu, nCpu, gcCpu, gcs);
                if (f != null) {
                    findings.add(f);
                }
            }
        }
        sb.append('\n');
        for (String f : findings) {
            sb.append("- ").append(f).append('\n');
        }
        sb.append('\n');
        shares(sb);
    }

    /**
     * One cell's attribution in words, computed from its figures: defer against the CPU-matched control, what
     * turning the GC off leaves of defer's P95, a primed pool against fresh records, and the GC's part of the
     * extra CPU. Null when defer or the control is missing.
     */
    private String finding(String w, int p, Map<String, Metric> p95, Metric dCpu, Metric nCpu, Metric gcCpu,
                           Metric gcs) {
        Metric d = p95.get("defer");
        Metric c = p95.get("cpu_control");
        if (d == null || c == null) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        s.append(w).append(", GOMAXPROCS=").append(p).append(": defer's P95 against cpu_control's, as the claims, the "
                + "agreement table and README read it (the workload's own timestamps where it has them): ")
                .append(judged(EffectRule.go(g, w, p, "defer", "cpu_control", RealGo.figure("sched.latency.p95"))))
                .append(". ");
        Metric cCpu = g.stat(w, p, "cpu_control", Run::cpuMs, "ms");
        if (dCpu != null && cCpu != null) {
            s.append("The control burned ").append(Fmt.num(cCpu.score())).append(" ms of CPU per run against defer's ")
                    .append(Fmt.num(dCpu.score())).append(" ms (x").append(Fmt.num(cCpu.score() / dCpu.score()))
                    .append("). ");
        }
        Metric off = p95.get("defer_gcoff");
        if (off != null) {
            s.append("With the GC off, defer's P95 is ").append(Fmt.num(off.score())).append(" us (")
                    .append(Fmt.ratio(off.score() / d.score())).append(" of defer's with the GC, ")
                    .append(Fmt.ratio(off.score() / c.score())).append(" of the control's). ");
        }
        Metric primed = p95.get("defer_primed");
        if (primed != null && off != null) {
            s.append("Records from a primed central pool instead of mallocgc (both with the GC off): P95 ")
                    .append(Fmt.num(primed.score())).append(" vs ").append(Fmt.num(off.score())).append(" us. ");
        }
        if (dCpu != null && nCpu != null && gcCpu != null && gcs != null && dCpu.score() > nCpu.score()) {
            s.append("Defer adds ").append(Fmt.num(dCpu.score() - nCpu.score())).append(" ms of CPU per run over "
                    + "none; turning the GC off takes ").append(Fmt.num(gcCpu.score())).append(" ms of it away (defer − "
                    + "defer_gcoff, process CPU): the GC's part is ").append(Fmt.pct(gcCpu.score() / (dCpu.score() - nCpu.score())))
                    .append(", over ").append(Fmt.num(gcs.score())).append(" cycles per run (gctrace).");
        }
        return s.toString().trim();
    }

    /** The profile shares of the profiled cells, defer beside cpu_control. */
    private void shares(StringBuilder sb) {
        List<String> ws = g.profiles.stream().map(Profile::workload).distinct().collect(Collectors.toList());
        if (ws.isEmpty()) {
            return;
        }
        List<String> names = g.profiles.stream().flatMap(p -> p.shares().keySet().stream()).distinct()
                .collect(Collectors.toList());
        sb.append("CPU profile shares: the fraction of real Go's samples whose stack holds the named functions "
                + "(runtime/pprof at 100 Hz over repeated runs; the collection that starts each run is left out, "
                + "but not its background mark work, so cpu_control's `gc` share is the baseline that collection "
                + "adds; [docs/realgo.md](../docs/realgo.md) defines each share; flame graphs in the flame-graph "
                + "section):\n\n| share |");
        StringBuilder sep = new StringBuilder("|---|");
        for (String w : ws) {
            for (String t : List.of("defer", "cpu_control")) {
                Profile p = g.profile(w, t);
                if (p != null) {
                    sb.append(' ').append(w).append(' ').append(t).append(" (").append(p.samples()).append(" samples) |");
                    sep.append("---|");
                }
            }
        }
        sb.append('\n').append(sep).append('\n');
        for (String n : names) {
            sb.append("| ").append(n).append(" |");
            for (String w : ws) {
                for (String t : List.of("defer", "cpu_control")) {
                    Profile p = g.profile(w, t);
                    if (p != null) {
                        Double v = p.shares().get(n);
                        sb.append(' ').append(v == null ? "-" : Fmt.pct(v)).append(" |");
                    }
                }
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    /** The GC model's calibration figures (issue: Go's GC in the model). */
    private void calibration(StringBuilder sb) {
        if (g.gcCalibration == null) {
            return;
        }
        sb.append("### GC calibration for the model (real Go on this machine)\n\n");
        sb.append("From ").append(Fmt.cell(g.gcCalibration.path("source").asText())).append(": ")
                .append(Fmt.cell(g.gcCalibration.path("method").asText())).append(".\n\n");
        sb.append("| figure | median | p25 | p75 | min | max | cycles |\n|---|---|---|---|---|---|---|\n");
        String[][] rows = {{"markCpuMsPerMb", "mark CPU ms per MB live (assist + background + idle)"},
            {"markCpuMsPerMbNoIdle", "mark CPU ms per MB live (assist + background)"},
            {"sweepTermUs", "sweep-termination pause us"}, {"markTermUs", "mark-termination pause us"},
            {"markWallMs", "concurrent mark wall ms"}, {"triggerOverGoal", "heap at start / goal"},
            {"liveMb", "live heap MB"}};
        for (String[] r : rows) {
            JsonNode s = g.gcCalibration.path(r[0]);
            if (s.isMissingNode()) {
                continue;
            }
            sb.append("| ").append(r[1]).append(" | ").append(Fmt.num(s.path("median").asDouble())).append(" | ")
                    .append(Fmt.num(s.path("p25").asDouble())).append(" | ").append(Fmt.num(s.path("p75").asDouble()))
                    .append(" | ").append(Fmt.num(s.path("min").asDouble())).append(" | ")
                    .append(Fmt.num(s.path("max").asDouble())).append(" | ").append(s.path("n").asInt()).append(" |\n");
        }
        sb.append('\n');
    }

    private void costs(StringBuilder sb) {
        if (g.costs.isEmpty()) {
            return;
        }
        sb.append("Go's cost per defer on this machine (`testing.Benchmark`, ns per defer = (ns/op − plain "
                + "call) / defers; for the loops, registering and running each record):\n\n");
        sb.append("| function | what Go's compiler makes of it | defers | ns/op | ns per defer | B/op | "
                + "allocs/op |\n|---|---|---|---|---|---|---|\n");
        for (Cost c : g.costs) {
            sb.append("| ").append(Fmt.cell(c.name())).append(" | ").append(Fmt.cell(c.kind())).append(" | ")
                    .append(c.defers()).append(" | ").append(Fmt.num(c.nsPerOp())).append(" | ")
                    .append(c.defers() == 0 ? "-" : Fmt.num(c.nsPerDefer())).append(" | ")
                    .append(c.bytesPerOp()).append(" | ").append(c.allocsPerOp()).append(" |\n");
        }
        sb.append('\n');
    }

    /**
     * The per-workload table under a model latency benchmark: every GOMAXPROCS and treatment of the
     * workload it mirrors, with the runtime's and the workload's own latencies, CPU and GC.
     */
    public void renderWorkload(StringBuilder sb, String bench) {
        String w = RealGo.workloadOf(bench);
        if (g.procs(w).isEmpty()) {
            sb.append("Real Go: not measured in `").append(g.run.name()).append("`.\n\n");
            return;
        }
        Workload info = g.workload(w);
        sb.append("Real Go (`").append(g.run.name()).append("`, ").append(g.goVersion).append(", ").append(g.params(w))
                .append("): `p50`-`p99` from the runtime's histogram; `own` from the workload's timestamps (")
                .append(info == null || info.own().isEmpty() ? "none" : info.own()).append(").\n\n");
        boolean slices = g.runs.stream().anyMatch(r -> r.workload().equals(w) && r.slices() != null);
        sb.append("| GOMAXPROCS | treatment | runs | p50 us | p95 us | p99 us | own p50 us | own p95 us | own mean us "
                + "| own max us |").append(slices ? " hog slice p50 us |" : "").append(" CPU ms/run | GCs/run | gctrace "
                + "\"ms cpu\"/run (wall-based) | STW us/run | live heap peak MB |\n|---|---|---|---|---|---|---|---|---|---|")
                .append(slices ? "---|" : "").append("---|---|---|---|---|\n");
        for (int p : g.procs(w)) {
            for (String t : g.treatments(w)) {
                List<Run> rs = g.of(w, p, t);
                sb.append("| ").append(p).append(" | ").append(t).append(" | ").append(rs.size()).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, Run::p50Us, "us"))).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, Run::p95Us, "us"))).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, Run::p99Us, "us"))).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, r -> r.own(Latency::p50Us), "us"))).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, r -> r.own(Latency::p95Us), "us"))).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, r -> r.own(Latency::meanUs), "us"))).append(" | ")
                        .append(Fmt.withErr(g.stat(w, p, t, r -> r.own(Latency::maxUs), "us"))).append(" |");
                if (slices) {
                    sb.append(' ').append(Fmt.withErr(g.stat(w, p, t, r -> r.slices() == null ? Double.NaN
                            : r.slices().p50Us(), "us"))).append(" |");
                }
                sb.append(' ').append(Fmt.withErr(g.stat(w, p, t, Run::cpuMs, "ms"))).append(" | ")
                        .append(num(g.stat(w, p, t, r -> r.gcCycles(), "count"))).append(" | ")
                        .append(num(g.stat(w, p, t, Run::gcCpuMs, "ms"))).append(" | ")
                        .append(num(g.stat(w, p, t, Run::stwUs, "us"))).append(" | ")
                        .append(num(g.stat(w, p, t, Run::heapLivePeakMb, "MB"))).append(" |\n");
            }
        }
        sb.append('\n');
    }

    private static String num(Metric m) {
        return m == null ? "-" : Fmt.num(m.score());
    }

    /** The real-Go profiles for the flame-graph section, with links relative to the report. */
    public void renderProfiles(StringBuilder sb, String resultsLink) {
        if (g.profiles.isEmpty()) {
            return;
        }
        sb.append("Real Go (`").append(g.run.name()).append("`, ").append(g.goVersion).append("): runtime/pprof CPU "
                + "profiles of repeated runs, as collapsed stacks (from `go tool pprof "
                + "-traces`) and HTML flame graphs (async-profiler's converter). `runqsteal` is C6's schedule -> "
                + "findRunnable -> runqsteal path; every share is in the real-Go section above.\n\n");
        sb.append("| workload | treatment | GOMAXPROCS | runs | samples | findRunnable | runqsteal | flame graph | "
                + "collapsed | pprof |\n|---|---|---|---|---|---|---|---|---|---|\n");
        String base = (resultsLink.isEmpty() ? "" : resultsLink + "/") + g.run.name() + "/";
        for (Profile p : g.profiles) {
            String html = p.collapsed().isEmpty() ? "" : p.collapsed().replaceAll("\\.collapsed$", ".html");
            boolean hasHtml = !html.isEmpty() && Files.isRegularFile(g.dir.resolve(html));
            sb.append("| ").append(p.workload()).append(" | ").append(p.treatment()).append(" | ").append(p.procs())
                    .append(" | ").append(p.runs()).append(" | ").append(p.samples()).append(" | ")
                    .append(share(p, "findRunnable")).append(" | ").append(share(p, "runqsteal")).append(" | ")
                    .append(hasHtml ? "[html](" + base + html + ")" : "-").append(" | ")
                    .append(p.collapsed().isEmpty() ? "-" : "[collapsed](" + base + p.collapsed() + ")").append(" | ")
                    .append(p.pprof().isEmpty() ? "-" : "[pb.gz](" + base + p.pprof() + ")").append(" |\n");
        }
        sb.append('\n');
    }

    private static String share(Profile p, String name) {
        Double v = p.shares().get(name);
        return v == null ? "-" : Fmt.pct(v);
    }
}
