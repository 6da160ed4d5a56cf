package dev.gmpdefer.model.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a latency workload does where the article puts its defers. The value of the JMH
 * {@code treatment} parameter is {@link #id()}. No Go counterpart except {@code defer} (panic.go:
 * deferproc / deferreturn); the rest are the experiment's controls and the article's hypothesis (C9).
 */
public enum Treatment {
    /** The body without defers. */
    NONE("none"),
    /** The body with D defers per call under the chosen allocator strategy. */
    DEFER("defer"),
    /** No defers, but the same CPU time the defer treatment spends in defer code (measured, not typed in). */
    CPU_CONTROL("cpu_control"),
    /** No defers, but allocating and keeping live the bytes the heap records would. */
    ALLOC_CONTROL("alloc_control"),
    /**
     * HYPOTHETICAL (claim C9, not Go): defers as in {@link #DEFER}, but a deferproc that finds the
     * local pool empty parks the G and requeues it on the global queue. Never the default.
     */
    ARTICLE_HYPOTHESIS("article_hypothesis");

    private final String id;

    Treatment(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether the body registers real defers. */
    public boolean registersDefers() {
        return this == DEFER || this == ARTICLE_HYPOTHESIS;
    }

    /** All ids, for messages: "none, defer, cpu_control, alloc_control, article_hypothesis". */
    public static String ids() {
        return Arrays.stream(values()).map(Treatment::id).collect(Collectors.joining(", "));
    }

    /** Parses a parameter value; throws naming the parameter and the valid values. */
    public static Treatment parse(String s) {
        if (s != null) {
            String k = s.trim().toLowerCase(Locale.ROOT);
            for (Treatment t : values()) {
                if (t.id.equals(k)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("treatment: unknown value '" + s + "'; valid values: " + ids());
    }
}
