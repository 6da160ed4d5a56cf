package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GC section's rule: agreement of the decided directions, and the pace comparison. */
class GcViewTest {
    private static final class E {
        static final EffectRule.Effect NONE = EffectRule.Effect.NONE;
        static final EffectRule.Effect UP = EffectRule.Effect.UP;
        static final EffectRule.Effect UNDECIDED = EffectRule.Effect.UNDECIDED;
        static final EffectRule.Effect DOWN = EffectRule.Effect.DOWN;
    }

    @Test
    void agreementFollowsTheDecidedDirections() {
        assertTrue(GcView.verdict(E.NONE, E.UP, E.NONE).startsWith("**Disagree**"), "model tail, no Go tail");
        assertTrue(GcView.verdict(E.NONE, E.UP, E.NONE).contains("comes with the GC cycles"), "absent with the GC off");
        assertTrue(GcView.verdict(E.UP, E.UP, E.UP).startsWith("**Agree**"));
        assertTrue(GcView.verdict(E.UP, E.UP, E.UP).contains("not only the GC"));
        assertTrue(GcView.verdict(E.NONE, E.NONE, E.NONE).startsWith("**Agree**"));
        assertTrue(GcView.verdict(E.NONE, E.NONE, E.UP).contains("not reproduced by the model's GC"));
        assertTrue(GcView.verdict(E.NONE, E.UNDECIDED, E.UP).startsWith("**Undecided**"));
        assertTrue(GcView.verdict(E.NONE, E.UP, E.UNDECIDED).startsWith("**Undecided**: real Go's"));
        assertTrue(GcView.verdict(E.NONE, EffectRule.Effect.UNMATCHED, E.UP).contains("unmatched: decides nothing"),
                "an unmatched control decides nothing here either");
    }

    @Test
    void paceMatchesWithinTheStatedFactor() {
        String s = GcView.gcPace(new double[] {6, 18_000, 100, 90, 6, 20_000});
        assertTrue(s.contains("match") && s.contains("100 assists per run park"), s);
        assertTrue(GcView.gcPace(new double[] {100, 400_000, 0, 0, 6, 20_000}).contains("they differ"));
        assertTrue(GcView.gcPace(new double[] {Double.NaN, 0, 0, 0, 6, 20_000}).isEmpty());
    }
}
