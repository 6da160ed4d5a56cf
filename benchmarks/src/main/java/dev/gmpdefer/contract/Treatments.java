package dev.gmpdefer.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The measurement contract's treatments: every treatment id the model ({@code model.workload.Treatment}) or
 * realgo ({@code realgo/treat.go}) runs, with where it runs and what it is, in report order. The report's
 * treatment lists come from here; {@code ContractTest} checks both sides' declarations against it.
 */
public final class Treatments {
    private Treatments() {
    }

    /**
     * One treatment.
     *
     * @param id      the id both sides use (JMH's {@code treatment} parameter, realgo's {@code treatment} field)
     * @param model   whether the model runs it
     * @param go      whether realgo runs it
     * @param meaning what it is
     */
    public record Spec(String id, boolean model, boolean go, String meaning) {
    }

    private static final List<Spec> ALL = List.of(
            new Spec("none", true, true, "no defers: the same code without them"),
            new Spec("defer", true, true, "the defers, as Go's compiler compiles them (the model: the chosen strategy)"),
            new Spec("cpu_control", true, true, "no defers: spins, per defer, the extra CPU defer took (calibrated)"),
            new Spec("alloc_control", true, true, "no defers: allocates a record-sized object per defer, live until return"),
            new Spec("article_hypothesis", true, false, "HYPOTHETICAL (C9, not Go): deferproc requeues its G globally"),
            new Spec("defer_gcoff", false, true, "defer with the GC off for the run (debug.SetGCPercent(-1))"),
            new Spec("defer_primed", false, true, "defer_gcoff with the central defer pool filled before the run"));

    /** Every treatment, in report order. */
    public static List<Spec> all() {
        return ALL;
    }

    /** The model's treatment ids, in report order. */
    public static List<String> model() {
        return ALL.stream().filter(Spec::model).map(Spec::id).collect(Collectors.toUnmodifiableList());
    }

    /** realgo's treatment ids, in report order. */
    public static List<String> go() {
        return ALL.stream().filter(Spec::go).map(Spec::id).collect(Collectors.toUnmodifiableList());
    }
}
