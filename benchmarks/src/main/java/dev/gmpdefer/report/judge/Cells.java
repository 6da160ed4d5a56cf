package dev.gmpdefer.report.judge;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Picks comparable results out of a latency benchmark's entries: the configuration the article used and,
 * for each treatment, the entry with the same other parameters.
 */
public final class Cells {
    private Cells() {
    }

    /** The latency benchmarks of issue 4, in report order. */
    public static final List<String> LATENCY_BENCHES = Suite.classes("latency");

    /** The model's treatments in report order (the measurement contract's). */
    public static final List<String> TREATMENTS = dev.gmpdefer.contract.Treatments.model();

    private static final String TREATMENT = Parameter.TREATMENT.id;
    private static final String PROCS = Parameter.PROCS.id;
    private static final String DENSITY = Parameter.DENSITY.id;
    private static final String STRATEGY = Parameter.STRATEGY.id;
    private static final String GOGC = Parameter.GOGC.id;

    /** A cell's GOGC as the configuration rule reads it ({@link Parameter#gogcOf}: absent = off). */
    public static String gogc(String measured) {
        return Parameter.gogcOf(measured);
    }

    /** Treatments present, in report order (unknown ones last, alphabetically). */
    public static List<String> treatments(List<JmhEntry> entries) {
        List<String> present = ResultStore.values(entries, TREATMENT);
        List<String> out = new ArrayList<>();
        for (String t : TREATMENTS) {
            if (present.contains(t)) {
                out.add(t);
            }
        }
        for (String t : present) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The reference parameters (everything but the treatment) closest to the article's setup: GOGC=100 (Go's
     * default) where measured, else the GC off; procs nearest
     * {@code procs}, density nearest {@code density} among the defer entries, strategy
     * {@link VerdictRules#DEFAULT_STRATEGY} if measured; other parameters from the first matching entry.
     * Null when no entry has a treatment.
     */
    public static SortedMap<String, String> config(List<JmhEntry> entries, double procs, double density) {
        List<JmhEntry> es = entries.stream().filter(e -> e.param(TREATMENT) != null).collect(Collectors.toList());
        if (es.isEmpty()) {
            return null;
        }
        // the configuration rule: Go's default GOGC=100 where measured, else the GC off (older runs); the GC
        // section shows both
        List<JmhEntry> gcOn = es.stream().filter(e -> Parameter.GOGC_DEFAULT.equals(e.param(GOGC)))
                .collect(Collectors.toList());
        List<JmhEntry> gcOff = es.stream().filter(e -> Parameter.OFF.equals(gogc(e.param(GOGC))))
                .collect(Collectors.toList());
        if (!gcOn.isEmpty()) {
            es = gcOn;
        } else if (!gcOff.isEmpty()) {
            es = gcOff;
        }
        es = narrow(es, PROCS, nearest(ResultStore.values(es, PROCS), procs));
        List<JmhEntry> defers = es.stream().filter(e -> "defer".equals(e.param(TREATMENT)))
                .collect(Collectors.toList());
        es = narrow(es, DENSITY, nearest(ResultStore.values(defers.isEmpty() ? es : defers, DENSITY), density));
        List<String> strategies = ResultStore.values(es, STRATEGY);
        if (!strategies.isEmpty()) {
            es = narrow(es, STRATEGY, strategies.contains(VerdictRules.DEFAULT_STRATEGY)
                    ? VerdictRules.DEFAULT_STRATEGY : strategies.get(0));
        }
        JmhEntry ref = es.stream().filter(e -> "none".equals(e.param(TREATMENT))).findFirst().orElse(es.get(0));
        SortedMap<String, String> cfg = new TreeMap<>(ref.params());
        cfg.remove(TREATMENT);
        return cfg;
    }

    private static List<JmhEntry> narrow(List<JmhEntry> es, String param, String value) {
        if (value == null) {
            return es;
        }
        List<JmhEntry> n = es.stream().filter(e -> value.equals(e.param(param))).collect(Collectors.toList());
        return n.isEmpty() ? es : n;
    }

    /** The value nearest to target (ties: the larger); numeric values only; null if none. */
    static String nearest(List<String> values, double target) {
        String best = null;
        double bestDist = Double.MAX_VALUE;
        for (String v : values) {
            double d;
            try {
                d = Math.abs(Double.parseDouble(v) - target);
            } catch (NumberFormatException e) {
                continue;
            }
            if (d <= bestDist) {
                best = v;
                bestDist = d;
            }
        }
        return best;
    }

    /**
     * The entry of {@code treatment} whose other parameters match {@code cfg} best; procs must match exactly
     * when {@code cfg} has it, and gogc always (absent = off). Ties go to the first entry in report order. Null if none.
     */
    public static JmhEntry find(List<JmhEntry> entries, String treatment, SortedMap<String, String> cfg) {
        if (cfg == null) {
            return null;
        }
        JmhEntry best = null;
        int bestScore = -1;
        for (JmhEntry e : entries) {
            if (!treatment.equals(e.param(TREATMENT))) {
                continue;
            }
            if (cfg.containsKey(PROCS) && !cfg.get(PROCS).equals(e.param(PROCS))) {
                continue;
            }
            if (!gogc(cfg.get(GOGC)).equals(gogc(e.param(GOGC)))) {
                continue; // GC on and GC off are different experiments, never mixed in one comparison
            }
            int score = 0;
            for (var kv : cfg.entrySet()) {
                if (kv.getValue().equals(e.param(kv.getKey()))) {
                    score++;
                }
            }
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best;
    }

    /** A secondary metric converted to µs when its unit is a time unit (kept as is otherwise); null if absent. */
    public static Metric micros(JmhEntry e, String name) {
        if (e == null) {
            return null;
        }
        Metric m = e.metric(name);
        if (m == null) {
            return null;
        }
        double f = Units.microsFactor(m.unit());
        if (Double.isNaN(f) || f == 1.0) {
            return m;
        }
        return new Metric(m.score() * f, m.error() * f, "us");
    }

    /** CPU time of a run's Ms, per run (ms). */
    public static final String CPU = "m.cpu.ms";

    /** The CPU time per run of {@code e} ({@link #CPU}); null when absent. */
    public static Metric cpu(JmhEntry e) {
        return e == null ? null : e.metric(CPU);
    }

    /** The parameters of cfg as "k=v, ..." text. */
    public static String describe(SortedMap<String, String> cfg) {
        if (cfg == null || cfg.isEmpty()) {
            return "(no parameters)";
        }
        return cfg.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
