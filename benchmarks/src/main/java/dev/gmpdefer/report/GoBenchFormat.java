package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * JMH results in Go's benchmark format (golang.org/x/perf's benchfmt), so that benchstat compares the
 * model's treatments the way it compares Go's (scripts/benchstat.sh): one line per JMH fork, the median
 * of its measurement iterations in ns/op, named {@code Benchmark<Class>/<method>/<param>=<value>/...}
 * (benchstat's {@code -col /strategy} then compares strategies). Only time-per-operation scores are
 * written; within one implementation only: never compare these ns with Go's.
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.gmpdefer.report.GoBenchFormat FILE.json... > model.txt}.
 */
public final class GoBenchFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoBenchFormat() {
    }

    /** The benchfmt lines of one JMH JSON file (header lines included). */
    static List<String> lines(Path jmhJson) throws IOException {
        JsonNode root = JSON.readTree(jmhJson.toFile());
        if (!root.isArray()) {
            throw new IOException(jmhJson + " is not a JMH JSON array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : root) {
            String bench = e.path("benchmark").asText();
            int dot = bench.lastIndexOf('.');
            String cls = bench.substring(bench.lastIndexOf('.', dot - 1) + 1, dot).replaceFirst("Bench$", "");
            StringBuilder name = new StringBuilder("Benchmark").append(cls).append('/').append(bench.substring(dot + 1));
            Map<String, String> params = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = e.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.put(p.getKey(), p.getValue().asText());
            }
            params.forEach((k, v) -> name.append('/').append(k).append('=').append(v.replace(' ', '_')));
            JsonNode pm = e.path("primaryMetric");
            double f = Units.nanosFactor(pm.path("scoreUnit").asText());
            if (Double.isNaN(f)) {
                continue; // not a time per operation
            }
            for (JsonNode fork : pm.path("rawData")) {
                double[] it = new double[fork.size()];
                for (int i = 0; i < it.length; i++) {
                    it[i] = fork.get(i).asDouble();
                }
                if (it.length == 0) {
                    continue;
                }
                Arrays.sort(it);
                double med = it.length % 2 == 1 ? it[it.length / 2] : (it[it.length / 2 - 1] + it[it.length / 2]) / 2;
                out.add(String.format(Locale.ROOT, "%s\t1\t%.4f ns/op", name, med * f));
            }
        }
        return out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            (args.length == 0 ? err : out).println("Usage: java -cp benchmarks.jar dev.gmpdefer.report.GoBenchFormat "
                    + "JMH.json... (Go benchmark format on stdout)");
            return args.length == 0 ? 2 : 0;
        }
        List<String> all = new ArrayList<>();
        all.add("goos: " + System.getProperty("os.name").toLowerCase(Locale.ROOT));
        all.add("goarch: " + System.getProperty("os.arch"));
        all.add("pkg: gmpdefer/model (JMH, " + System.getProperty("java.version") + ")");
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.isRegularFile(p)) {
                err.println("GoBenchFormat: " + a + ": no such file");
                return 2;
            }
            try {
                all.addAll(lines(p));
            } catch (IOException | RuntimeException e) {
                err.println("GoBenchFormat: " + a + ": not a readable JMH JSON file (" + e.getMessage() + ")");
                return 2;
            }
        }
        out.print(String.join("\n", all) + "\n");
        return 0;
    }
}
