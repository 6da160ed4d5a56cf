package dev.gmpdefer.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictRulesTest {

    @Test
    void withinFactor() {
        assertTrue(VerdictRules.withinFactor(2.6, 1.3, 2.0));
        assertTrue(VerdictRules.withinFactor(0.65, 1.3, 2.0));
        assertFalse(VerdictRules.withinFactor(2.7, 1.3, 2.0));
        assertFalse(VerdictRules.withinFactor(0.6, 1.3, 2.0));
        assertFalse(VerdictRules.withinFactor(Double.NaN, 1.3, 2.0));
        assertFalse(VerdictRules.withinFactor(0, 1.3, 2.0));
    }

    @Test
    void exceedsNeedsNonOverlappingErrors() {
        assertTrue(VerdictRules.exceeds(new Metric(3.0, 0.4, "us"), new Metric(2.0, 0.5, "us")));
        assertFalse(VerdictRules.exceeds(new Metric(3.0, 0.5, "us"), new Metric(2.0, 0.5, "us")), "touching");
        assertFalse(VerdictRules.exceeds(new Metric(2.0, 0.1, "us"), new Metric(3.0, 0.1, "us")), "lower");
        assertFalse(VerdictRules.exceeds(null, new Metric(3.0, 0.1, "us")));
    }

    @Test
    void exceedsWithoutErrorsUsesTheMargin() {
        assertTrue(VerdictRules.exceeds(new Metric(1.11, Double.NaN, "us"), new Metric(1.0, 0.01, "us")));
        assertFalse(VerdictRules.exceeds(new Metric(1.09, Double.NaN, "us"), new Metric(1.0, 0.01, "us")));
    }

    @Test
    void rulesAreDescribedWithTheirNumbers() {
        String all = String.join("\n", VerdictRules.describe());
        assertTrue(all.contains("factor 2.0"));
        assertTrue(all.contains("factor 1.5"));
        assertTrue(all.contains("**no effect** only when the interval lies inside ±10 %"), all);
        assertTrue(all.contains("Holm-corrected"));
        assertTrue(all.contains("Evidence order: a check about Go is decided by real Go"));
    }

    @Test
    void verdictLabels() {
        assertEquals(Verdict.MECHANISM_ABSENT, Verdict.ofLabel("mechanism absent"));
        assertThrows(IllegalArgumentException.class, () -> Verdict.ofLabel("plausible"));
    }

    @Test
    void formatting() {
        assertEquals("1.30", Fmt.num(1.3));
        assertEquals("12.3", Fmt.num(12.34));
        assertEquals("1235", Fmt.num(1234.5));
        assertEquals("0.0215", Fmt.num(0.0215));
        assertEquals("n/a", Fmt.num(Double.NaN));
        assertEquals("1.50 (± n/a)", Fmt.withErr(1.5, Double.NaN));
        assertEquals("95.0 %", Fmt.pct(0.95));
    }

    @Test
    void units() {
        assertEquals(1500.0, new Metric(1.5, 0.1, "us/op").toNanos(), 1e-9);
        assertEquals(2e6, new Metric(2, 0, "ms/op").toNanos(), 1e-9);
        assertTrue(Double.isNaN(new Metric(2, 0, "ops/us").toNanos()));
    }

    @Test
    void cpuComparisonStandsOnlyWithAMatchedControl() {
        Metric d = new Metric(100, 5, "ms");
        // no effect: the control must not have burned much more than the defers
        assertEquals(Boolean.TRUE, VerdictRules.cpuComparisonStands(d, new Metric(120, 5, "ms"), false));
        assertEquals(Boolean.TRUE, VerdictRules.cpuComparisonStands(d, new Metric(50, 5, "ms"), false));
        assertEquals(Boolean.FALSE, VerdictRules.cpuComparisonStands(d, new Metric(130, 5, "ms"), false));
        // an effect: the control must not have burned much less than the defers
        assertEquals(Boolean.TRUE, VerdictRules.cpuComparisonStands(d, new Metric(300, 5, "ms"), true));
        assertEquals(Boolean.TRUE, VerdictRules.cpuComparisonStands(d, new Metric(81, 5, "ms"), true));
        assertEquals(Boolean.FALSE, VerdictRules.cpuComparisonStands(d, new Metric(79, 5, "ms"), true));
        // not recorded
        assertNull(VerdictRules.cpuComparisonStands(null, d, true));
        assertNull(VerdictRules.cpuComparisonStands(d, new Metric(Double.NaN, 0, "ms"), false));
    }
}
