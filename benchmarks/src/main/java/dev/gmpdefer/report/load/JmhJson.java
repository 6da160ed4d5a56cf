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
 * The readers of a run folder's files: JMH's result JSON (scores, errors, per-fork raw data and warm-up trends;
 * NaN written as strings) and env.json (machine, JDK, commit, mode). {@link ResultStore} decides which folders
 * and results stand.
 */
public final class JmhJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JmhJson() {
    }

    public static JsonNode readEnv(Path dir, List<String> warnings) {
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

    public static RunInfo runInfo(String name, JsonNode env, JmhEntry any) {
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

}
