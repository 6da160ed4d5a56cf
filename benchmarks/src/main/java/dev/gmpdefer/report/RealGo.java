package dev.gmpdefer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * The real Go runtime beside the model ({@code realgo/}, {@code scripts/realgo.sh}, docs/realgo.md): the
 * latest complete reference {@code results/<folder>/realgo.json}. The model's six latency workloads under
 * none / defer / cpu_control / alloc_control / defer_gcoff / defer_primed with the runtime's own
 * {@code /sched/latencies:seconds}, the workloads' own timestamps, GC figures from gctrace, CPU profiles,
 * the GC model's calibration and Go's cost per defer. Figures are means over runs with their standard
 * deviation (not JMH's confidence interval). Reads schema 2 and the older schema 1 (the article's program
 * only).
 */
final class RealGo {
    /** The file name that scripts/realgo.sh writes in its run folder. */
    static final String FILE = "realgo.json";

    /** The article's program (claims C1-C6). */
    static final String ARTICLE = "ArticleGosched";

    /** The treatments in report order. */
    static final List<String> TREATMENTS = List.of("none", "defer", "cpu_control", "alloc_control", "defer_gcoff",
            "defer_primed");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A latency distribution (µs); null fields of a run are absent distributions. */
    record Latency(String what, double p50Us, double p95Us, double p99Us, double maxUs, double meanUs,
                   long samples) {
        static Latency of(JsonNode n) {
            if (n == null || n.isMissingNode() || n.isNull()) {
                return null;
            }
            return new Latency(n.path("what").asText(""), n.path("p50Us").asDouble(), n.path("p95Us").asDouble(),
                    n.path("p99Us").asDouble(), n.path("maxUs").asDouble(), n.path("meanUs").asDouble(),
                    n.path("samples").asLong());
        }
    }

    /** One run of one workload under one treatment (docs/realgo.md). */
    record Run(String workload, String treatment, int procs, Map<String, Integer> params, double wallMs,
               double cpuMs, long gcCycles, double gcCpuMs, double stwUs, double heapLivePeakMb, double p50Us,
               double p95Us, double p99Us, double meanUs, long samples, Latency own, Latency slices,
               double[][] schedHist) {
        /** A figure of the workload's own timestamps; NaN when it has none. */
        double own(ToDoubleFunction<Latency> f) {
            return own == null ? Double.NaN : f.applyAsDouble(own);
        }
    }

    /** One testing.Benchmark result. */
    record Cost(String name, String kind, int defers, double nsPerOp, double nsPerDefer, long bytesPerOp,
                long allocsPerOp) {
        /** ns per defer, or per call for the plain call (no defers). */
        double ns() {
            return defers == 0 ? nsPerOp : nsPerDefer;
        }
    }

    /** What a workload is: the model benchmark it mirrors, its parameters, what Go makes of its defers. */
    record Workload(String name, String bench, Map<String, Integer> params, String records, String own) {
    }

    /** One CPU profile: paths relative to the run folder, shares of its samples by name. */
    record Profile(String workload, String treatment, int procs, long samples, int runs, String pprof,
                   String collapsed, Map<String, Double> shares) {
    }

    /** The cpu_control calibration of one cell. */
    record Control(String workload, int procs, int pairs, double nsPerDefer) {
    }

    /**
     * One host fingerprint (realgo/fingerprint.go, dev.gmpdefer.bench.Fingerprint): side "go" or "jvm",
     * when in its block ("start", "end"), ns per dependent load over a buffer larger than the last-level
     * cache, ns per xorshift step.
     */
    record Fingerprint(String side, String when, String block, String date, double memNsPerLoad,
                       double xorshiftNsPerStep) {
    }

    /**
     * A traced run's waits split by what the Ps did meanwhile (realgo/tracewait; docs/realgo.md
     * waitByCause): µs per cause for all waits and for the waits above the run's P95.
     */
    record Traced(String workload, String treatment, int procs, long waits, double waitUs, long tailWaits,
                  double tailUs, Map<String, Double> all, Map<String, Double> tail) {
    }

