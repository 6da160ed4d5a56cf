package dev.gmpdefer.report.load;

import java.util.Locale;

/** Time-unit conversions for the units JMH writes. */
public final class Units {
    private Units() {
    }

    /** Factor that converts a value in {@code unit} (e.g. "us/op", "ms", "µs") to nanoseconds; NaN if not a time. */
    public static double nanosFactor(String unit) {
        if (unit == null) {
            return Double.NaN;
        }
        String u = unit.trim().toLowerCase(Locale.ROOT);
        int slash = u.indexOf('/');
        if (slash >= 0) {
            u = u.substring(0, slash);
        }
        switch (u) {
            case "ns":
                return 1.0;
            case "us":
            case "µs":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            default:
                return Double.NaN;
        }
    }

    /** Factor from a time unit to microseconds; NaN if not a time. */
    public static double microsFactor(String unit) {
        double f = nanosFactor(unit);
        return f / 1e3;
    }
}
