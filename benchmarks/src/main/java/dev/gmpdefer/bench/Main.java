package dev.gmpdefer.bench;

import dev.gmpdefer.bench.latency.SchedMetricsProfiler;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.Optional;

/**
 * The main class of {@code benchmarks.jar}: JMH's command line, unchanged, with two additions.
 * <ol>
 *   <li>The suite's {@code -p} values are checked before anything runs: a typo such as
 *       {@code -p treatment=defr} prints one line naming the parameter and its valid values and exits
 *       with status 2, instead of a stack trace from a forked JVM.</li>
 *   <li>{@link SchedMetricsProfiler} is added to every run (it publishes nothing for benchmarks that
 *       make no scheduler run), so scheduler metrics reach {@code -rf json} without extra flags.</li>
 * </ol>
 * Everything else ({@code -l}, {@code -lp}, {@code -h}, {@code -prof}, {@code -rf}...) is JMH's own:
 * listing and help are delegated to {@code org.openjdk.jmh.Main}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.err.println("Run with -h for JMH's options.");
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        String bad = validate(cmd);
        if (bad != null) {
            System.err.println("benchmarks.jar: " + bad);
            System.exit(2);
            return;
        }
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        boolean hasProfiler = cmd.getProfilers().stream()
                .anyMatch(p -> p.getKlass().equals(SchedMetricsProfiler.class.getName()));
        if (!hasProfiler) {
            b.addProfiler(SchedMetricsProfiler.class);
        }
        try {
            new Runner(b.build()).run();
        } catch (NoBenchmarksException e) {
            System.err.println("No matching benchmarks. Miss-spelled regexp? List them with -l.");
            System.exit(1);
        } catch (RunnerException e) {
            System.err.print("ERROR: ");
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** Checks every -p value the suite knows; returns the first error message, or null. */
    static String validate(CommandLineOptions cmd) {
        for (String name : BenchParams.known()) {
            Optional<Collection<String>> vals = toOptional(cmd.getParameter(name));
            if (vals.isEmpty()) {
                continue;
            }
            for (String v : vals.get()) {
                try {
                    BenchParams.check(name, v);
                } catch (IllegalArgumentException e) {
                    return "bad parameter -p " + name + "=" + v + ": " + e.getMessage();
                }
            }
        }
        return null;
    }

    private static Optional<Collection<String>> toOptional(org.openjdk.jmh.util.Optional<Collection<String>> o) {
        return o.hasValue() ? Optional.of(o.get()) : Optional.empty();
    }
}