    final RunInfo run;
    final Path dir;
    final String goVersion;
    final int numCpu;
    final int schema;
    final int runsPerCell;
    final String sampling;
    final double bucketRelWidth;
    final List<Workload> workloads;
    final List<Run> runs;
    final List<Cost> costs;
    final List<Profile> profiles;
    final List<Control> controls;
    /** The GC model's calibration as realgo wrote it (docs/realgo.md), or null. */
    final JsonNode gcCalibration;
    /** runtime.usleep(3), the runnext steal pause, as timed on this machine (µs); NaN when not measured. */
    final double pauseMedianUs;
    final double pauseP90Us;
    final int pauseN;
    /** The paired session this document belongs to ("" for a stand-alone realgo run). */
    final String session;
    /** GOEXPERIMENT of the build ("" for the toolchain's defaults). */
    final String goExperiment;
    /**
     * The experiment this document was made for ("" for a stand-alone realgo run; "footprints": the in-situ
     * decomposition, {@link FootprintView}); an experiment never decides claims or stands for a Go version.
     */
    final String experiment;
    final List<Fingerprint> fingerprints;
    final List<Traced> traced;

    private RealGo(RunInfo run, Path dir, JsonNode root, List<Workload> workloads, List<Run> runs, List<Cost> costs,
                   List<Profile> profiles, List<Control> controls) {
        this.run = run;
        this.dir = dir;
        this.goVersion = root.path("goVersion").asText("unknown");
        this.numCpu = root.path("numCPU").asInt();
        this.schema = root.path("schema").asInt(1);
        this.runsPerCell = root.path("runsPerCell").asInt(0);
        this.sampling = root.path("histogram").path("sampling").asText("one G start in 8");
        this.bucketRelWidth = root.path("histogram").path("bucketRelWidth").asDouble(Double.NaN);
        this.workloads = workloads;
        this.runs = runs;
        this.costs = costs;
        this.profiles = profiles;
        this.controls = controls;
        JsonNode pause = root.path("stealPause");
        this.pauseMedianUs = pause.path("medianUs").asDouble(Double.NaN);
        this.pauseP90Us = pause.path("p90Us").asDouble(Double.NaN);
        this.pauseN = pause.path("n").asInt(0);
        JsonNode cal = root.path("gcCalibration");
        this.gcCalibration = cal.isMissingNode() || cal.isNull() ? null : cal;
        this.session = root.path("session").asText("");
        this.goExperiment = root.path("goExperiment").asText("");
        this.experiment = root.path("experiment").asText("");
        List<Fingerprint> fps = new ArrayList<>();
        for (JsonNode f : root.path("fingerprints")) {
            fps.add(new Fingerprint(f.path("side").asText(), f.path("when").asText(), f.path("block").asText(""),
                    f.path("date").asText(""), f.path("memNsPerLoad").asDouble(Double.NaN),
                    f.path("xorshiftNsPerStep").asDouble(Double.NaN)));
        }
        this.fingerprints = List.copyOf(fps);
        List<Traced> tr = new ArrayList<>();
        for (JsonNode r : root.path("traced")) {
            JsonNode w = r.path("waitByCause");
            if (w.isMissingNode() || w.isNull()) {
                continue;
            }
            tr.add(new Traced(r.path("workload").asText(), r.path("treatment").asText(), r.path("procs").asInt(),
                    w.path("waits").asLong(), w.path("waitUs").asDouble(), w.path("tailWaits").asLong(),
                    w.path("tailUs").asDouble(), doubles(w.path("all")), doubles(w.path("tail"))));
        }
        this.traced = List.copyOf(tr);
    }

