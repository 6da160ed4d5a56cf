package dev.gmpdefer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real Go runtime's cross-check ({@code realgo/}, {@code scripts/realgo.sh}): the latest complete
 * {@code results/<folder>/realgo.json}. The article's program under none / defer / cpu_control with the
 * runtime's own {@code /sched/latencies:seconds}, and Go's cost per defer from testing.Benchmark.
 * Figures are means over runs with their standard deviation (not JMH's confidence interval).
 */
final class RealGo {
    /** The file name that scripts/realgo.sh writes in its run folder. */
    static final String FILE = "realgo.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run of the article's program. */
    record Run(String treatment, int procs, double wallMs, double cpuMs, double p50Us, double p95Us, double p99Us,
               double meanUs, long samples, long gcs) {
    }

    /** One testing.Benchmark result. */
    record Cost(String name, String kind, int defers, double nsPerOp, double nsPerDefer, long bytesPerOp,
                long allocsPerOp) {
    }

    final RunInfo run;
    final String goVersion;
    final int numCpu;
    final int goroutines;
    final int loops;
    final int density;
    final List<Run> runs;
    final List<Cost> costs;

    private RealGo(RunInfo run, String goVersion, int numCpu, int goroutines, int loops, int density, List<Run> runs,
                   List<Cost> costs) {
        this.run = run;
        this.goVersion = goVersion;
        this.numCpu = numCpu;
        this.goroutines = goroutines;
        this.loops = loops;
        this.density = density;
        this.runs = runs;
        this.costs = costs;
    }

    /**
     * The last listed (in {@code reference.txt}; without it, the latest by folder name) complete reference folder ({@link Reference}) under {@code resultsDir} with
     * a {@value #FILE}; null when there is none. Incomplete folders (an INCOMPLETE file) are skipped; an
     * unreadable file is an error naming it.
     */
    static RealGo load(Path resultsDir) throws IOException {
        if (!Files.isDirectory(resultsDir)) {
            return null;
        }
        List<String> manifest = Reference.read(resultsDir);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(resultsDir)) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve(FILE)) && !Files.exists(d.resolve("INCOMPLETE")))
                    .filter(d -> Reference.includes(manifest, d.getFileName().toString()))
                    .sorted(manifest != null
                            ? Comparator.comparingInt((Path d) -> manifest.indexOf(d.getFileName().toString())).reversed()
                            : Comparator.comparing((Path d) -> d.getFileName().toString()).reversed())
                    .collect(Collectors.toList());
        }
        return dirs.isEmpty() ? null : loadFolder(dirs.get(0));
    }

    /** The {@value #FILE} of one run folder; null when it has none. */
    static RealGo loadFolder(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(FILE))) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(dir.resolve(FILE).toFile());
        } catch (IOException e) {
            throw new IOException(dir.getFileName() + "/" + FILE + " is not valid JSON: " + e.getMessage(), e);
        }
        List<Run> runs = new ArrayList<>();
        for (JsonNode r : root.path("runs")) {
            runs.add(new Run(r.path("treatment").asText(), r.path("procs").asInt(), r.path("wallMs").asDouble(),
                    r.path("cpuMs").asDouble(), r.path("p50Us").asDouble(), r.path("p95Us").asDouble(),
                    r.path("p99Us").asDouble(), r.path("meanUs").asDouble(), r.path("samples").asLong(),
                    r.path("gcs").asLong()));
        }
        List<Cost> costs = new ArrayList<>();
        for (JsonNode c : root.path("costs")) {
            costs.add(new Cost(c.path("name").asText(), c.path("kind").asText(), c.path("defers").asInt(),
                    c.path("nsPerOp").asDouble(), c.path("nsPerDefer").asDouble(), c.path("bytesPerOp").asLong(),
                    c.path("allocsPerOp").asLong()));
        }
        RunInfo info = ResultStore.runInfo(dir.getFileName().toString(), ResultStore.readEnv(dir, new ArrayList<>()),
                null);
        return new RealGo(info, root.path("goVersion").asText("unknown"), root.path("numCPU").asInt(),
                root.path("goroutines").asInt(), root.path("loops").asInt(), root.path("density").asInt(),
                List.copyOf(runs), List.copyOf(costs));
    }

    /** The GOMAXPROCS values measured, ascending. */
    List<Integer> procs() {
        return runs.stream().map(Run::procs).distinct().sorted().collect(Collectors.toList());
    }

    /** The runs of one configuration. */
    List<Run> of(int procs, String treatment) {
        return runs.stream().filter(r -> r.procs() == procs && r.treatment().equals(treatment))
                .collect(Collectors.toList());
    }

    /**
     * Mean and standard deviation (as the error, n-1) of a figure over the runs of one configuration; null
     * when there is no run. The unit is given by the caller.
     */
    Metric stat(int procs, String treatment, ToDoubleFunction<Run> f, String unit) {
        List<Run> rs = of(procs, treatment);
        if (rs.isEmpty()) {
            return null;
        }
        double mean = rs.stream().mapToDouble(f).average().orElse(Double.NaN);
        double sd = Double.NaN;
        if (rs.size() > 1) {
            double ss = rs.stream().mapToDouble(f).map(v -> (v - mean) * (v - mean)).sum();
            sd = Math.sqrt(ss / (rs.size() - 1));
        }
        return new Metric(mean, sd, unit);
    }

    /** The measured GOMAXPROCS nearest {@code target}; -1 when nothing was measured. */
    int nearestProcs(int target) {
        int best = -1;
        for (int p : procs()) {
            if (best < 0 || Math.abs(p - target) < Math.abs(best - target)) {
                best = p;
            }
        }
        return best;
    }

    /** The cost row whose name starts with {@code prefix}; null if absent. */
    Cost cost(String prefix) {
        return costs.stream().filter(c -> c.name().startsWith(prefix)).findFirst().orElse(null);
    }

    /** "Real Go go1.19.8, GOMAXPROCS=4, on the Runs table's machine [folder]" for evidence lines. */
    String at(int procs) {
        return String.format(Locale.ROOT, "Real Go %s, GOMAXPROCS=%d, %d CPUs [%s]", goVersion, procs, numCpu,
                run.name());
    }

    /** The report section. */
    void render(StringBuilder sb) {
        sb.append("## Real Go runtime (cross-check)\n\n");
        sb.append(String.format(Locale.ROOT, "The article's program on the real Go runtime (`realgo/`, "
                + "`scripts/realgo.sh`): %d goroutines x %d x (%d defers + `runtime.Gosched()`) for `defer`, the "
                + "same loop without defers for `none`, and for `cpu_control` the loop spinning, per defer, the "
                + "extra process CPU time `defer` took over `none` in the same process. Scheduling latency is "
                + "the runtime's own `/sched/latencies:seconds` histogram (upper bound of the bucket holding the "
                + "percentile; the runtime samples one G start in 8). Each figure is the mean over the runs "
                + "`±` their standard deviation.\n\n", goroutines, loops, density));
        sb.append("- Run: `").append(run.name()).append("`, ").append(goVersion).append(" (the article used "
                + "go1.22.5), ").append(run.machine()).append(", ").append(run.date()).append(", commit ")
                .append(run.commit()).append(".\n\n");
        sb.append("| GOMAXPROCS | treatment | runs | p50 us | p95 us | p99 us | mean us | CPU ms/run | "
                + "wall ms/run | GCs/run |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (int p : procs()) {
            for (String t : List.of("none", "defer", "cpu_control")) {
                List<Run> rs = of(p, t);
                if (rs.isEmpty()) {
                    continue;
                }
                sb.append("| ").append(p).append(" | ").append(t).append(" | ").append(rs.size()).append(" | ")
                        .append(Fmt.withErr(stat(p, t, Run::p50Us, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(p, t, Run::p95Us, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(p, t, Run::p99Us, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(p, t, Run::meanUs, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(p, t, Run::cpuMs, "ms"))).append(" | ")
                        .append(Fmt.withErr(stat(p, t, Run::wallMs, "ms"))).append(" | ")
                        .append(Fmt.num(stat(p, t, r -> r.gcs(), "count").score())).append(" |\n");
            }
        }
        sb.append('\n');
        for (int p : procs()) {
            String e = effect(p);
            if (e != null) {
                sb.append("- GOMAXPROCS=").append(p).append(": ").append(e).append('\n');
            }
        }
        sb.append('\n');
        if (!costs.isEmpty()) {
            sb.append("Go's cost per defer on this machine (`testing.Benchmark`, ns per defer = (ns/op − plain "
                    + "call) / defers; for the loops, registering and running each record):\n\n");
            sb.append("| function | what Go's compiler makes of it | defers | ns/op | ns per defer | B/op | "
                    + "allocs/op |\n|---|---|---|---|---|---|---|\n");
            for (Cost c : costs) {
                sb.append("| ").append(Fmt.cell(c.name())).append(" | ").append(Fmt.cell(c.kind())).append(" | ")
                        .append(c.defers()).append(" | ").append(Fmt.num(c.nsPerOp())).append(" | ")
                        .append(c.defers() == 0 ? "-" : Fmt.num(c.nsPerDefer())).append(" | ")
                        .append(c.bytesPerOp()).append(" | ").append(c.allocsPerOp()).append(" |\n");
            }
            sb.append('\n');
        }
    }

    /**
     * defer vs cpu_control at {@code procs}, with the same rule as the model's comparison (the standard
     * deviations standing in for the errors) and the CPU match; null when either is missing.
     */
    String effect(int procs) {
        Metric d50 = stat(procs, "defer", Run::p50Us, "us");
        Metric c50 = stat(procs, "cpu_control", Run::p50Us, "us");
        Metric n50 = stat(procs, "none", Run::p50Us, "us");
        if (d50 == null || c50 == null) {
            return null;
        }
        Metric dc = stat(procs, "defer", Run::cpuMs, "ms");
        Metric cc = stat(procs, "cpu_control", Run::cpuMs, "ms");
        boolean ex = VerdictRules.exceeds(d50, c50);
        Boolean stands = VerdictRules.cpuComparisonStands(dc, cc, ex);
        Metric d95 = stat(procs, "defer", Run::p95Us, "us");
        Metric c95 = stat(procs, "cpu_control", Run::p95Us, "us");
        boolean ex95 = VerdictRules.exceeds(d95, c95);
        Metric dg = stat(procs, "defer", r -> r.gcs(), "count");
        Metric cg = stat(procs, "cpu_control", r -> r.gcs(), "count");
        return String.format(Locale.ROOT, "P50 none %s, defer %s, cpu_control %s us: defer − cpu_control %s us, %s; "
                + "P95 defer %s vs cpu_control %s us, %s; CPU per run defer %s vs cpu_control %s ms (x%s)%s; "
                + "GCs per run defer %s, cpu_control %s.", Fmt.withErr(n50), Fmt.withErr(d50),
                Fmt.withErr(c50), Fmt.num(d50.score() - c50.score()), ex ? "beyond the spread" : "within the spread "
                + "(no effect beyond CPU)", Fmt.withErr(d95), Fmt.withErr(c95), ex95 ? "defer higher beyond the "
                + "spread" : "within the spread", Fmt.withErr(dc), Fmt.withErr(cc), Fmt.num(cc.score() / dc.score()),
                Boolean.FALSE.equals(stands) ? ": inconclusive, the control's CPU did not match" : "",
                Fmt.num(dg.score()), Fmt.num(cg.score()));
    }
}
