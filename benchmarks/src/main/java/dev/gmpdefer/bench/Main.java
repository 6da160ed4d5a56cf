package dev.gmpdefer.bench;

import dev.gmpdefer.bench.latency.SchedMetricsProfiler;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The main class of {@code benchmarks.jar}: JMH's command line with the suite's additions. No Go
 * counterpart (tooling).
 * <ol>
 *   <li>Parameters are checked before anything runs: a {@code -p} name that none of the selected
 *       benchmarks has ({@code -p densty=10}) and a bad value ({@code -p treatment=defr}) each give one line
 *       naming the parameter and the valid names or values, and exit status 2. The suite's word-valued
 *       parameters match case-insensitively and are passed on (and so recorded) in canonical form
 *       ({@code -p strategy=heap} runs and records {@code HEAP}).</li>
 *   <li>{@link SchedMetricsProfiler} is added to every run (it publishes nothing for benchmarks that make no
 *       scheduler run), so scheduler metrics reach {@code -rf json} without extra flags.</li>
 *   <li>Before running it prints what will run and about how long ({@link SuitePlan}); with no arguments it
 *       also says how to choose. {@code --plan} prints that and exits.</li>
 *   <li>A benchmark that fails (an exception in a fork, a fork that dies) makes the whole run exit with
 *       status 1 and a last line naming it with the first line of its error; JMH alone would exit 0.</li>
 * </ol>
 * Everything else ({@code -l}, {@code -lp}, {@code -prof}, {@code -rf}...) is JMH's own; {@code -h} prints
 * the suite's options, then JMH's.
 */
public final class Main {
    private Main() {
    }

    static final String NAME = "benchmarks.jar";

    static final String SUITE_HELP = String.join("\n",
            "Usage: java -jar benchmarks.jar [--plan] [benchmark regexp...] [JMH options]",
            "",
            "The gmpdefer JMH suite (does Go's defer hurt Go's scheduler?). JMH's command line, plus:",
            "  --plan          print what would run and about how long (on the 2-core reference machine), run nothing",
            "  parameter check -p NAME=V1,V2: an unknown NAME for the selected benchmarks, or a bad value, stops at",
            "                  once with one line naming the valid names or values; word values (treatment,",
            "                  strategy, layout, pauseMode) match in any case and are recorded in canonical form",
            "  metrics         the scheduler metrics profiler (dev.gmpdefer.bench.latency.SchedMetricsProfiler) is",
            "                  added to every run: latency percentiles, runnext share, steals, GC counts reach -rf json",
            "  exit status     0 when every benchmark ran, 1 when one failed (its first error line is printed last),",
            "                  2 for a bad command line",
            "",
            "Examples:",
            "  java -jar benchmarks.jar -l                                  list the suite",
            "  java -jar benchmarks.jar ArticleGoschedBench -p procs=4 --plan",
            "  java -jar benchmarks.jar DeferAllocBench -p strategy=POOLED,OFFHEAP -prof gc -rf json -rff /tmp/out.json",
            "",
            "Modes and where results go: scripts/run.sh quick|full|latency|runq runs a prepared part of the suite",
            "into results/local/<date>-<mode>/ (git-ignored) with its own report comparing this machine with the",
            "committed reference (results/reference.txt); with no arguments this jar runs the whole suite with",
            "each benchmark's own settings and writes only what -rf/-rff say.",
            "",
            "JMH's options follow.",
            "",
            "");

