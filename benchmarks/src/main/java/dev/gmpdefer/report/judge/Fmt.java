package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

import java.util.Locale;

/**
 * Fixed number formatting for the report, so that the same input gives the same bytes: {@link Locale#ROOT},
 * decimals chosen by magnitude (>= 100: 0 decimals; >= 10: 1; >= 1: 2; below 1: 3 significant digits),
 * NaN as "n/a".
 */
public final class Fmt {
    private Fmt() {
    }

    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a == 0.0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a >= 0.001) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    /** "score ± error", or "score (± n/a)" when JMH gave no error. */
    public static String withErr(double score, double error) {
        if (Double.isNaN(score)) {
            return "n/a";
        }
        if (Double.isNaN(error) || Double.isInfinite(error)) {
            return num(score) + " (± n/a)";
        }
        return num(score) + " ± " + num(error);
    }

    public static String withErr(Metric m) {
        return m == null ? "n/a" : withErr(m.score(), m.error());
    }

    /** A fraction as a percentage with one decimal. */
    public static String pct(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", fraction * 100.0);
    }

    /** A ratio with two decimals and an "x". */
    public static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** Escapes the pipe so a value cannot break a Markdown table. */
    public static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
