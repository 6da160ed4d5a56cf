package dev.gmpdefer.bench;

import dev.gmpdefer.model.workload.Treatment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Validation of the suite's JMH parameters, shared by {@link Main} (which checks {@code -p} values
 * before any fork starts, so a typo gives one line instead of a stack trace) and by the benchmarks'
 * setup methods (which check again when driven programmatically).
 */
public final class BenchParams {
    private BenchParams() {
    }

    /** Allocator strategies (dev.gmpdefer.model.defer.DeferStrategy) by name. */
    public static final String[] STRATEGIES = java.util.Arrays.stream(dev.gmpdefer.model.defer.DeferStrategy.values())
            .map(Enum::name).toArray(String[]::new);

    /** Parameter name -> check returning the value in canonical form (enum names as the code spells them). */
    private static final Map<String, UnaryOperator<String>> RULES = new LinkedHashMap<>();

    static {
        RULES.put("treatment", v -> Treatment.parse(v).id());
        RULES.put("density", v -> Integer.toString(intIn("density", v, 0, 100_000)));
        RULES.put("procs", v -> Integer.toString(intIn("procs", v, 1, 256)));
        RULES.put("goroutines", v -> Integer.toString(intIn("goroutines", v, 1, 10_000_000)));
        RULES.put("defersPerCall", v -> Integer.toString(intIn("defersPerCall", v, 0, 1_000_000)));
        RULES.put("chainLength", v -> Integer.toString(intIn("chainLength", v, 1, 10_000_000)));
        RULES.put("threads", v -> Integer.toString(intIn("threads", v, 1, 256)));
        RULES.put("layout", v -> oneOf("layout", v, "GO122_48", "GO114_72"));
        RULES.put("strategy", BenchParams::strategy);
        RULES.put("pauseMode", v -> oneOf("pauseMode", v, "SPIN", "PARK"));
        RULES.put("gogc", v -> gogc(v) < 0 ? "off" : Integer.toString(gogc(v)));
    }

    /**
     * Checks one parameter value if the name is one the suite knows and returns it in canonical form
     * ({@code heap} -> {@code HEAP}, {@code CPU_Control} -> {@code cpu_control}); values of names the suite
     * does not check are returned as given (JMH converts them).
     */
    public static String check(String name, String value) {
        UnaryOperator<String> rule = RULES.get(name);
        return rule == null ? value : rule.apply(value);
    }

    /** GOGC: {@code off} -> -1, else an int in [0, 100000]; names the parameter in the error. */
    public static int gogc(String v) {
        if (v != null && v.trim().equalsIgnoreCase("off")) {
            return -1;
        }
        return intIn("gogc", v, 0, 100_000);
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

    /** Checks an allocator strategy name. */
    public static String strategy(String v) {
        return oneOf("strategy", v, STRATEGIES);
    }

    /** Checks the runnext steal pause mode (SPIN or PARK). */
    public static String checkPauseMode(String v) {
        return oneOf("pauseMode", v, "SPIN", "PARK");
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

    /** The names of the parameters this class checks. */
    public static String[] known() {
        return RULES.keySet().toArray(new String[0]);
    }

    static String describe() {
        return Arrays.toString(known());
    }
}