    static final String NO_ARGS_HINT = String.join("\n",
            NAME + ": no benchmark given, so the whole suite runs with each benchmark's own settings.",
            "  Choose instead:  java -jar benchmarks.jar -l                 (list the benchmarks)",
            "                   java -jar benchmarks.jar StealBench         (one class; a regexp)",
            "                   java -jar benchmarks.jar -h                 (options)",
            "                   scripts/run.sh quick                        (a ~5 minute subset with a report)",
            "  Ctrl-C stops the run.");

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        System.out.flush();
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Runs the command line; returns the exit status (0 ok, 1 a benchmark failed, 2 bad input). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean planOnly = false;
        boolean help = false;
        List<String> jmhArgs = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--plan")) {
                planOnly = true;
            } else if (a.equals("-h") || a.equals("--help") || a.equals("-help")) {
                help = true;
            } else {
                jmhArgs.add(a);
            }
        }
        if (help) {
            out.print(SUITE_HELP);
            try {
                new CommandLineOptions().showHelp();
            } catch (IOException | CommandLineOptionException e) {
                err.println(NAME + ": " + e.getMessage());
            }
            return 0;
        }
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            err.println(NAME + ": " + firstLine(e.getMessage()) + " (options: java -jar benchmarks.jar -h)");
            return 2;
        }
        if (cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            try {
                org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
            } catch (Exception e) {
                err.println(NAME + ": " + e);
                return 2;
            }
            return 0;
        }
        SortedSet<BenchmarkListEntry> selected = select(cmd);
        if (selected.isEmpty()) {
            err.println(NAME + ": no benchmark matches " + cmd.getIncludes() + "; list them with: java -jar "
                    + NAME + " -l");
            return 2;
        }
        Map<String, List<String>> canonical = new LinkedHashMap<>();
        String bad = validate(cmd, jmhArgs, selected, canonical);
        if (bad != null) {
            err.println(NAME + ": " + bad);
            return 2;
        }
        SuitePlan plan = SuitePlan.of(selected, cmd);
        if (args.length == 0) {
            err.println(NO_ARGS_HINT);
        }
        err.println(NAME + ": plan: " + plan.describe(planOnly));
        if (planOnly) {
            return 0;
        }
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        for (Map.Entry<String, List<String>> p : canonical.entrySet()) {
            b.param(p.getKey(), p.getValue().toArray(new String[0]));
        }
        boolean hasProfiler = cmd.getProfilers().stream()
                .anyMatch(p -> p.getKlass().equals(SchedMetricsProfiler.class.getName()));
        if (!hasProfiler) {
            b.addProfiler(SchedMetricsProfiler.class);
        }
        FailureWatch watch = new FailureWatch(OutputFormatFactory.createFormatInstance(out,
                cmd.verbosity().orElse(Defaults.VERBOSITY)));
        try {
            new Runner(b.build(), watch).run();
        } catch (NoBenchmarksException e) {
            err.println(NAME + ": no matching benchmarks; list them with -l");
            return 2;
        } catch (RunnerException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            err.println(NAME + ": the run stopped: " + firstLine(String.valueOf(c)));
            return 1;
        }
        if (watch.failures() > 0) {
            err.println(NAME + ": " + watch.failures() + " benchmark configuration(s) failed; the first, "
                    + watch.firstBenchmark() + ": " + watch.firstError());
            return 1;
        }
        return 0;
    }

    /** The benchmarks the command line selects (JMH's include/exclude regexps; all when none given). */
    static SortedSet<BenchmarkListEntry> select(CommandLineOptions cmd) {
        List<String> includes = new ArrayList<>(cmd.getIncludes());
        if (includes.isEmpty()) {
            includes.add(Defaults.INCLUDE_BENCHMARKS);
        }
        OutputFormat silent = OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT);
        return BenchmarkList.defaultList().find(silent, includes, cmd.getExcludes());
    }

    /** Checks every -p name and value against all benchmarks; returns the first error message, or null. */
    static String validate(String... args) throws CommandLineOptionException {
        CommandLineOptions cmd = new CommandLineOptions(args);
        return validate(cmd, List.of(args), select(cmd), new LinkedHashMap<>());
    }

    /**
     * Checks the -p names against the parameters of the selected benchmarks and the values the suite knows;
     * fills {@code canonical} with each checked name's values in canonical form. Returns the first error, or
     * null.
     */
    static String validate(CommandLineOptions cmd, List<String> rawArgs, Collection<BenchmarkListEntry> selected,
                           Map<String, List<String>> canonical) {
        SortedSet<String> names = new TreeSet<>();
        SortedSet<String> classes = new TreeSet<>();
        for (BenchmarkListEntry e : selected) {
            classes.add(SuitePlan.simpleClass(e.getUserClassQName()));
            if (e.getParams().hasValue()) {
                names.addAll(e.getParams().get().keySet());
            }
        }
        for (String given : givenParamNames(rawArgs)) {
            if (!names.contains(given)) {
                String which = classes.size() <= 3 ? String.join(", ", classes) : classes.size() + " selected classes";
                return "unknown parameter -p " + given + " for " + which + "; valid names: "
                        + (names.isEmpty() ? "(none: these benchmarks take no -p)" : String.join(", ", names));
            }
        }
        for (String name : names) {
            org.openjdk.jmh.util.Optional<Collection<String>> vals = cmd.getParameter(name);
            if (!vals.hasValue()) {
                continue;
            }
            List<String> out = new ArrayList<>();
            for (String v : vals.get()) {
                try {
                    out.add(BenchParams.check(name, v));
                } catch (IllegalArgumentException e) {
                    return "bad parameter -p " + name + "=" + v + ": " + e.getMessage();
                }
            }
            canonical.put(name, out);
        }
        return null;
    }

    /**
     * The names given with {@code -p NAME=...} (JMH's options expose parameters only by name, so the raw
     * arguments are read; {@code -p} takes its value as the next argument).
     */
    static List<String> givenParamNames(List<String> args) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-p")) {
                String kv = args.get(++i);
                int eq = kv.indexOf('=');
                names.add(eq < 0 ? kv : kv.substring(0, eq));
            }
        }
        return names;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }

    /**
     * Passes JMH's output through and remembers failures: the {@code <failure>} block a fork's benchmark
     * exception prints (its first non-blank line is the exception's first line) and a dying fork's
     * {@code <forked VM failed with exit code N>}.
     */
    static final class FailureWatch implements OutputFormat {
        private final OutputFormat d;
        private String current = "?";
        private boolean awaitingError;
        private final SortedSet<String> failed = new TreeSet<>();
        private String firstBenchmark;
        private String firstError;

        FailureWatch(OutputFormat d) {
            this.d = d;
        }

        int failures() {
            return failed.size();
        }

        String firstBenchmark() {
            return firstBenchmark;
        }

        String firstError() {
            return firstError;
        }

        private void fail(String line) {
            failed.add(current);
            if (firstError == null) {
                firstBenchmark = current;
                firstError = line;
            }
        }

        private void watch(String s) {
            if (s == null) {
                return;
            }
            for (String line : s.split("\n", -1)) {
                String t = line.strip();
                if (t.startsWith("<failure>")) {
                    awaitingError = true;
                } else if (awaitingError && !t.isEmpty()) {
                    awaitingError = false;
                    fail(t);
                } else if (t.startsWith("<forked VM failed")) {
                    fail(t);
                }
            }
        }

        @Override
        public void startBenchmark(BenchmarkParams p) {
            StringBuilder sb = new StringBuilder(SuitePlan.simpleClass(p.getBenchmark().substring(0,
                    Math.max(0, p.getBenchmark().lastIndexOf('.')))) + p.getBenchmark().substring(
                    p.getBenchmark().lastIndexOf('.')));
            if (!p.getParamsKeys().isEmpty()) {
                List<String> kv = new ArrayList<>();
                for (Object k : p.getParamsKeys()) {
                    kv.add(k + "=" + p.getParam((String) k));
                }
                sb.append(" (").append(String.join(", ", kv)).append(')');
            }
            current = sb.toString();
            awaitingError = false;
            d.startBenchmark(p);
        }

        @Override
        public void iteration(BenchmarkParams b, IterationParams i, int n) {
            d.iteration(b, i, n);
        }

        @Override
        public void iterationResult(BenchmarkParams b, IterationParams i, int n, IterationResult r) {
            d.iterationResult(b, i, n, r);
        }

        @Override
        public void endBenchmark(BenchmarkResult r) {
            d.endBenchmark(r);
        }

        @Override
        public void startRun() {
            d.startRun();
        }

        @Override
        public void endRun(Collection<RunResult> r) {
            d.endRun(r);
        }

        @Override
        public void print(String s) {
            watch(s);
            d.print(s);
        }

        @Override
        public void println(String s) {
            watch(s);
            d.println(s);
        }

        @Override
        public void flush() {
            d.flush();
        }

        @Override
        public void close() {
            d.close();
        }

        @Override
        public void verbosePrintln(String s) {
            d.verbosePrintln(s);
        }

        @Override
        public void write(int b) {
            d.write(b);
        }

        @Override
        public void write(byte[] b) throws IOException {
            d.write(b);
        }
    }
}
