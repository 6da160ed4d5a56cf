package dev.gmpdefer.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GC section's rule: agreement by the stated ratio threshold, and the pace comparison. */
class GcViewTest {
    @Test
    void agreementFollowsTheStatedThreshold() {
        assertTrue(GcView.verdict(1.0, 3.0, 1.03).startsWith("**Disagree**"), "model tail, no Go tail");
        assertTrue(GcView.verdict(1.0, 3.0, 1.03).contains("comes with the GC cycles"), "absent with the GC off");
        assertTrue(GcView.verdict(2.0, 3.0, 2.0).startsWith("**Agree**"));
        assertTrue(GcView.verdict(2.0, 3.0, 2.0).contains("not only the GC"));
        assertTrue(GcView.verdict(1.0, 1.1, 0.9).startsWith("**Agree**: the model shows no tail"));
        assertTrue(GcView.verdict(1.0, 1.1, 2.0).contains("not reproduced by the model's GC"));
        assertTrue(GcView.verdict(1.0, Double.NaN, 2.0).startsWith("Not comparable"));
    }

    @Test
    void paceMatchesWithinTheStatedFactor() {
        String s = GcView.gcPace(new double[] {6, 18_000, 100, 90, 6, 20_000});
        assertTrue(s.contains("match") && s.contains("100 assists per run park"), s);
        assertTrue(GcView.gcPace(new double[] {100, 400_000, 0, 0, 6, 20_000}).contains("they differ"));
        assertTrue(GcView.gcPace(new double[] {Double.NaN, 0, 0, 0, 6, 20_000}).isEmpty());
    }
}
