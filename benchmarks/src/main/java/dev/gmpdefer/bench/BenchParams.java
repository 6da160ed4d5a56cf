package dev.gmpdefer.bench;

import dev.gmpdefer.contract.Parameter;

import java.util.Arrays;

/**
 * Validation of the suite's JMH parameters, shared by {@link Main} (which checks {@code -p} values
 * before any fork starts, so a typo gives one line instead of a stack trace) and by the benchmarks'
 * setup methods (which check again when driven programmatically).
 */
public final class BenchParams {
    private BenchParams() {
    }

    /**
     * Checks one parameter value if the name is one the contract declares ({@link Parameter}) and returns it
     * in canonical form ({@code heap} -> {@code HEAP}, {@code CPU_Control} -> {@code cpu_control}); values of
     * names the contract does not declare are returned as given (JMH converts them).
     */
    public static String check(String name, String value) {
        Parameter p = Parameter.of(name);
        return p == null ? value : p.check(value);
    }

    /** GOGC: {@code off} -> -1, else an int in [0, 100000] ({@link Parameter#gogc}). */
    public static int gogc(String v) {
        return Parameter.gogc(v);
    }

    /** Parses an int parameter in [min, max], naming the parameter in the error. */
    public static int intIn(String name, String v, int min, int max) {
        return Parameter.intIn(name, v, min, max);
    }

    /** Checks an allocator strategy name. */
    public static String strategy(String v) {
        return Parameter.STRATEGY.check(v);
    }

    /** Checks the runnext steal pause mode (SPIN or PARK). */
    public static String checkPauseMode(String v) {
        return Parameter.PAUSE_MODE.check(v);
    }

    /** The names of the parameters the contract declares. */
    public static String[] known() {
        return Arrays.stream(Parameter.values()).map(p -> p.id).toArray(String[]::new);
    }

    static String describe() {
        return Arrays.toString(known());
    }
}
