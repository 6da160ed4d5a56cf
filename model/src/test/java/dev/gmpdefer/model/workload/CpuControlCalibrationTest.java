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

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU control's calibration: what is measured, in which units, and what the control burns. The
 * matching tests use a deterministic cost model ({@link FakeCost}: the clock advances by fixed ns per
 * defer registered or run and per spin unit burned), so that "the control costs what the defers cost,
 * within one spin unit per call" is checked exactly, on the real workload and the real arithmetic.
 * No assertion here depends on how fast this machine is: whether the control really burns as much
 * CPU as the defers cost is a measurement: every latency benchmark publishes the defers' in-situ cost
 * ({@code defer.cpu.ns}, {@code defer.cpu.total.ns}), the control's check ({@code control.check.ns},
 * {@code control.scale}) and the CPU time of each run's Ms ({@code m.cpu.ms}), and the report compares
 * them (see docs/report.md).
 */
class CpuControlCalibrationTest {

    /**
     * A deterministic clock: defer operations cost {@code regNs} / {@code runNs} per defer, a spin unit
     * costs {@code trueUnitNs}, while the spin calibration reports {@code reportedUnitNs} (as when a unit
     * timed in a tight loop costs more or less inside the workload).
     */
    static final class FakeCost implements CostClock {
        final AtomicLong now = new AtomicLong(1_000_000);
        final long trueUnitNs;
        final double reportedUnitNs;

        FakeCost(long trueUnitNs, double reportedUnitNs) {
            this.trueUnitNs = trueUnitNs;
            this.reportedUnitNs = reportedUnitNs;
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        /** Work that takes {@code ns}. */
        void work(long ns) {
            now.addAndGet(ns);
        }

        @Override
        public void burn(long seed, int units) {
            work(units * trueUnitNs);
        }

        @Override
        public double nanosPerUnit() {
            return reportedUnitNs;
        }

        @Override
        public double recalibrate() {
            return reportedUnitNs;
        }
    }

    /** Defer operations that cost fixed ns on the fake clock and complete what they are asked to. */
    static final class FakeDefers implements DeferOps {
        final FakeCost clock;
        final long regNs;
        final long runNs;

        FakeDefers(FakeCost clock, long regNs, long runNs) {
            this.clock = clock;
            this.regNs = regNs;
            this.runNs = runNs;
        }

        @Override
        public boolean register(G g, int pid, int n) {
            clock.work(n * regNs);
            return false;
        }

        @Override
        public int run(G g, int pid, int max) {
            clock.work(max * runNs);
            return max;
        }
    }

    /** Cost on the fake clock of one call: register {@code density} defers, then run them. */
    private static long costOfOneCall(TreatmentOps ops, FakeCost clock, int density) {
        G g = G.detached(0, 11);
        long t0 = clock.nanoTime();
        ops.register(g, 0, density);
        int pending = density;
        while (pending > 0) {
            pending -= ops.run(g, 0, pending, 16);
        }
        return clock.nanoTime() - t0;
    }

    @Test
    void staticCalibrationMakesTheControlCostWhatTheDefersCost() {
        for (int density : new int[] {1, 10, 16, 100}) {
            FakeCost clock = new FakeCost(4, 4.0);
            FakeDefers defers = new FakeDefers(clock, 30, 20);
            CpuControl.Steady steady = CpuControl.steady(defers, density, 1_000_000L, clock);
            double perCall = steady.nsPerCall(density);
            TreatmentOps control = TreatmentOps.cpuControl(steady.nsPerRegister(), steady.nsPerRun(), clock);
            assertEquals(density * 50.0, perCall, 1e-9, "measured ns per call");
            assertEquals(30.0, control.nsPerRegister(), 1e-9);
            assertEquals(20.0, control.nsPerRun(), 1e-9);
            TreatmentOps real = new TreatmentOps(Treatment.DEFER, defers, 0, clock);
            long d = costOfOneCall(real, clock, density);
            long c = costOfOneCall(control, clock, density);
            assertEquals(d, c, 2 * clock.trueUnitNs, "density " + density + ": control " + c + " ns vs defers "
                    + d + " ns per call (one spin unit of rounding per register and per run step)");
        }
    }

