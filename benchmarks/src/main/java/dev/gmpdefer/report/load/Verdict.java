package dev.gmpdefer.report.load;

/** A claim's verdict, as printed in the report. */
public enum Verdict {
    /** Measured (or read in Go's source) and the figure agrees within the stated tolerance. */
    REPRODUCED("reproduced"),
    /** Measured (or read) under the stated conditions, and the figure disagrees. */
    NOT_REPRODUCED("not reproduced"),
    /**
     * Measured, but the evidence decides neither way: a confidence interval straddles the tolerance, or a
     * comparison has too few runs (the comparison says how many more it needs).
     */
    INCONCLUSIVE("inconclusive"),
    /** Go's source shows the mechanism does not exist. */
    MECHANISM_ABSENT("mechanism absent"),
    /** Cannot be tested with this project on the machines it runs on; the reason is given. */
    NOT_TESTABLE("not testable here"),
    /** The benchmark that decides the claim has no committed run yet. */
    PENDING("no committed run yet");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The words printed in the report. */
    public String label() {
        return label;
    }

    /** Parses the label used in claims.json. */
    public static Verdict ofLabel(String label) {
        for (Verdict v : values()) {
            if (v.label.equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + label + "'; valid: reproduced, not reproduced, "
                + "inconclusive, mechanism absent, not testable here, no committed run yet");
    }
}
