package dev.gmpdefer.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GC section's rule: agreement of the decided directions, and the pace comparison. */
class GcViewTest {
    @Test
    void agreementFollowsTheDecidedDirections() {
        assertTrue(GcView.verdict("none", "up", "none").startsWith("**Disagree**"), "model tail, no Go tail");
        assertTrue(GcView.verdict("none", "up", "none").contains("comes with the GC cycles"), "absent with the GC off");
        assertTrue(GcView.verdict("up", "up", "up").startsWith("**Agree**"));
        assertTrue(GcView.verdict("up", "up", "up").contains("not only the GC"));
        assertTrue(GcView.verdict("none", "none", "none").startsWith("**Agree**"));
        assertTrue(GcView.verdict("none", "none", "up").contains("not reproduced by the model's GC"));
        assertTrue(GcView.verdict("none", "?", "up").startsWith("**Undecided**"));
        assertTrue(GcView.verdict("none", "up", "?").startsWith("**Undecided**: real Go's"));
    }

    @Test
    void paceMatchesWithinTheStatedFactor() {
        String s = GcView.gcPace(new double[] {6, 18_000, 100, 90, 6, 20_000});
        assertTrue(s.contains("match") && s.contains("100 assists per run park"), s);
        assertTrue(GcView.gcPace(new double[] {100, 400_000, 0, 0, 6, 20_000}).contains("they differ"));
        assertTrue(GcView.gcPace(new double[] {Double.NaN, 0, 0, 0, 6, 20_000}).isEmpty());
    }
}