    private static Map<String, Double> doubles(JsonNode n) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asDouble());
        }
        return m;
    }

    /** The Go minor version ("go1.26.8" -> 26); -1 when unreadable. */
    int goMinor() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("go1\\.(\\d+)").matcher(goVersion);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The Go version with its GOEXPERIMENT, as a column heading ("go1.26.8", "go1.26.8 nogreenteagc"). */
    String goLabel() {
        return goExperiment.isEmpty() || goVersion.contains(goExperiment) ? goVersion : goVersion + " " + goExperiment;
    }

    /** The traced runs of one cell. */
    List<Traced> tracedOf(String workload, int procs, String treatment) {
        return traced.stream().filter(t -> t.workload().equals(workload) && t.procs() == procs
                && t.treatment().equals(treatment)).collect(Collectors.toList());
    }

    /**
     * The real Go that decides claims about Go: of the stand-alone realgo runs (not a paired session's,
     * not a GOEXPERIMENT build) in {@link #loadAll}, the newest Go version, and of its runs the last listed;
     * null when there is none.
     */
    static RealGo load(Path resultsDir) throws IOException {
        return primary(loadAll(resultsDir));
    }

    /** {@link #load}'s choice among documents already loaded. */
    static RealGo primary(List<RealGo> all) {
        RealGo best = null;
        for (RealGo g : all) { // latest listed first: a later one wins only with a newer Go
            if (g.session.isEmpty() && g.goExperiment.isEmpty() && g.experiment.isEmpty()
                    && (best == null || g.goMinor() > best.goMinor())) {
                best = g;
            }
        }
        return best;
    }

    /**
     * One stand-alone realgo run per Go version and GOEXPERIMENT (the last listed of each), newest Go
     * first: the columns of the versions table.
     */
    static List<RealGo> versions(List<RealGo> all) {
        Map<String, RealGo> byLabel = new LinkedHashMap<>();
        for (RealGo g : all) {
            if (g.session.isEmpty() && g.experiment.isEmpty()) {
                byLabel.putIfAbsent(g.goMinor() + " " + g.goExperiment, g);
            }
        }
        List<RealGo> out = new ArrayList<>(byLabel.values());
        out.sort(Comparator.comparingInt(RealGo::goMinor).reversed()
                .thenComparing(g -> g.goExperiment));
        return out;
    }

    /** The documents of one experiment ({@link #experiment}), latest listed first. */
    static List<RealGo> experiments(List<RealGo> all, String name) {
        return all.stream().filter(g -> g.experiment.equals(name)).collect(Collectors.toList());
    }

    /** The paired sessions' documents, latest listed first. */
    static List<RealGo> sessions(List<RealGo> all) {
        return all.stream().filter(g -> !g.session.isEmpty()).collect(Collectors.toList());
    }

    /**
     * Every listed (in {@code reference.txt}; without it, every) complete reference folder ({@link Reference})
     * under {@code resultsDir} with a {@value #FILE}, the last listed (without a manifest: the latest by
     * folder name) first. Incomplete folders (an INCOMPLETE file) are skipped; an unreadable file is an
     * error naming it.
     */
    static List<RealGo> loadAll(Path resultsDir) throws IOException {
        if (!Files.isDirectory(resultsDir)) {
            return List.of();
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
        List<RealGo> out = new ArrayList<>();
        for (Path d : dirs) {
            out.add(loadFolder(d));
        }
        return out;
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
        boolean v1 = root.path("schema").asInt(1) < 2;
        // schema 1: the article's program only, its parameters at the top level
        Map<String, Integer> v1Params = new TreeMap<>();
        for (String k : List.of("goroutines", "loops", "density")) {
            if (root.has(k)) {
                v1Params.put(k, root.path(k).asInt());
            }
        }
        List<Workload> workloads = new ArrayList<>();
        if (v1) {
            workloads.add(new Workload(ARTICLE, ARTICLE + "Bench", v1Params, "heap", ""));
        }
        for (JsonNode w : root.path("workloads")) {
            workloads.add(new Workload(w.path("workload").asText(), w.path("bench").asText(), ints(w.path("params")),
                    w.path("records").asText(""), w.path("own").asText("")));
        }
        List<Run> runs = new ArrayList<>();
        for (JsonNode r : root.path("runs")) {
            runs.add(new Run(r.path("workload").asText(ARTICLE), r.path("treatment").asText(), r.path("procs").asInt(),
                    v1 ? v1Params : ints(r.path("params")), r.path("wallMs").asDouble(), r.path("cpuMs").asDouble(),
                    r.has("gcCycles") ? r.path("gcCycles").asLong() : r.path("gcs").asLong(),
                    r.path("gcCpuMs").asDouble(Double.NaN), r.path("stwUs").asDouble(Double.NaN),
                    r.path("heapLivePeakMb").asDouble(Double.NaN), r.path("p50Us").asDouble(),
                    r.path("p95Us").asDouble(), r.path("p99Us").asDouble(), r.path("meanUs").asDouble(),
                    r.path("samples").asLong(), Latency.of(r.get("own")), Latency.of(r.get("slices")),
                    Distributions.buckets(r.path("schedHist"))));
        }
        List<Cost> costs = new ArrayList<>();
        for (JsonNode c : root.path("costs")) {
            costs.add(new Cost(c.path("name").asText(), c.path("kind").asText(), c.path("defers").asInt(),
                    c.path("nsPerOp").asDouble(), c.path("nsPerDefer").asDouble(), c.path("bytesPerOp").asLong(),
                    c.path("allocsPerOp").asLong()));
        }
        List<Profile> profiles = new ArrayList<>();
        for (JsonNode p : root.path("profiles")) {
            Map<String, Double> shares = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = p.path("shares").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                shares.put(e.getKey(), e.getValue().asDouble());
            }
            profiles.add(new Profile(p.path("workload").asText(), p.path("treatment").asText(), p.path("procs").asInt(),
                    p.path("samples").asLong(), p.path("runs").asInt(), p.path("pprof").asText(""),
                    p.path("collapsed").asText(""), shares));
        }
        List<Control> controls = new ArrayList<>();
        for (JsonNode c : root.path("controls")) {
            controls.add(new Control(c.path("workload").asText(), c.path("procs").asInt(), c.path("pairs").asInt(),
                    c.path("nsPerDefer").asDouble()));
        }
        RunInfo info = ResultStore.runInfo(dir.getFileName().toString(), ResultStore.readEnv(dir, new ArrayList<>()),
                null);
        return new RealGo(info, dir, root, List.copyOf(workloads), List.copyOf(runs), List.copyOf(costs),
                List.copyOf(profiles), List.copyOf(controls));
    }

    private static Map<String, Integer> ints(JsonNode n) {
        Map<String, Integer> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asInt());
        }
        return m;
    }

    /** The realgo workload a model benchmark mirrors ("ArticleGoschedBench" -> "ArticleGosched"). */
    static String workloadOf(String bench) {
        return bench.endsWith("Bench") ? bench.substring(0, bench.length() - "Bench".length()) : bench;
    }

    /** The workload's description; null when this run has none. */
    Workload workload(String name) {
        return workloads.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
    }

    /** The workloads measured, in the document's order. */
    List<String> workloadNames() {
        return runs.stream().map(Run::workload).distinct().collect(Collectors.toList());
    }

    /** The GOMAXPROCS values measured for a workload, ascending. */
    List<Integer> procs(String workload) {
        return runs.stream().filter(r -> r.workload().equals(workload)).map(Run::procs).distinct().sorted()
                .collect(Collectors.toList());
    }

    /** The treatments measured for a workload, in report order. */
    List<String> treatments(String workload) {
        List<String> present = runs.stream().filter(r -> r.workload().equals(workload)).map(Run::treatment)
                .distinct().collect(Collectors.toList());
        List<String> out = new ArrayList<>(TREATMENTS);
        out.retainAll(present);
        present.stream().filter(t -> !out.contains(t)).sorted().forEach(out::add);
        return out;
    }

    /** The runs of one configuration. */
    List<Run> of(String workload, int procs, String treatment) {
        return runs.stream().filter(r -> r.workload().equals(workload) && r.procs() == procs
                && r.treatment().equals(treatment)).collect(Collectors.toList());
    }

    /**
     * Mean and standard deviation (as the error, n-1) of a figure over the runs of one configuration; null
     * when there is no run or the figure is absent (NaN). The unit is given by the caller.
     */
    Metric stat(String workload, int procs, String treatment, ToDoubleFunction<Run> f, String unit) {
        double[] v = of(workload, procs, treatment).stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) {
            return null;
        }
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double sd = Double.NaN;
        if (v.length > 1) {
            double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            sd = Math.sqrt(ss / (v.length - 1));
        }
        return new Metric(mean, sd, unit);
    }

    /** The measured GOMAXPROCS of a workload nearest {@code target}; -1 when nothing was measured. */
    int nearestProcs(String workload, int target) {
        int best = -1;
        for (int p : procs(workload)) {
            if (best < 0 || Math.abs(p - target) <= Math.abs(best - target)) {
                best = p;
            }
        }
        return best;
    }

    /** The cost row whose name starts with {@code prefix}; null if absent. */
    Cost cost(String prefix) {
        return costs.stream().filter(c -> c.name().startsWith(prefix)).findFirst().orElse(null);
    }

    /** The profile of one cell; null if absent. */
    Profile profile(String workload, String treatment) {
        return profiles.stream().filter(p -> p.workload().equals(workload) && p.treatment().equals(treatment))
                .findFirst().orElse(null);
    }

    /** "Real Go go1.19.8, ArticleGosched, GOMAXPROCS=4, 2 CPUs [folder]" for evidence lines. */
    String at(String workload, int procs) {
        return String.format(Locale.ROOT, "Real Go %s, %s, GOMAXPROCS=%d, %d CPUs [%s]", goVersion, workload, procs,
                numCpu, run.name());
    }

    /** The parameters of a workload as "k=v, ...". */
    String params(String workload) {
        Workload w = workload(workload);
        Map<String, Integer> p = w != null ? w.params() : runs.stream().filter(r -> r.workload().equals(workload))
                .map(Run::params).findFirst().orElse(Map.of());
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** One run's value of a model latency metric, where the runtime's histogram gives it; null otherwise. */
    static ToDoubleFunction<Run> figure(String modelMetric) {
        switch (modelMetric) {
            case "sched.latency.p50":
                return r -> r.own() != null ? r.own().p50Us() : r.p50Us();
            case "sched.latency.p95":
                return r -> r.own() != null ? r.own().p95Us() : r.p95Us();
            case "sched.latency.p99":
                return r -> r.own() != null ? r.own().p99Us() : r.p99Us();
            case "sched.latency.mean":
                return r -> r.own() != null ? r.own().meanUs() : r.meanUs();
            default:
                return null;
        }
    }

    /**
     * defer vs cpu_control of one cell for the runtime's P50 and P95, decided by the one rule
     * ({@link EffectRule}, the CPU match included); null when either is missing.
     */
    String effect(String workload, int procs) {
        Metric d50 = stat(workload, procs, "defer", Run::p50Us, "us");
        Metric c50 = stat(workload, procs, "cpu_control", Run::p50Us, "us");
        Metric n50 = stat(workload, procs, "none", Run::p50Us, "us");
        if (d50 == null || c50 == null) {
            return null;
        }
        Metric dc = stat(workload, procs, "defer", Run::cpuMs, "ms");
        Metric cc = stat(workload, procs, "cpu_control", Run::cpuMs, "ms");
        Metric d95 = stat(workload, procs, "defer", Run::p95Us, "us");
        Metric c95 = stat(workload, procs, "cpu_control", Run::p95Us, "us");
        Metric dg = stat(workload, procs, "defer", r -> r.gcCycles(), "count");
        Metric cg = stat(workload, procs, "cpu_control", r -> r.gcCycles(), "count");
        return String.format(Locale.ROOT, "P50 none %s, defer %s, cpu_control %s us: defer / cpu_control %s; "
                + "P95 defer %s vs cpu_control %s us: %s; CPU per run defer %s vs cpu_control %s ms (x%s); "
                + "GCs per run defer %s, cpu_control %s.", Fmt.withErr(n50), Fmt.withErr(d50),
                Fmt.withErr(c50), judged(EffectRule.go(this, workload, procs, "defer", "cpu_control", Run::p50Us)),
                Fmt.withErr(d95), Fmt.withErr(c95),
                judged(EffectRule.go(this, workload, procs, "defer", "cpu_control", Run::p95Us)), Fmt.withErr(dc),
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
                        ? " (too few runs)" : " (the interval straddles " + margin + ")");
        }
    }

    // ---- rendering ----

    /** The report's real-Go section: the run, the attribution of the defer effect, the GC calibration, costs. */
    void render(StringBuilder sb) {
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
                + "`/sched/latencies:seconds` (").append(sampling).append("; the upper bound of the "
                + "bucket holding each percentile, buckets ").append(Double.isNaN(bucketRelWidth) ? "about 6 %"
                : Fmt.pct(bucketRelWidth)).append(" wide at most between 1 µs and 10 s) stands in only where a "
                + "workload has no timestamps of its own. Each figure is the mean "
                + "over the runs `±` their standard deviation; the latency tables below put these beside the "
                + "model's rows.\n\n");
        sb.append("- Run: `").append(run.name()).append("`, ").append(goVersion).append(" (the article used "
                + "go1.22.5), ").append(run.machine()).append(", ").append(run.date()).append(", commit ")
                .append(run.commit()).append(runsPerCell > 0 ? ", " + runsPerCell + " runs per cell" : "")
                .append(".\n");
        for (Workload w : workloads) {
            sb.append("- ").append(w.name()).append(" (beside ").append(w.bench()).append("): ")
                    .append(params(w.name())).append("; GOMAXPROCS ").append(procs(w.name()).stream()
                            .map(String::valueOf).collect(Collectors.joining(", ")))
                    .append("; defers: ").append(Fmt.cell(w.records())).append('.')
                    .append(w.own().isEmpty() ? "" : " Own timestamps: " + w.own() + ".").append('\n');
        }
        if (pauseN > 0) {
            sb.append("- The runnext steal pause: Go's `runqgrab` sleeps `usleep(3)` before stealing a running P's "
                    + "runnext; on this machine that takes ").append(Fmt.num(pauseMedianUs)).append(" µs (median of ")
                    .append(pauseN).append(", p90 ").append(Fmt.num(pauseP90Us)).append(" µs), the timer slack "
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
        if (schema < 2) {
            for (int p : procs(ARTICLE)) {
                String e = effect(ARTICLE, p);
                if (e != null) {
                    sb.append("- GOMAXPROCS=").append(p).append(": ").append(e).append('\n');
                }
            }
            sb.append('\n');
            return;
        }
        sb.append("### Where the defer treatment's extra latency comes from (real Go)\n\n");
        sb.append("P95 scheduling latency (µs, runtime histogram) of each treatment; `extra CPU` is defer's process "
                + "CPU per run minus none's, `GC CPU` the GC's share of defer's CPU (gctrace: both pauses, assists, "
                + "background and idle workers).\n\n");
        sb.append("| workload | GOMAXPROCS | none | defer | cpu_control | alloc_control | defer, GC off | defer, "
                + "primed pool, GC off | defer / cpu_control | GCs/run defer (control) | extra CPU ms/run | GC CPU "
                + "ms/run defer |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> findings = new ArrayList<>();
        for (String w : workloadNames()) {
            for (int p : procs(w)) {
                Map<String, Metric> p95 = new LinkedHashMap<>();
                for (String t : TREATMENTS) {
                    p95.put(t, stat(w, p, t, Run::p95Us, "us"));
                }
                Metric d = p95.get("defer");
                Metric c = p95.get("cpu_control");
                Metric dCpu = stat(w, p, "defer", Run::cpuMs, "ms");
                Metric nCpu = stat(w, p, "none", Run::cpuMs, "ms");
                Metric gcCpu = stat(w, p, "defer", Run::gcCpuMs, "ms");
                Metric gcs = stat(w, p, "defer", r -> r.gcCycles(), "count");
                Metric cgcs = stat(w, p, "cpu_control", r -> r.gcCycles(), "count");
                sb.append("| ").append(w).append(" | ").append(p).append(" |");
                for (String t : TREATMENTS) {
                    sb.append(' ').append(p95.get(t) == null ? "-" : Fmt.withErr(p95.get(t))).append(" |");
                }
                sb.append(' ').append(d == null || c == null ? "-" : Fmt.ratio(d.score() / c.score())).append(" | ")
                        .append(gcs == null ? "-" : Fmt.num(gcs.score()) + " (" + (cgcs == null ? "-"
                                : Fmt.num(cgcs.score())) + ")").append(" | ")
                        .append(dCpu == null || nCpu == null ? "-" : Fmt.num(dCpu.score() - nCpu.score()))
                        .append(" | ").append(gcCpu == null ? "-" : Fmt.withErr(gcCpu)).append(" |\n");
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
                .append(judged(EffectRule.go(this, w, p, "defer", "cpu_control", figure("sched.latency.p95"))))
                .append(". ");
        Metric cCpu = stat(w, p, "cpu_control", Run::cpuMs, "ms");
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
                    + "none; the GC's ").append(Fmt.num(gcCpu.score())).append(" ms (").append(Fmt.num(gcs.score()))
                    .append(" cycles) is ").append(Fmt.pct(gcCpu.score() / (dCpu.score() - nCpu.score())))
                    .append(" of that.");
        }
        return s.toString().trim();
    }

    /** The profile shares of the profiled cells, defer beside cpu_control. */
    private void shares(StringBuilder sb) {
        List<String> ws = profiles.stream().map(Profile::workload).distinct().collect(Collectors.toList());
        if (ws.isEmpty()) {
            return;
        }
        List<String> names = profiles.stream().flatMap(p -> p.shares().keySet().stream()).distinct()
                .collect(Collectors.toList());
        sb.append("CPU profile shares: the fraction of real Go's samples whose stack holds the named functions "
                + "(runtime/pprof at 100 Hz over repeated runs; the collection that starts each run is left out, "
                + "but not its background mark work, so cpu_control's `gc` share is the baseline that collection "
                + "adds; [docs/realgo.md](../docs/realgo.md) defines each share; flame graphs in the flame-graph "
                + "section):\n\n| share |");
        StringBuilder sep = new StringBuilder("|---|");
        for (String w : ws) {
            for (String t : List.of("defer", "cpu_control")) {
                Profile p = profile(w, t);
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
                    Profile p = profile(w, t);
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
        if (gcCalibration == null) {
            return;
        }
        sb.append("### GC calibration for the model (real Go on this machine)\n\n");
        sb.append("From ").append(Fmt.cell(gcCalibration.path("source").asText())).append(": ")
                .append(Fmt.cell(gcCalibration.path("method").asText())).append(".\n\n");
        sb.append("| figure | median | p25 | p75 | min | max | cycles |\n|---|---|---|---|---|---|---|\n");
        String[][] rows = {{"markCpuMsPerMb", "mark CPU ms per MB live (assist + background + idle)"},
            {"markCpuMsPerMbNoIdle", "mark CPU ms per MB live (assist + background)"},
            {"sweepTermUs", "sweep-termination pause us"}, {"markTermUs", "mark-termination pause us"},
            {"markWallMs", "concurrent mark wall ms"}, {"triggerOverGoal", "heap at start / goal"},
            {"liveMb", "live heap MB"}};
        for (String[] r : rows) {
            JsonNode s = gcCalibration.path(r[0]);
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
        if (costs.isEmpty()) {
            return;
        }
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

    /**
     * The per-workload table under a model latency benchmark: every GOMAXPROCS and treatment of the
     * workload it mirrors, with the runtime's and the workload's own latencies, CPU and GC.
     */
    void renderWorkload(StringBuilder sb, String bench) {
        String w = workloadOf(bench);
        if (procs(w).isEmpty()) {
            sb.append("Real Go: not measured in `").append(run.name()).append("`.\n\n");
            return;
        }
        Workload info = workload(w);
        sb.append("Real Go (`").append(run.name()).append("`, ").append(goVersion).append(", ").append(params(w))
                .append("): `p50`-`p99` from the runtime's histogram; `own` from the workload's timestamps (")
                .append(info == null || info.own().isEmpty() ? "none" : info.own()).append(").\n\n");
        boolean slices = runs.stream().anyMatch(r -> r.workload().equals(w) && r.slices() != null);
        sb.append("| GOMAXPROCS | treatment | runs | p50 us | p95 us | p99 us | own p50 us | own p95 us | own mean us "
                + "| own max us |").append(slices ? " hog slice p50 us |" : "").append(" CPU ms/run | GCs/run | GC "
                + "CPU ms/run | STW us/run | live heap peak MB |\n|---|---|---|---|---|---|---|---|---|---|")
                .append(slices ? "---|" : "").append("---|---|---|---|---|\n");
        for (int p : procs(w)) {
            for (String t : treatments(w)) {
                List<Run> rs = of(w, p, t);
                sb.append("| ").append(p).append(" | ").append(t).append(" | ").append(rs.size()).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, Run::p50Us, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, Run::p95Us, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, Run::p99Us, "us"))).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, r -> r.own(Latency::p50Us), "us"))).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, r -> r.own(Latency::p95Us), "us"))).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, r -> r.own(Latency::meanUs), "us"))).append(" | ")
                        .append(Fmt.withErr(stat(w, p, t, r -> r.own(Latency::maxUs), "us"))).append(" |");
                if (slices) {
                    sb.append(' ').append(Fmt.withErr(stat(w, p, t, r -> r.slices() == null ? Double.NaN
                            : r.slices().p50Us(), "us"))).append(" |");
                }
                sb.append(' ').append(Fmt.withErr(stat(w, p, t, Run::cpuMs, "ms"))).append(" | ")
                        .append(num(stat(w, p, t, r -> r.gcCycles(), "count"))).append(" | ")
                        .append(num(stat(w, p, t, Run::gcCpuMs, "ms"))).append(" | ")
                        .append(num(stat(w, p, t, Run::stwUs, "us"))).append(" | ")
                        .append(num(stat(w, p, t, Run::heapLivePeakMb, "MB"))).append(" |\n");
            }
        }
        sb.append('\n');
    }

    private static String num(Metric m) {
        return m == null ? "-" : Fmt.num(m.score());
    }

    /** The real-Go profiles for the flame-graph section, with links relative to the report. */
    void renderProfiles(StringBuilder sb, String resultsLink) {
        if (profiles.isEmpty()) {
            return;
        }
        sb.append("Real Go (`").append(run.name()).append("`, ").append(goVersion).append("): runtime/pprof CPU "
                + "profiles of repeated runs, as collapsed stacks (from `go tool pprof "
                + "-traces`) and HTML flame graphs (async-profiler's converter). `runqsteal` is C6's schedule -> "
                + "findRunnable -> runqsteal path; every share is in the real-Go section above.\n\n");
        sb.append("| workload | treatment | GOMAXPROCS | runs | samples | findRunnable | runqsteal | flame graph | "
                + "collapsed | pprof |\n|---|---|---|---|---|---|---|---|---|---|\n");
        String base = (resultsLink.isEmpty() ? "" : resultsLink + "/") + run.name() + "/";
        for (Profile p : profiles) {
            String html = p.collapsed().isEmpty() ? "" : p.collapsed().replaceAll("\\.collapsed$", ".html");
            boolean hasHtml = !html.isEmpty() && Files.isRegularFile(dir.resolve(html));
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
