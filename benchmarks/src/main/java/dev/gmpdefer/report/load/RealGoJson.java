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
import dev.gmpdefer.report.load.RealGo.*;
import static dev.gmpdefer.report.load.RealGo.ARTICLE;
import static dev.gmpdefer.report.load.RealGo.FILE;

/**
 * The reader of a realgo run folder (realgo.json, its schema versions 1 to the current, the gctrace and
 * trace files beside it) into a {@link RealGo}.
 */
public final class RealGoJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealGoJson() {
    }

    /** The {@value #FILE} of one run folder; null when it has none. */
    public static RealGo loadFolder(Path dir) throws IOException {
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
        RunInfo info = JmhJson.runInfo(dir.getFileName().toString(), JmhJson.readEnv(dir, new ArrayList<>()),
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

}
