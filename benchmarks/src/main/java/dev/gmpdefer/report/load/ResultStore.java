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
    private List<String> refused = List.of();
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
            JsonNode env = JmhJson.readEnv(dir, new ArrayList<>());
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
        List<String> refused = new ArrayList<>();
        ResultStore store = withoutPreFair(fromFolders(chosen, warnings, skipped, refused));
        Map<String, ResultStore> ex = new TreeMap<>();
        for (Map.Entry<String, List<Path>> e : experimentDirs.entrySet()) {
            ResultStore x = fromFolders(e.getValue(), warnings, new ArrayList<>(), new ArrayList<>());
            ex.put(e.getKey(), x);
        }
        store.experiments = Collections.unmodifiableMap(ex);
        store.refused = List.copyOf(refused);
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
        return fromFolders(folders, new ArrayList<>(), new ArrayList<>(), null);
    }

    /**
     * The reference's lines about results refused (issue 22, item 6): a later listed folder's result with
     * fewer runs (forks) than the one it would supersede does not; one line per pair of folders.
     */
    public List<String> refused() {
        return refused;
    }

    /** Runs of a result (forks, or realgo-like runs): the primary metric's; 0 when the JSON has none. */
    private static int runsOf(JmhEntry e) {
        return e.primary() == null ? 0 : e.primary().runs().length;
    }

    private static boolean preFair(JmhEntry e) {
        return Suite.classes("latency").contains(e.benchClass()) && e.metric(FAIR_METRIC) == null;
    }

    /**
     * Reads folders in order, a later result superseding an earlier one of the same key. With {@code refused}
     * (the reference), a result with fewer runs never supersedes one with more (unless that one is pre-fair,
     * which the reference leaves out anyway): the better result stands and {@code refused} gets one line per
     * pair of folders; a user's run ({@code refused} null) supersedes whatever it covers.
     */
    private static ResultStore fromFolders(List<Path> folders, List<String> warnings, List<String> skipped,
                                           List<String> refused) throws IOException {
        Map<String, TreeSet<String>> refusedBy = new java.util.LinkedHashMap<>();
        Map<String, Integer> refusedCount = new TreeMap<>();
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
            JsonNode env = JmhJson.readEnv(dir, warnings);
            if (Files.exists(dir.resolve("INCOMPLETE")) || (env != null && env.has("complete")
                    && !env.get("complete").asBoolean(true))) {
                warnings.add("run folder `" + name + "` is marked INCOMPLETE and was skipped");
                continue;
            }
            List<JmhEntry> fromRun = new ArrayList<>();
            RunInfo provisional = JmhJson.runInfo(name, env, null);
            for (Path json : jsons) {
                try {
                    fromRun.addAll(JmhJson.parseJmh(provisional, json));
                } catch (IOException | RuntimeException e) {
                    warnings.add("`" + name + "/" + json.getFileName() + "` is not a readable JMH JSON file ("
                            + e.getClass().getSimpleName() + ") and was skipped");
                }
            }
            if (fromRun.isEmpty()) {
                continue;
            }
            RunInfo run = JmhJson.runInfo(name, env, fromRun.get(0));
            runs.add(run);
            for (JmhEntry e : fromRun) {
                JmhEntry withRun = new JmhEntry(run, e.file(), e.benchmark(), e.mode(), e.params(), e.primary(),
                        e.secondary(), e.jdkVersion(), e.vmName());
                JmhEntry old = byKey.get(withRun.key());
                if (refused != null && old != null && !preFair(old) && runsOf(withRun) < runsOf(old)) {
                    String pair = "`" + name + "` (" + runsOf(withRun) + " run(s) each) did not supersede `"
                            + old.run().name() + "`'s (" + runsOf(old) + ")";
                    refusedBy.computeIfAbsent(pair, k -> new TreeSet<>()).add(withRun.benchClass());
                    refusedCount.merge(pair, 1, Integer::sum);
                    continue;
                }
                if (byKey.put(withRun.key(), withRun) != null) {
                    superseded++;
                }
            }
        }
        refusedBy.forEach((pair, classes) -> refused.add(refusedCount.get(pair) + " result(s) of " + pair
                + ", which had more runs: " + String.join(", ", classes)));
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
