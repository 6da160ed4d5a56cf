package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 19's rules as the report applies them: the control's match, the warm-up trend, agreement. */
class FairnessTest {

    private static Metric cpu(double... forks) {
        return new Metric(forks[0], Double.NaN, "ms", forks);
    }

    @Test
    void theControlMatchesOnlyWithinPointEightAndOnePointTwoFive() {
        Metric defer = cpu(100, 100, 100);
        assertTrue(VerdictRules.controlMatched(defer, cpu(80, 80, 80)));
        assertTrue(VerdictRules.controlMatched(defer, cpu(125, 125, 125)));
        assertFalse(VerdictRules.controlMatched(defer, cpu(79, 79, 79)));
        assertFalse(VerdictRules.controlMatched(defer, cpu(126, 126, 126)));
        assertFalse(VerdictRules.controlMatched(defer, cpu(63, 64, 65)), "DeferStarvation procs 1's 0.63x");
        assertNull(VerdictRules.controlMatched(defer, null), "not recorded");
        // the median of the forks decides, not one fork
        assertTrue(VerdictRules.controlMatched(defer, cpu(300, 100, 100)));
    }

    @Test
    void anUnmatchedModelCellNeverAgreesOrDisagrees() {
        assertEquals(EffectRule.Agreement.UNDECIDED, EffectRule.agreement(EffectRule.Effect.UNMATCHED,
                EffectRule.Effect.UP));
        assertEquals(EffectRule.Agreement.UNDECIDED, EffectRule.agreement(EffectRule.Effect.UNMATCHED,
                EffectRule.Effect.NONE));
        assertEquals(EffectRule.Agreement.UNDECIDED, EffectRule.agreement(EffectRule.Effect.UNDECIDED,
                EffectRule.Effect.UP));
        assertEquals(EffectRule.Agreement.AGREE, EffectRule.agreement(EffectRule.Effect.UP, EffectRule.Effect.UP));
        assertEquals(EffectRule.Agreement.DISAGREE, EffectRule.agreement(EffectRule.Effect.NONE,
                EffectRule.Effect.UP));
    }

    @Test
    void theWorstTrendIsTheForkFurthestFromOne() {
        Metric m = new Metric(1, Double.NaN, "ms", new double[] {1, 1, 1}, new double[] {1.05, 0.80, 1.2});
        JmhEntry e = entry(m);
        assertEquals(0.80, Fairness.worstTrend(e), 1e-12, "0.80 is further from 1 than 1.2 (by ratio)");
        assertEquals(1.05, Fairness.medianTrend(e), 1e-12, "the median over forks");
        assertTrue(Double.isNaN(Fairness.worstTrend(entry(cpu(1)))), "no trend recorded");
    }

    private static JmhEntry entry(Metric cpu) {
        java.util.SortedMap<String, Metric> sec = new java.util.TreeMap<>();
        sec.put(Cells.CPU, cpu);
        return new JmhEntry(null, "x.json", "dev.gmpdefer.bench.latency.FanoutBench.run", "ss",
                new java.util.TreeMap<>(java.util.Map.of("treatment", "defer")), cpu, sec, "17", "vm");
    }
}
