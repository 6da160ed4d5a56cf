package dev.gmpdefer.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a JMH command line of the suite will run, and about how long it takes: the number of benchmark
 * configurations (method x mode x parameter combination) and an estimate of the wall time. No Go
 * counterpart (tooling).
 *
 * <p>Timed modes (throughput, average time, sample time) are estimated exactly from the iteration counts
 * and times (command line, then annotations, then JMH's defaults) plus {@link #FORK_OVERHEAD_S} per fork.
 * A single-shot benchmark's run time depends on its workload, so its seconds per run come from
 * {@code gmpdefer/estimates.properties} (measured on the reference machine; see that file for the source),
 * counting the runs every latency fork makes for the CPU control's calibration. The estimate is for the
 * reference machine (2 cores) at the benchmark's default parameters: "about", not a promise.
 */
public final class SuitePlan {

    /** JVM start, setup and teardown of one fork, seconds (rough, seen on the 2-core reference machine). */
    static final double FORK_OVERHEAD_S = 1.5;
    /**
     * Single-shot runs added per fork for setup and calibration: every latency fork, whatever its
     * treatment, runs the CPU control's calibration (1 in-situ run, 1 fill run, 3 pairs of none and defer,
     * 3 check runs; more pairs where runs are short).
     */
    static final int SETUP_RUNS_PER_FORK = 11;
    /** Seconds per single-shot run when a benchmark has no estimate. */
    static final double UNKNOWN_SINGLE_SHOT_S = 1.0;

    private static final Properties ESTIMATES = loadEstimates();

    private final int configurations;
    private final SortedSet<String> classes;
    private final double seconds;
    private final SortedSet<String> params;

    private SuitePlan(int configurations, SortedSet<String> classes, double seconds, SortedSet<String> params) {
        this.configurations = configurations;
        this.classes = classes;
        this.seconds = seconds;
        this.params = params;
    }

    /** The plan of running {@code entries} with the options of {@code cmd}. */
    static SuitePlan of(Collection<BenchmarkListEntry> entries, CommandLineOptions cmd) {
        int n = 0;
        double s = 0;
        SortedSet<String> classes = new TreeSet<>();
        SortedSet<String> params = new TreeSet<>();
        for (BenchmarkListEntry e : entries) {
            int combos = 1;
            if (e.getParams().hasValue()) {
                params.addAll(e.getParams().get().keySet());
                for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
                    org.openjdk.jmh.util.Optional<Collection<String>> given = cmd.getParameter(p.getKey());
                    combos *= given.hasValue() ? given.get().size() : p.getValue().length;
                }
            }
            Collection<Mode> modes = cmd.getBenchModes().isEmpty() ? List.of(e.getMode()) : cmd.getBenchModes();
            for (Mode m : modes) {
                n += combos;
                s += combos * secondsPerConfiguration(e, m, cmd);
            }
            classes.add(simpleClass(e.getUserClassQName()));
        }
        return new SuitePlan(n, classes, s, params);
    }

    static double secondsPerConfiguration(BenchmarkListEntry e, Mode m, CommandLineOptions cmd) {
        int forks = Math.max(0, cmd.getForkCount().orElse(e.getForks().orElse(Defaults.MEASUREMENT_FORKS)))
                + Math.max(0, cmd.getWarmupForkCount().orElse(e.getWarmupForks().orElse(Defaults.WARMUP_FORKS)));
        boolean ss = m == Mode.SingleShotTime;
        int wi = cmd.getWarmupIterations().orElse(e.getWarmupIterations().orElse(
                ss ? Defaults.WARMUP_ITERATIONS_SINGLESHOT : Defaults.WARMUP_ITERATIONS));
        int mi = cmd.getMeasurementIterations().orElse(e.getMeasurementIterations().orElse(
                ss ? Defaults.MEASUREMENT_ITERATIONS_SINGLESHOT : Defaults.MEASUREMENT_ITERATIONS));
        double perFork;
        if (ss) {
            perFork = (wi + mi + SETUP_RUNS_PER_FORK) * singleShotSeconds(e.getUserClassQName());
        } else {
            perFork = wi * seconds(cmd.getWarmupTime().orElse(e.getWarmupTime().orElse(Defaults.WARMUP_TIME)))
                    + mi * seconds(cmd.getMeasurementTime().orElse(
                    e.getMeasurementTime().orElse(Defaults.MEASUREMENT_TIME)));
        }
        return Math.max(1, forks) * (FORK_OVERHEAD_S + perFork);
    }

    /** Seconds of one single-shot run of a benchmark class, from estimates.properties. */
    static double singleShotSeconds(String classQName) {
        String v = ESTIMATES.getProperty(simpleClass(classQName));
        if (v == null) {
            return UNKNOWN_SINGLE_SHOT_S;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException ex) {
            return UNKNOWN_SINGLE_SHOT_S;
        }
    }

    private static double seconds(TimeValue t) {
        return t.convertTo(TimeUnit.MILLISECONDS) / 1000.0;
    }

    static String simpleClass(String qname) {
        return qname.substring(qname.lastIndexOf('.') + 1);
    }

    private static Properties loadEstimates() {
        Properties p = new Properties();
        try (InputStream in = SuitePlan.class.getResourceAsStream("/gmpdefer/estimates.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public int configurations() {
        return configurations;
    }

    public SortedSet<String> classes() {
        return classes;
    }

    public double seconds() {
        return seconds;
    }

    /** "about 12 min" / "about 40 s". */
    static String about(double s) {
        if (s < 90) {
            return "about " + Math.max(1, Math.round(s)) + " s";
        }
        if (s < 2 * 3600) {
            return "about " + Math.round(s / 60) + " min";
        }
        return String.format(Locale.ROOT, "about %.1f h", s / 3600);
    }

    /**
     * One line for the console; with {@code machineTail}, ending in what scripts read: {@code estimate_s=N}
     * and {@code params=a,b,c} (the -p names the selected benchmarks take).
     */
    String describe(boolean machineTail) {
        List<String> cls = new ArrayList<>(classes);
        String names = cls.size() <= 4 ? String.join(", ", cls) : cls.size() + " classes";
        String line = configurations + " benchmark configuration(s) in " + names + ", " + about(seconds)
                + " on the 2-core reference machine";
        return machineTail ? line + " (estimate_s=" + Math.round(seconds) + " params=" + String.join(",", params)
                + ")" : line;
    }
}
