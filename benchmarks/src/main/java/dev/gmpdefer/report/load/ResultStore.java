package dev.gmpdefer.report.load;

import dev.gmpdefer.contract.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every JMH result under a results folder. Each run is a folder {@code results/<YYYY-MM-DD>-<label>/}
 * holding JMH JSON files ({@code -rf json}) and an {@code env.json}. Folders are read in the order
 * {@code reference.txt} lists them (without it, in name order, so in date order); when the same
 * benchmark, mode and parameters appear in several runs, the <b>later</b> run's result is used and the
 * earlier one is counted as superseded.
 *
 * <p>Only the folders {@code results/reference.txt} lists are read ({@link Reference}); without that file,
 * every folder. Skipped: hidden folders, {@code tmp}, {@code plots}, {@code flamegraphs}, {@code local}
 * (users' runs), and any run folder marked incomplete (an {@code INCOMPLETE} file, or
 * {@code "complete": false} in env.json). What was skipped, and why, is in {@link #skipped()} (one line
 * each, for the console); problems of the reference itself are also in {@link #warnings()} (in the report).
 */
public final class ResultStore {

    /** Folders under results/ that are never run folders. */
    static final List<String> NOT_RUNS = List.of("tmp", "plots", "flamegraphs", Reference.LOCAL);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RunInfo> runs;
    private final List<JmhEntry> entries;
    private final List<String> warnings;
    private final int superseded;
    /** Latency results of the reference left out because their runs predate the fair-comparison checks. */
    private int preFair;
    private final List<String> skipped;
    /** Each run's folder by name (for the files beside its JSON, e.g. histograms/). */
    private final Map<String, Path> folders;
    /**
     * The model's experiment folders by experiment (env.json {@code "experiment"}, e.g. "footprints" from
     * {@code scripts/run.sh footprints}): read into stores of their own, never into this one, so that an
     * experiment's cells decide no claim and no table (only the view made for it reads them).
     */
    private Map<String, ResultStore> experiments = Map.of();

    private ResultStore(List<RunInfo> runs, List<JmhEntry> entries, List<String> warnings, int superseded,
                        List<String> skipped) {
        this(runs, entries, warnings, superseded, skipped, Map.of());
    }

    private ResultStore(List<RunInfo> runs, List<JmhEntry> entries, List<String> warnings, int superseded,
                        List<String> skipped, Map<String, Path> folders) {
        this.folders = folders;
        this.runs = runs;
        this.entries = entries;
        this.warnings = warnings;
        this.superseded = superseded;
        this.skipped = skipped;
    }

    /** The mode scripts/run.sh writes into a paired session's env.json. */
    static final String PAIRED_MODE = "paired";

    /** An empty store (no runs). */
    public static ResultStore empty() {
        return new ResultStore(List.of(), List.of(), List.of(), 0, List.of());
    }

    /**
     * Reads the reference run folders under {@code resultsDir} (those {@code reference.txt} lists, or every
     * folder without it); a missing folder gives an empty store.
     */
    public static ResultStore load(Path resultsDir) throws IOException {
        if (!Files.isDirectory(resultsDir)) {
            return empty();
        }
        List<String> manifest = Reference.read(resultsDir);
        List<String> skipped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(resultsDir)) {
            dirs = s.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        }
        List<Path> chosen = new ArrayList<>();
        Map<String, List<Path>> experimentDirs = new TreeMap<>();
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (name.startsWith(".") || NOT_RUNS.contains(name)) {
                continue;
            }
            if (!Reference.includes(manifest, name)) {
                skipped.add("run folder `" + name + "` is not listed in " + Reference.FILE + " (not part of the "
                        + "reference) and was skipped");
                continue;
            }
            JsonNode env = readEnv(dir, new ArrayList<>());
            if (env != null && PAIRED_MODE.equals(env.path("mode").asText())) {
                // a paired session's model runs are compared only with its own real Go (SessionView reads
                // the folder itself): not a skipped input
                continue;
            }
            String experiment = env == null ? "" : env.path(EXPERIMENT).asText("");
            if (!experiment.isEmpty()) {
                experimentDirs.computeIfAbsent(experiment, k -> new ArrayList<>()).add(dir);
                continue;
            }
            chosen.add(dir);
        }
        if (manifest != null) {
            for (String listed : manifest) {
                if (!Files.isDirectory(resultsDir.resolve(listed))) {
                    warnings.add(Reference.FILE + " lists `" + listed + "`, which is not a folder under results/");
                }
            }
            // the manifest's order decides which result supersedes which (a later line wins), not the names:
            // two runs of one day sort by label
            chosen.sort(Comparator.comparingInt(d -> manifest.indexOf(d.getFileName().toString())));
            for (List<Path> l : experimentDirs.values()) {
                l.sort(Comparator.comparingInt(d -> manifest.indexOf(d.getFileName().toString())));
            }
        }
        ResultStore store = withoutPreFair(fromFolders(chosen, warnings, skipped));
        Map<String, ResultStore> ex = new TreeMap<>();
        for (Map.Entry<String, List<Path>> e : experimentDirs.entrySet()) {
            ResultStore x = fromFolders(e.getValue(), warnings, new ArrayList<>());
            ex.put(e.getKey(), x);
        }
        store.experiments = Collections.unmodifiableMap(ex);
        return store;
    }

    /**
     * The reference without its latency results from runs made before the fair-comparison checks (issue 19):
     * a latency result without {@value #FAIR_METRIC} (the JVM's collector pauses per measured run, which the
     * fair-comparison code publishes with the per-fork warm-up trend) came from a run whose treatments
     * started from different JIT states, with the JVM's collector in the runs, so it is not part of the
     * reference whatever reference.txt lists (counted in {@link #preFair()}; the report says how many). A
     * user's run ({@link #load(List)}) keeps every result: its own report shows what it measured.
     */
    private static ResultStore withoutPreFair(ResultStore s) {
        List<JmhEntry> kept = new ArrayList<>();
        int dropped = 0;
        for (JmhEntry e : s.entries) {
            if (Suite.classes("latency").contains(e.benchClass()) && e.metric(FAIR_METRIC) == null) {
                dropped++;
            } else {
                kept.add(e);
            }
        }
        if (dropped == 0) {
            return s;
        }
        ResultStore out = new ResultStore(s.runs, Collections.unmodifiableList(kept), s.warnings, s.superseded,
                s.skipped, s.folders);
        out.preFair = dropped;
        return out;
    }

    /** The metric that marks a latency run made with the fair-comparison code (issue 19). */
    public static final String FAIR_METRIC = "jvm.gc.pause.ms";

    /** How many latency results of the listed folders were left out as pre-fair (see {@link #withoutPreFair}). */
    public int preFair() {
        return preFair;
    }

    /** env.json's field naming the experiment a model run was made for (scripts/run.sh footprints). */
    static final String EXPERIMENT = "experiment";

    /** The results of the model's experiment {@code name} (their own store; empty when none was run). */
    public ResultStore experiment(String name) {
        return experiments.getOrDefault(name, empty());
    }

    /**
     * Reads the given run folders in the given order: a later folder's result supersedes an earlier one's for
     * the same benchmark, mode and parameters (how a user's run is laid over the reference).
     */
    public static ResultStore load(List<Path> folders) throws IOException {
        return fromFolders(folders, new ArrayList<>(), new ArrayList<>());
    }

    private static ResultStore fromFolders(List<Path> folders, List<String> warnings, List<String> skipped)
            throws IOException {
        List<RunInfo> runs = new ArrayList<>();
        Map<String, JmhEntry> byKey = new TreeMap<>();
        Map<String, Path> paths = new TreeMap<>();
        int superseded = 0;
        for (Path dir : folders) {
            String name = dir.getFileName().toString();
            paths.put(name, dir);
            List<Path> jsons;
            try (Stream<Path> s = Files.list(dir)) {
                jsons = s.filter(p -> p.getFileName().toString().endsWith(".json"))
                        .filter(p -> !p.getFileName().toString().equals("env.json"))
                        .filter(p -> !p.getFileName().toString().equals(RealGo.FILE))
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .collect(Collectors.toList());
            }
            if (jsons.isEmpty()) {
                continue;
            }
            JsonNode env = readEnv(dir, warnings);
            if (Files.exists(dir.resolve("INCOMPLETE")) || (env != null && env.has("complete")
                    && !env.get("complete").asBoolean(true))) {
                warnings.add("run folder `" + name + "` is marked INCOMPLETE and was skipped");
                continue;
            }
            List<JmhEntry> fromRun = new ArrayList<>();
            RunInfo provisional = runInfo(name, env, null);
            for (Path json : jsons) {
                try {
                    fromRun.addAll(parseJmh(provisional, json));
                } catch (IOException | RuntimeException e) {
                    warnings.add("`" + name + "/" + json.getFileName() + "` is not a readable JMH JSON file ("
                            + e.getClass().getSimpleName() + ") and was skipped");
                }
            }
            if (fromRun.isEmpty()) {
                continue;
            }
            RunInfo run = runInfo(name, env, fromRun.get(0));
            runs.add(run);
            for (JmhEntry e : fromRun) {
                JmhEntry withRun = new JmhEntry(run, e.file(), e.benchmark(), e.mode(), e.params(), e.primary(),
                        e.secondary(), e.jdkVersion(), e.vmName());
                if (byKey.put(withRun.key(), withRun) != null) {
                    superseded++;
                }
            }
        }
        List<JmhEntry> entries = new ArrayList<>(byKey.values());
        entries.sort(ENTRY_ORDER);
        List<String> allSkipped = new ArrayList<>(skipped);
        allSkipped.addAll(warnings);
        return new ResultStore(Collections.unmodifiableList(runs), Collections.unmodifiableList(entries),
                Collections.unmodifiableList(warnings), superseded, Collections.unmodifiableList(allSkipped),
                Collections.unmodifiableMap(paths));
    }

    /** The folder of run {@code name}; null when the store was not read from folders. */
    public Path folder(String name) {
        return folders.get(name);
    }

    /** Orders entries by class, method, mode, then parameters with numbers compared as numbers. */
    static final Comparator<JmhEntry> ENTRY_ORDER = Comparator.comparing(JmhEntry::benchClass)
            .thenComparing(JmhEntry::method).thenComparing(JmhEntry::mode)
            .thenComparing((a, b) -> compareParams(a.params(), b.params()));

    public static int compareParams(SortedMap<String, String> a, SortedMap<String, String> b) {
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String n : names) {
            int c = compareValues(a.get(n), b.get(n));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Compares parameter values: numbers numerically, before words; words alphabetically. */
    public static int compareValues(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        Double da = parse(a);
        Double db = parse(b);
        if (da != null && db != null) {
            int c = Double.compare(da, db);
            return c != 0 ? c : a.compareTo(b);
        }
        if (da != null) {
            return -1;
        }
        if (db != null) {
            return 1;
        }
        return a.compareTo(b);
    }

    private static Double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static JsonNode readEnv(Path dir, List<String> warnings) {
        Path env = dir.resolve("env.json");
        if (!Files.exists(env)) {
            return null;
        }
        try {
            return JSON.readTree(env.toFile());
        } catch (IOException e) {
            warnings.add("`" + dir.getFileName() + "/env.json` is not valid JSON; its environment is unknown");
            return null;
        }
    }

    static RunInfo runInfo(String name, JsonNode env, JmhEntry any) {
        String date = text(env, "date");
        if (date == null) {
            date = name.length() >= 10 ? name.substring(0, 10) : "unknown";
        }
        String machine = "unknown";
        String jdk = null;
        String commit = "unknown";
        String jmhArgs = "unknown";
        String mode = "unknown";
        if (env != null) {
            JsonNode m = env.get("machine");
            if (m != null) {
                StringBuilder sb = new StringBuilder();
                if (m.has("nproc")) {
                    sb.append(m.get("nproc").asText()).append(" CPUs");
                }
                if (m.has("cpuModel")) {
                    sb.append(sb.length() > 0 ? ", " : "").append(m.get("cpuModel").asText().trim());
                }
                if (m.has("memTotalKiB")) {
                    long kib = m.get("memTotalKiB").asLong();
                    sb.append(sb.length() > 0 ? ", " : "")
                            .append(String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0)));
                }
                if (m.has("kernel")) {
                    sb.append(sb.length() > 0 ? ", " : "").append("Linux ").append(m.get("kernel").asText());
                }
                if (sb.length() > 0) {
                    machine = sb.toString();
                }
            }
            JsonNode j = env.get("jdk");
            if (j != null && j.has("version")) {
                jdk = firstLine(j.get("version").asText());
            }
            JsonNode g = env.get("git");
            if (g != null && g.has("commit")) {
                commit = g.get("commit").asText() + (g.path("dirty").asBoolean(false) ? " (dirty)" : "");
            }
            JsonNode jmh = env.get("jmh");
            if (jmh != null && jmh.has("args")) {
                jmhArgs = jmh.get("args").asText();
            }
            String md = text(env, "mode");
            if (md != null) {
                mode = md;
            }
        }
        if (jdk == null) {
            jdk = any == null ? "unknown" : ("JDK " + any.jdkVersion() + ", " + any.vmName());
        }
        return new RunInfo(name, date, machine, jdk, commit, jmhArgs, mode);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private static String text(JsonNode n, String field) {
        return n != null && n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    public static List<JmhEntry> parseJmh(RunInfo run, Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException("not a JMH result array: " + json);
        }
        List<JmhEntry> out = new ArrayList<>();
        for (JsonNode b : root) {
            SortedMap<String, String> params = new TreeMap<>();
            JsonNode p = b.get("params");
            if (p != null) {
                Iterator<Map.Entry<String, JsonNode>> it = p.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
                // gogc=off is the model without GC cycles, what every run before the GC model measured:
                // dropping it lets such cells compare with (and supersede) those runs' cells.
                if (Parameter.OFF.equals(params.get(Parameter.GOGC.id))) {
                    params.remove(Parameter.GOGC.id);
                }
            }
            SortedMap<String, Metric> secondary = new TreeMap<>();
            JsonNode s = b.get("secondaryMetrics");
            if (s != null) {
                Iterator<Map.Entry<String, JsonNode>> it = s.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    secondary.put(e.getKey(), metric(e.getValue()));
                }
            }
            out.add(new JmhEntry(run, json.getFileName().toString(), b.path("benchmark").asText(),
                    b.path("mode").asText(), Collections.unmodifiableSortedMap(params), metric(b.get("primaryMetric")),
                    Collections.unmodifiableSortedMap(secondary), b.path("jdkVersion").asText("unknown"),
                    b.path("vmName").asText("unknown")));
        }
        return out;
    }

    private static Metric metric(JsonNode m) {
        if (m == null) {
            return new Metric(Double.NaN, Double.NaN, "");
        }
        return new Metric(num(m.get("score")), num(m.get("scoreError")), m.path("scoreUnit").asText(""),
                raw(m.get("rawData")), trends(m.get("rawData")));
    }

    /** Per fork with at least 2 measured iterations: the first iteration's value over the last's. */
    private static double[] trends(JsonNode data) {
        if (data == null || !data.isArray()) {
            return new double[0];
        }
        List<Double> v = new ArrayList<>();
        for (JsonNode fork : data) {
            if (fork.isArray() && fork.size() > 1) {
                double first = num(fork.get(0));
                double last = num(fork.get(fork.size() - 1));
                if (first > 0 && last > 0) {
                    v.add(first / last);
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * JMH's rawData (an array per fork of one value per measurement iteration) as one value per fork: the
     * median of the fork's iterations. Forks are the independent runs a comparison may count (issue 12: the
     * iterations of one JVM share its JIT state and heap); the iterations only steady each fork's value.
     */
    private static double[] raw(JsonNode data) {
        if (data == null || !data.isArray()) {
            return new double[0];
        }
        List<Double> v = new ArrayList<>();
        for (JsonNode fork : data) {
            if (fork.isArray() && fork.size() > 0) {
                double[] it = new double[fork.size()];
                for (int i = 0; i < it.length; i++) {
                    it[i] = num(fork.get(i));
                }
                v.add(Metric.median(it));
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** JMH writes NaN and infinities as strings. */
    private static double num(JsonNode n) {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The runs that contributed at least one result, in name order. */
    public List<RunInfo> runs() {
        return runs;
    }

    /** All results (latest run wins), in a stable order. */
    public List<JmhEntry> entries() {
        return entries;
    }

    /** Problems met while reading (unreadable files, incomplete runs), in a stable order. */
    public List<String> warnings() {
        return warnings;
    }

    /** How many results were replaced by a later run's result for the same benchmark and parameters. */
    /** One line per input that was not read (console only): unlisted folders, and the warnings. */
    public List<String> skipped() {
        return skipped;
    }

    public int superseded() {
        return superseded;
    }

    /** The results of one benchmark class (simple name), in a stable order. */
    public List<JmhEntry> of(String benchClass) {
        return entries.stream().filter(e -> e.benchClass().equals(benchClass)).collect(Collectors.toList());
    }

    /** Whether any result of this class is present. */
    public boolean has(String benchClass) {
        return entries.stream().anyMatch(e -> e.benchClass().equals(benchClass));
    }

    /** The distinct simple class names present, sorted. */
    public List<String> classes() {
        return entries.stream().map(JmhEntry::benchClass).distinct().sorted().collect(Collectors.toList());
    }

    /** Distinct values of a parameter among entries, sorted numbers-first. */
    public static List<String> values(List<JmhEntry> entries, String param) {
        List<String> v = entries.stream().map(e -> e.param(param)).filter(x -> x != null).distinct()
                .collect(Collectors.toList());
        v.sort(ResultStore::compareValues);
        return v;
    }
}
