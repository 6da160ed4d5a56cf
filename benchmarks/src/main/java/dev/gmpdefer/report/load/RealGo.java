package dev.gmpdefer.report.load;

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
public final class RealGo {
    /** The file name that scripts/realgo.sh writes in its run folder. */
    public static final String FILE = "realgo.json";

    /** The article's program (claims C1-C6). */
    public static final String ARTICLE = "ArticleGosched";

    /** realgo's treatments in report order (the measurement contract's). */
    public static final List<String> TREATMENTS = dev.gmpdefer.contract.Treatments.go();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A latency distribution (µs); null fields of a run are absent distributions. */
    public record Latency(String what, double p50Us, double p95Us, double p99Us, double maxUs, double meanUs,
                   long samples) {
        public static Latency of(JsonNode n) {
            if (n == null || n.isMissingNode() || n.isNull()) {
                return null;
            }
            return new Latency(n.path("what").asText(""), n.path("p50Us").asDouble(), n.path("p95Us").asDouble(),
                    n.path("p99Us").asDouble(), n.path("maxUs").asDouble(), n.path("meanUs").asDouble(),
                    n.path("samples").asLong());
        }
    }

    /** One run of one workload under one treatment (docs/realgo.md). */
    public record Run(String workload, String treatment, int procs, Map<String, Integer> params, double wallMs,
               double cpuMs, long gcCycles, double gcCpuMs, double stwUs, double heapLivePeakMb, double p50Us,
               double p95Us, double p99Us, double meanUs, long samples, Latency own, Latency slices,
               double[][] schedHist) {
        /** A figure of the workload's own timestamps; NaN when it has none. */
        public double own(ToDoubleFunction<Latency> f) {
            return own == null ? Double.NaN : f.applyAsDouble(own);
        }
    }

    /** One testing.Benchmark result. */
    public record Cost(String name, String kind, int defers, double nsPerOp, double nsPerDefer, long bytesPerOp,
                long allocsPerOp) {
        /** ns per defer, or per call for the plain call (no defers). */
        public double ns() {
            return defers == 0 ? nsPerOp : nsPerDefer;
        }
    }

    /** What a workload is: the model benchmark it mirrors, its parameters, what Go makes of its defers. */
    public record Workload(String name, String bench, Map<String, Integer> params, String records, String own) {
    }

