package dev.gmpdefer.report.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Claim C6 as a number: the share of CPU samples under the scheduler's find/steal path
 * ({@code M.findRunnable}, which contains {@code stealWork} -> {@code runqsteal}), read from the
 * collapsed-stack files async-profiler writes next to the committed flame graphs
 * ({@code results/flamegraphs/<Bench>-<params>/.../collapsed-<event>.csv}). The article's 86 -> 142 px
 * "top width" is the pixel width of that path's frames; a share of samples is the same quantity
 * without the picture's size.
 */
public final class FlameShares {
    /** Frames that mark the scheduler's find/steal path (the model's findRunnable and below). */
    static final String[] PATH_FRAMES = {"dev.gmpdefer.model.sched.M.findRunnable",
        "dev.gmpdefer.model.sched.M.stealWork", "dev.gmpdefer.model.sched.LocalRunQueue.runqsteal",
        "dev.gmpdefer.model.sched.RunQueue.runqsteal"}; // the last: runqsteal's class in the profiles before issue 11

    /** One profile: which benchmark and treatment, total samples and samples in the path. */
    public record Row(String bench, String treatment, String params, String file, long samples, long inPath,
               long inSteal) {
        public double share() {
            return samples == 0 ? 0 : (double) inPath / samples;
        }

        public double stealShare() {
            return samples == 0 ? 0 : (double) inSteal / samples;
        }
    }

    private static final Pattern TREATMENT = Pattern.compile("treatment[-=]([a-z_]+)");

    private FlameShares() {
    }

    /** Every collapsed-stack file under {@code resultsDir/flamegraphs}, in path order. */
    public static List<Row> load(Path resultsDir) throws IOException {
        Path root = resultsDir.resolve("flamegraphs");
        List<Row> rows = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return rows;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("collapsed") && (n.endsWith(".csv") || n.endsWith(".txt"));
            }).sorted(Comparator.comparing(p -> root.relativize(p).toString())).collect(Collectors.toList());
        }
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            String top = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : rel;
            String bench = top.contains("-") ? top.substring(0, top.indexOf('-')) : top;
            Matcher m = TREATMENT.matcher(rel);
            String treatment = "-";
            while (m.find()) { // the innermost folder (JMH's, one per parameter combination) names it last
                treatment = m.group(1);
            }
            long samples = 0;
            long inPath = 0;
            long inSteal = 0;
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    int sp = line.lastIndexOf(' ');
                    if (sp <= 0) {
                        continue;
                    }
                    long n;
                    try {
                        n = Long.parseLong(line.substring(sp + 1).trim());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    String stack = line.substring(0, sp).replace('/', '.');
                    samples += n;
                    if (stack.contains(PATH_FRAMES[0])) {
                        inPath += n;
                    }
                    if (stack.contains(PATH_FRAMES[1])) {
                        inSteal += n;
                    }
                }
            }
            rows.add(new Row(bench, treatment, top.substring(Math.min(top.length(), bench.length() + 1)), rel,
                    samples, inPath, inSteal));
        }
        return rows;
    }

    /** The row of {@code bench} with {@code treatment}, or null. */
    public static Row find(List<Row> rows, String bench, String treatment) {
        for (Row r : rows) {
            if (r.bench().equals(bench) && r.treatment().equals(treatment)) {
                return r;
            }
        }
        return null;
    }

    public static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }
}
