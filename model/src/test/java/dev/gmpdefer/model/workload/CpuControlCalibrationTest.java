package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.internal.Spin;
import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.RunResult;
import dev.gmpdefer.model.sched.Sched;
import dev.gmpdefer.model.sched.SchedConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU control's plumbing: what is measured, in which units, and what the control is told to burn.
 * No assertion here depends on how fast this machine is: whether the control really burns as much
 * CPU as the defers cost is a measurement: every latency benchmark publishes the defers' in-situ cost
 * ({@code defer.cpu.ns}), the control's check ({@code control.check.ns}, {@code control.scale}) and the
 * CPU time of each run's Ms ({@code m.cpu.ms}), and the report compares them (see docs/report.md).
 */
class CpuControlCalibrationTest {

    private static AllocatorDeferOps ops(DeferStrategy s) {
        return new AllocatorDeferOps(DeferAllocator.create(s, DeferLayout.GO122_48, 1), FuncShape.loop());
    }

    @Test
    void staticCalibrationSetsRatesInNsAndUnitsThatAgree() {
        for (DeferStrategy s : new DeferStrategy[] {DeferStrategy.POOLED, DeferStrategy.HEAP}) {
            int density = 16;
            TreatmentOps control = new TreatmentOps(Treatment.CPU_CONTROL, ops(s));
            assertTrue(Double.isNaN(control.nsPerRegister()), "no rate before calibration");
            double perCall = control.calibrate(density, 30_000_000L);
            double reg = control.nsPerRegister();
            double run = control.nsPerRun();
            assertTrue(Double.isFinite(reg) && reg >= 0 && Double.isFinite(run) && run >= 0, reg + ", " + run);
            assertTrue(perCall > 0, s + ": calibration measured " + perCall + " ns per call");
            // the per-call figure is density x (register + run), in the same ns
            assertEquals(perCall, density * (reg + run), perCall * 1e-9);
            // and the units burned are those ns divided by the measured cost of one spin unit
            double perUnit = Spin.nanosPerUnit();
            assertEquals(reg / perUnit, control.controlUnitsPerRegister(), 1e-9 * (1 + reg / perUnit));
            assertEquals(run / perUnit, control.controlUnitsPerRun(), 1e-9 * (1 + run / perUnit));
            control.close();
        }
    }

    @Test
    void controlRatesAreValidatedAndConvertedToSpinUnits() {
        TreatmentOps c = TreatmentOps.measuringControl(40.0, 10.0, 1);
        assertEquals(40.0, c.nsPerRegister());
        assertEquals(10.0, c.nsPerRun());
        double perUnit = Spin.nanosPerUnit(); // the value measuringControl recalibrated just now
        assertEquals(40.0 / perUnit, c.controlUnitsPerRegister(), 1e-9);
        assertEquals(10.0 / perUnit, c.controlUnitsPerRun(), 1e-9);
        assertEquals(4.0, c.controlUnitsPerRegister() / c.controlUnitsPerRun(), 1e-9);
        TreatmentOps zero = TreatmentOps.measuringControl(0, 0, 1);
        assertEquals(0.0, zero.controlUnitsPerRegister());
        for (double[] bad : new double[][] {{-1, 0}, {0, -1}, {Double.NaN, 0}, {0, Double.NaN}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.setControlRates(bad[0], bad[1]));
            assertTrue(e.getMessage().contains("control rates"), e.getMessage());
        }
    }

    @Test
    void aScaledControlBurnsThatMuchMoreInTheSameUnits() {
        TreatmentOps c = TreatmentOps.measuringControl(40.0, 10.0, 1);
        TreatmentOps twice = c.scaledControl(2.0);
        assertEquals(Treatment.CPU_CONTROL, twice.treatment());
        assertEquals(80.0, twice.nsPerRegister(), 1e-9);
        assertEquals(20.0, twice.nsPerRun(), 1e-9);
        assertEquals(2 * c.controlUnitsPerRegister(), twice.controlUnitsPerRegister(), 1e-9);
        assertEquals(2 * c.controlUnitsPerRun(), twice.controlUnitsPerRun(), 1e-9);
        assertEquals(0, twice.measuredRegisters(), "the scaled control is not timed");
        assertThrows(IllegalArgumentException.class, () -> c.scaledControl(0));
        assertThrows(IllegalArgumentException.class, () -> c.scaledControl(Double.NaN));
        assertThrows(IllegalStateException.class,
                () -> new TreatmentOps(Treatment.NONE, null).scaledControl(1.0));
    }

    @Test
    void theControlBurnsInsteadOfRegisteringAndCompletesEveryPendingCall() {
        TreatmentOps control = new TreatmentOps(Treatment.CPU_CONTROL, ops(DeferStrategy.POOLED));
        control.calibrate(4, 10_000_000L);
        G g = G.detached(0, 3);
        assertFalse(control.register(g, 0, 4), "the control never asks for a requeue");
        assertNull(g.defers, "the control registers no _defer record");
        assertEquals(3, control.run(g, 0, 4, 3), "run completes min(pending, max)");
        assertEquals(1, control.run(g, 0, 1, 16));
        control.close();
    }

    /**
     * In situ, on one P so that the run is deterministic: every defer the article workload registers
     * and runs is timed (none missed, none counted twice), the rates are per defer, and the control
     * built from them is told exactly those rates.
     */
    @Test
    void inSituMeasurementTimesEveryDeferOfTheWorkload() {
        SchedConfig cfg = SchedConfig.builder().procs(1).build();
        int goroutines = 500;
        int loops = 20;
        int density = 10;
        TreatmentOps meas = TreatmentOps.measuring(ops(DeferStrategy.POOLED), 1);
        assertEquals(RunResult.Outcome.COMPLETED,
                Sched.run(LatencyWorkloads.articleGosched(goroutines, loops, density, meas), cfg).outcome);
        long expected = (long) goroutines * loops * density;
        assertEquals(expected, meas.measuredRegisters(), "defers registered and timed");
        assertEquals(expected, meas.measuredRuns(), "deferred calls run and timed");
        double dReg = meas.measuredNsPerRegister();
        double dRun = meas.measuredNsPerRun();
        assertTrue(Double.isFinite(dReg) && dReg >= 0 && Double.isFinite(dRun) && dRun >= 0, dReg + ", " + dRun);
        meas.close();

        TreatmentOps control = TreatmentOps.measuringControl(dReg, dRun, 1);
        assertEquals(dReg, control.nsPerRegister());
        assertEquals(dRun, control.nsPerRun());
        assertEquals(RunResult.Outcome.COMPLETED,
                Sched.run(LatencyWorkloads.articleGosched(goroutines, loops, density, control), cfg).outcome);
        assertEquals(expected, control.measuredRegisters(), "the control stands in for every defer");
        assertEquals(expected, control.measuredRuns());
        control.resetMeasurement();
        assertEquals(0, control.measuredRegisters());
        assertTrue(Double.isNaN(control.measuredNsPerRegister()), "nothing timed after a reset");
    }
}