    /** One CPU profile: paths relative to the run folder, shares of its samples by name. */
    public record Profile(String workload, String treatment, int procs, long samples, int runs, String pprof,
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
    public record Fingerprint(String side, String when, String block, String date, double memNsPerLoad,
                       double xorshiftNsPerStep) {
    }

    /**
     * A traced run's waits split by what the Ps did meanwhile (realgo/tracewait; docs/realgo.md
     * waitByCause): µs per cause for all waits and for the waits above the run's P95.
     */
    public record Traced(String workload, String treatment, int procs, long waits, double waitUs, long tailWaits,
                  double tailUs, Map<String, Double> all, Map<String, Double> tail) {
    }

    public final RunInfo run;
    public final Path dir;
    public final String goVersion;
    public final int numCpu;
    public final int schema;
    public final int runsPerCell;
    public final String sampling;
    public final double bucketRelWidth;
    public final List<Workload> workloads;
    public final List<Run> runs;
    public final List<Cost> costs;
    public final List<Profile> profiles;
    final List<Control> controls;
    /** The GC model's calibration as realgo wrote it (docs/realgo.md), or null. */
    public final JsonNode gcCalibration;
    /** runtime.usleep(3), the runnext steal pause, as timed on this machine (µs); NaN when not measured. */
    public final double pauseMedianUs;
    public final double pauseP90Us;
    public final int pauseN;
    /** The paired session this document belongs to ("" for a stand-alone realgo run). */
    public final String session;
    /** GOEXPERIMENT of the build ("" for the toolchain's defaults). */
    final String goExperiment;
    /**
     * The experiment this document was made for ("" for a stand-alone realgo run; "footprints": the in-situ
     * decomposition, {@link FootprintView}); an experiment never decides claims or stands for a Go version.
     */
    final String experiment;
    public final List<Fingerprint> fingerprints;
    final List<Traced> traced;

    RealGo(RunInfo run, Path dir, JsonNode root, List<Workload> workloads, List<Run> runs, List<Cost> costs,
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
    public String goLabel() {
        return goExperiment.isEmpty() || goVersion.contains(goExperiment) ? goVersion : goVersion + " " + goExperiment;
    }

    /** The traced runs of one cell. */
    public List<Traced> tracedOf(String workload, int procs, String treatment) {
        return traced.stream().filter(t -> t.workload().equals(workload) && t.procs() == procs
                && t.treatment().equals(treatment)).collect(Collectors.toList());
    }

    /**
     * The real Go that decides claims about Go: of the stand-alone realgo runs (not a paired session's,
     * not a GOEXPERIMENT build) in {@link #loadAll}, the newest Go version, and of its runs the last listed;
     * null when there is none.
     */
    public static RealGo load(Path resultsDir) throws IOException {
        return primary(loadAll(resultsDir));
    }

    /** {@link #load}'s choice among documents already loaded. */
    public static RealGo primary(List<RealGo> all) {
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
    public static List<RealGo> versions(List<RealGo> all) {
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
    public static List<RealGo> experiments(List<RealGo> all, String name) {
        return all.stream().filter(g -> g.experiment.equals(name)).collect(Collectors.toList());
    }

    /** The paired sessions' documents, latest listed first. */
    public static List<RealGo> sessions(List<RealGo> all) {
        return all.stream().filter(g -> !g.session.isEmpty()).collect(Collectors.toList());
    }

    /**
     * Every listed (in {@code reference.txt}; without it, every) complete reference folder ({@link Reference})
     * under {@code resultsDir} with a {@value #FILE}, the last listed (without a manifest: the latest by
     * folder name) first. Incomplete folders (an INCOMPLETE file) are skipped; an unreadable file is an
     * error naming it.
     */
    public static List<RealGo> loadAll(Path resultsDir) throws IOException {
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
            out.add(RealGoJson.loadFolder(d));
        }
        return out;
    }

    /** The realgo workload a model benchmark mirrors ("ArticleGoschedBench" -> "ArticleGosched"). */
    public static String workloadOf(String bench) {
        return bench.endsWith("Bench") ? bench.substring(0, bench.length() - "Bench".length()) : bench;
    }

    /** The workload's description; null when this run has none. */
    public Workload workload(String name) {
        return workloads.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
    }

    /** The workloads measured, in the document's order. */
    public List<String> workloadNames() {
        return runs.stream().map(Run::workload).distinct().collect(Collectors.toList());
    }

    /** The GOMAXPROCS values measured for a workload, ascending. */
    public List<Integer> procs(String workload) {
        return runs.stream().filter(r -> r.workload().equals(workload)).map(Run::procs).distinct().sorted()
                .collect(Collectors.toList());
    }

    /** The treatments measured for a workload, in report order. */
    public List<String> treatments(String workload) {
        List<String> present = runs.stream().filter(r -> r.workload().equals(workload)).map(Run::treatment)
                .distinct().collect(Collectors.toList());
        List<String> out = new ArrayList<>(TREATMENTS);
        out.retainAll(present);
        present.stream().filter(t -> !out.contains(t)).sorted().forEach(out::add);
        return out;
    }

    /** The runs of one configuration. */
    public List<Run> of(String workload, int procs, String treatment) {
        return runs.stream().filter(r -> r.workload().equals(workload) && r.procs() == procs
                && r.treatment().equals(treatment)).collect(Collectors.toList());
    }

    /**
     * Mean and standard deviation (as the error, n-1) of a figure over the runs of one configuration; null
     * when there is no run or the figure is absent (NaN). The unit is given by the caller.
     */
    public Metric stat(String workload, int procs, String treatment, ToDoubleFunction<Run> f, String unit) {
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
    public int nearestProcs(String workload, int target) {
        int best = -1;
        for (int p : procs(workload)) {
            if (best < 0 || Math.abs(p - target) <= Math.abs(best - target)) {
                best = p;
            }
        }
        return best;
    }

    /** The cost row whose name starts with {@code prefix}; null if absent. */
    public Cost cost(String prefix) {
        return costs.stream().filter(c -> c.name().startsWith(prefix)).findFirst().orElse(null);
    }

    /** The profile of one cell; null if absent. */
    public Profile profile(String workload, String treatment) {
        return profiles.stream().filter(p -> p.workload().equals(workload) && p.treatment().equals(treatment))
                .findFirst().orElse(null);
    }

    /** "Real Go go1.19.8, ArticleGosched, GOMAXPROCS=4, 2 CPUs [folder]" for evidence lines. */
    public String at(String workload, int procs) {
        return String.format(Locale.ROOT, "Real Go %s, %s, GOMAXPROCS=%d, %d CPUs [%s]", goVersion, workload, procs,
                numCpu, run.name());
    }

    /** The parameters of a workload as "k=v, ...". */
    public String params(String workload) {
        Workload w = workload(workload);
        Map<String, Integer> p = w != null ? w.params() : runs.stream().filter(r -> r.workload().equals(workload))
                .map(Run::params).findFirst().orElse(Map.of());
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * One run's value of a model latency metric (the workload's own timestamps where it has them, else the
     * runtime's histogram), of an own-timestamp figure by name ({@code own.mean}, {@code own.p50},
     * {@code own.p95}) or the fast-start share; null for any other name.
     */
    public static ToDoubleFunction<Run> figure(String modelMetric) {
        switch (modelMetric) {
            case "sched.latency.p50":
                return r -> r.own() != null ? r.own().p50Us() : r.p50Us();
            case "sched.latency.p95":
                return r -> r.own() != null ? r.own().p95Us() : r.p95Us();
            case "sched.latency.p99":
                return r -> r.own() != null ? r.own().p99Us() : r.p99Us();
            case "sched.latency.mean":
                return r -> r.own() != null ? r.own().meanUs() : r.meanUs();
            case "own.mean":
                return r -> r.own(Latency::meanUs);
            case "own.p50":
                return r -> r.own(Latency::p50Us);
            case "own.p95":
                return r -> r.own(Latency::p95Us);
            case Distributions.FAST_SHARE:
                return r -> Distributions.shareAtOrBelow(r.schedHist(), Distributions.FAST_START_US);
            default:
                return null;
        }
    }
}