    /**
     * In situ, on the article's workload with one P: the defers timed where they happen give the rates,
     * a control whose spin unit costs twice what the spin calibration says burns twice too much in its
     * check run, and the correction factor brings it back to the defers' cost.
     */
    @Test
    void inSituCalibrationAndCorrectionMakeTheControlCostWhatTheDefersCost() {
        SchedConfig cfg = SchedConfig.builder().procs(1).build();
        FakeCost clock = new FakeCost(8, 4.0); // a unit really costs 8 ns, the calibration says 4
        FakeDefers defers = new FakeDefers(clock, 30, 20);
        TreatmentOps meas = TreatmentOps.measuring(defers, 1, clock);
        assertEquals(RunResult.Outcome.COMPLETED,
                Sched.run(Workloads.articleGosched(200, 10, 10, meas), cfg).outcome);
        assertEquals(30.0, meas.measuredNsPerRegister(), 1e-9);
        assertEquals(20.0, meas.measuredNsPerRun(), 1e-9);

        TreatmentOps check = TreatmentOps.measuringControl(30.0, 20.0, 1, clock);
        assertEquals(RunResult.Outcome.COMPLETED,
                Sched.run(Workloads.articleGosched(200, 10, 10, check), cfg).outcome);
        double burned = check.measuredNsPerRegister() + check.measuredNsPerRun();
        assertEquals(100.0, burned, 1.0, "the uncorrected control burns twice the defers' 50 ns per defer");

        TreatmentOps control = check.scaledControl(50.0 / burned); // the one correction, target / measured
        TreatmentOps real = new TreatmentOps(Treatment.DEFER, defers, 0, clock);
        long d = costOfOneCall(real, clock, 10);
        long c = costOfOneCall(control, clock, 10);
        assertEquals(d, c, 2 * clock.trueUnitNs, "corrected control " + c + " ns vs defers " + d + " ns per call");
    }

    @Test
    void measuringNeedsAtLeastOneP() {
        assertThrows(IllegalArgumentException.class, () -> TreatmentOps.measuringControl(1, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> TreatmentOps.measuring(ops(DeferStrategy.POOLED), 0));
    }

    private static AllocatorDeferOps ops(DeferStrategy s) {
        return new AllocatorDeferOps(DeferAllocator.create(s, DeferLayout.GO122_48, 1), FuncShape.loop());
    }

    @Test
    void staticCalibrationSetsRatesInNsAndUnitsThatAgree() {
        for (DeferStrategy s : new DeferStrategy[] {DeferStrategy.POOLED, DeferStrategy.HEAP}) {
            int density = 16;
            AllocatorDeferOps defers = ops(s);
            assertTrue(Double.isNaN(new TreatmentOps(Treatment.CPU_CONTROL, defers).nsPerRegister()),
                    "no rate before calibration");
            CpuControl.Steady steady = CpuControl.steady(defers, density, 30_000_000L);
            double perCall = steady.nsPerCall(density);
            TreatmentOps control = steady.control();
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
            defers.close();
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
        AllocatorDeferOps defers = ops(DeferStrategy.POOLED);
        TreatmentOps control = CpuControl.steady(defers, 4, 10_000_000L).control();
        defers.close();
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
                Sched.run(Workloads.articleGosched(goroutines, loops, density, meas), cfg).outcome);
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
                Sched.run(Workloads.articleGosched(goroutines, loops, density, control), cfg).outcome);
        assertEquals(expected, control.measuredRegisters(), "the control stands in for every defer");
        assertEquals(expected, control.measuredRuns());
        control.resetMeasurement();
        assertEquals(0, control.measuredRegisters());
        assertTrue(Double.isNaN(control.measuredNsPerRegister()), "nothing timed after a reset");
    }

    /** A rate below one spin unit per call still burns its rate over many calls (issue 19: it rounded to 0). */
    @Test
    void fractionalUnitsAreCarriedNotRoundedAway() {
        FakeCost clock = new FakeCost(10, 10.0); // a unit costs 10 ns, and the calibration says so
        TreatmentOps c = TreatmentOps.cpuControl(3.0, 4.0, clock); // 0.3 and 0.4 units per defer
        G g = G.detached(0, 1);
        long t0 = clock.nanoTime();
        for (int i = 0; i < 100; i++) {
            c.register(g, 0, 1);
            c.run(g, 0, 1, 1);
        }
        assertEquals(700, clock.nanoTime() - t0, 20, "100 x (3 + 4) ns, within a unit per side");
    }

    /** The correction is reported as measured; outside [0.5, 2] the control may not be used (no clamp). */
    @Test
    void theCorrectionIsInRangeOnlyBetweenHalfAndTwice() {
        double[][] cases = {{0.49, 0}, {0.5, 1}, {1.0, 1}, {2.0, 1}, {2.01, 0}, {10, 0},
                {Double.POSITIVE_INFINITY, 0}};
        for (double[] k : cases) {
            CpuControl.Matched m = new CpuControl.Matched(100, 10, 50, k[0], CpuControl.Source.WHOLE_RUNS, null);
            assertEquals(k[1] == 1, m.scaleInRange(), "scale " + k[0]);
        }
    }
}
