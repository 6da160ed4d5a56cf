package dev.gmpdefer.contract;

import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.workload.Treatment;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The measurement contract's parameters: every JMH parameter the suite checks, with its name, type, default
 * and valid values, in one list. The launcher ({@code bench.Main}) and the benchmarks' setup check values
 * through it ({@code bench.BenchParams}), the report reads parameter names and the GOGC default from it, and
 * a test checks every {@code @Param} field of the suite against it.
 */
public enum Parameter {
    /** The treatment (see {@link Treatment}): none, defer, cpu_control, alloc_control, ... */
    TREATMENT("treatment", "enum", "-", Treatment.ids(), v -> Treatment.parse(v).id()),
    /** Defers per loop iteration of a latency workload. */
    DENSITY("density", "int", "-", "0..100000", v -> ints("density", v, 0, 100_000)),
    /** GOMAXPROCS: the number of Ps. */
    PROCS("procs", "int", "-", "1..256", v -> ints("procs", v, 1, 256)),
    GOROUTINES("goroutines", "int", "-", "1..10000000", v -> ints("goroutines", v, 1, 10_000_000)),
    DEFERS_PER_CALL("defersPerCall", "int", "-", "0..1000000", v -> ints("defersPerCall", v, 0, 1_000_000)),
    CHAIN_LENGTH("chainLength", "int", "-", "1..10000000", v -> ints("chainLength", v, 1, 10_000_000)),
    THREADS("threads", "int", "-", "1..256", v -> ints("threads", v, 1, 256)),
    /** The _defer record layout (Go 1.22's 48 bytes or Go 1.14's 72). */
    LAYOUT("layout", "enum", "-", "GO122_48, GO114_72", v -> oneOf("layout", v, "GO122_48", "GO114_72")),
    /** The allocator strategy of the defer records (see {@link DeferStrategy}). */
    STRATEGY("strategy", "enum", "GO_COMPILER", names(DeferStrategy.values()),
            v -> oneOf("strategy", v, names(DeferStrategy.values()).split(", "))),
    /** How runqgrab's steal pause waits: SPIN or PARK. */
    PAUSE_MODE("pauseMode", "enum", "PARK", "SPIN, PARK", v -> oneOf("pauseMode", v, "SPIN", "PARK")),
    /** FanoutBench: producers, each spawning {@link #CHILDREN} Gs. */
    PRODUCERS("producers", "int", "-", "1..10000", v -> ints("producers", v, 1, 10_000)),
    CHILDREN("children", "int", "-", "1..10000000", v -> ints("children", v, 1, 10_000_000)),
    /** PingPongHogBench: hand-offs per pair. */
    ROUNDS("rounds", "int", "-", "1..100000000", v -> ints("rounds", v, 1, 100_000_000)),
    /** RunQueueBench: Gs already queued (at most the ring's 256). */
    DEPTH("depth", "int", "-", "0..256", v -> ints("depth", v, 0, 256)),
    /** StealBench: the victim's queue length. */
    LEN("len", "int", "-", "1..256", v -> ints("len", v, 1, 256)),
    /** StealPauseBench's name for {@link #PAUSE_MODE} (its committed runs carry it). */
    MODE("mode", "enum", "-", "SPIN, PARK", v -> oneOf("mode", v, "SPIN", "PARK")),
    /** StealPauseBench: runqgrab's pause in ns (Go: usleep(3)). */
    PAUSE_NS("pauseNs", "int", "-", "0..1000000000", v -> ints("pauseNs", v, 0, 1_000_000_000)),
    /** MetricsRecordBench: whether the run records its metrics. */
    RECORDING("recording", "boolean", "-", "true, false", v -> bool("recording", v)),
    /** DeferContentionBench: whether the Gs migrate between Ps (the deferpool's spill and refill). */
    MIGRATE("migrate", "boolean", "-", "true, false", v -> bool("migrate", v)),
    /** GOGC of the model's GC: a percentage, or off (no cycle). Parsed by {@link #gogc(String)} only. */
    GOGC("gogc", "int or off", Parameter.GOGC_DEFAULT, "off, 0..100000", v -> gogc(v) < 0 ? Parameter.OFF : Integer.toString(gogc(v)));

    /** GOGC's default: Go's own (runtime/mgcpacer.go: defaultGOGC = 100). A constant, for JMH's {@code @Param}. */
    public static final String GOGC_DEFAULT = "100";
    /** GOGC's value that turns the collector off (GOGC=off in Go, SetGCPercent(-1)). */
    public static final String OFF = "off";

    /** The JMH parameter's name. */
    public final String id;
    /** "int", "enum", "int or off". */
    public final String type;
    /** The default the suite runs with; "-" where each benchmark declares its own values. */
    public final String defaultValue;
    /** The valid values, in words. */
    public final String valid;
    private final UnaryOperator<String> check;

    Parameter(String id, String type, String defaultValue, String valid, UnaryOperator<String> check) {
        this.id = id;
        this.type = type;
        this.defaultValue = defaultValue;
        this.valid = valid;
        this.check = check;
    }

    /** The value in canonical form ({@code heap} -> {@code HEAP}); throws naming the parameter and the valid values. */
    public String check(String value) {
        return check.apply(value);
    }

    /** The parameter of that JMH name; null if the contract has none. */
    public static Parameter of(String id) {
        for (Parameter p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return null;
    }

    /** GOGC: {@code off} -> -1, else an int in [0, 100000]; the one parser of the value. */
    public static int gogc(String v) {
        if (v != null && v.trim().equalsIgnoreCase(OFF)) {
            return -1;
        }
        return intIn("gogc", v, 0, 100_000);
    }

    /**
     * A result's GOGC as the report reads it: the value measured, and {@link #OFF} where a result has none (the
     * runs before the model had a GC, which made no cycles, and every benchmark without a GC).
     */
    public static String gogcOf(String measured) {
        return measured == null ? OFF : measured;
    }

    /** Parses an int parameter in [min, max], naming the parameter in the error. */
    public static int intIn(String name, String v, int min, int max) {
        int x;
        try {
            x = Integer.parseInt(v.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(name + ": not an integer: '" + v + "'; valid values: " + min + ".." + max);
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException(name + ": " + x + " is out of range; valid values: " + min + ".." + max);
        }
        return x;
    }

    private static String ints(String name, String v, int min, int max) {
        return Integer.toString(intIn(name, v, min, max));
    }

    private static String oneOf(String name, String v, String... valid) {
        String k = v == null ? "" : v.trim().toUpperCase(Locale.ROOT);
        for (String s : valid) {
            if (s.equals(k)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name + ": unknown value '" + v + "'; valid values: " + String.join(", ", valid));
    }

    private static String bool(String name, String v) {
        return oneOf(name, v, "TRUE", "FALSE").toLowerCase(Locale.ROOT);
    }

    private static String names(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(Enum::name).toArray(String[]::new));
    }
}
