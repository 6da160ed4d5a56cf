package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

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
    void oneEffectRuleWithTheCpuMatch() {
        double[] ten = new double[10];
        double[] twenty = new double[10];
        for (int i = 0; i < 10; i++) {
            ten[i] = 10 + 0.1 * i;
            twenty[i] = 20 + 0.1 * i;
        }
        Stats.Ratio up = Stats.ratio(twenty, ten);
        assertEquals(EffectRule.Effect.UP, EffectRule.judge(up, true).effect());
        assertEquals(EffectRule.Effect.UP, EffectRule.judge(up, null).effect(), "CPU not recorded: not a mismatch");
        assertEquals(EffectRule.Effect.UNMATCHED, EffectRule.judge(up, false).effect());
        assertEquals(EffectRule.Effect.NONE, EffectRule.judge(Stats.ratio(ten, ten), true).effect());
        assertEquals(EffectRule.Effect.DOWN, EffectRule.judge(Stats.ratio(ten, twenty), true).effect());
        assertEquals(EffectRule.Effect.UNDECIDED, EffectRule.judge(Stats.ratio(new double[] {20, 21},
                new double[] {10, 11}), true).effect(), "too few runs");
        assertEquals(EffectRule.Effect.UNDECIDED, EffectRule.judge(null, true).effect(), "missing");
        assertFalse(EffectRule.Effect.UNMATCHED.decided());
        // the CPU match: the control's median CPU within [0.8, 1.25] of the treatment's
        assertEquals(Boolean.TRUE, VerdictRules.controlMatched(new Metric(100, 5, "ms"), new Metric(124, 5, "ms")));
        assertEquals(Boolean.FALSE, VerdictRules.controlMatched(new Metric(100, 5, "ms"), new Metric(126, 5, "ms")));
        assertEquals(Boolean.FALSE, VerdictRules.controlMatched(new Metric(100, 5, "ms"), new Metric(79, 5, "ms")));
        assertNull(VerdictRules.controlMatched(null, new Metric(79, 5, "ms")));
    }
}
