package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.RunResult;
import dev.gmpdefer.model.sched.Sched;
import dev.gmpdefer.model.sched.SchedConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU control burns about the CPU time the defer treatment spends in defer code. A deterministic
 * single-thread workload (register then run {@code density} defers, repeated) is timed under both;
 * the medians of several batches must agree within a factor 2 (a loose bound: this checks the
 * calibration's plumbing and units, not the machine's timing).
 */
class CpuControlCalibrationTest {

    private static double medianNsPerCall(TreatmentOps ops, int density) {
        G g = G.detached(0, 7);
        int calls = 5_000;
        double[] samples = new double[9];
        for (int s = 0; s < samples.length; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                ops.register(g, 0, density);
                int pending = density;
                while (pending > 0) {
                    pending -= ops.run(g, 0, pending, pending);
                }
            }
            samples[s] = (System.nanoTime() - t0) / (double) calls;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    @Test
    void controlCostMatchesTheDeferCostItWasCalibratedOn() {
        for (DeferStrategy s : new DeferStrategy[] {DeferStrategy.POOLED, DeferStrategy.HEAP}) {
            int density = 16;
            AllocatorDeferOps real = new AllocatorDeferOps(DeferAllocator.create(s, DeferLayout.GO122_48, 1),
                    FuncShape.loop());
            TreatmentOps defer = new TreatmentOps(Treatment.DEFER, real);
            TreatmentOps control = new TreatmentOps(Treatment.CPU_CONTROL,
                    new AllocatorDeferOps(DeferAllocator.create(s, DeferLayout.GO122_48, 1), FuncShape.loop()));
            for (int round = 0; round < 3; round++) { // let the JIT settle the defer paths first
                medianNsPerCall(defer, density);
            }
            double calibrated = control.calibrate(density, 300_000_000L);
            assertTrue(calibrated > 0, "calibration measured " + calibrated);
            double c = medianNsPerCall(control, density);
            double d = medianNsPerCall(defer, density);
            double ratio = c / d;
            assertTrue(ratio > 0.5 && ratio < 2.0, s + ": control " + c + " ns/call vs defer " + d
                    + " ns/call (calibrated " + calibrated + ")");
            defer.close();
            control.close();
        }
    }

    /**
     * In situ: the control burns, in a real run of the workload, about what the defers cost in that
     * same workload (timed where the calls happen), on one P so that the run is deterministic.
     */
    @Test
    void inSituControlMatchesTheDefersTimedInTheWorkload() {
        SchedConfig cfg = SchedConfig.builder().procs(1).build();
        double dReg = 0;
        double dRun = 0;
        double cReg = 0;
        double cRun = 0;
        for (int round = 0; round < 3; round++) { // warm-up rounds; keep the last
            TreatmentOps meas = TreatmentOps.measuring(new AllocatorDeferOps(
                    DeferAllocator.create(DeferStrategy.POOLED, DeferLayout.GO122_48, 1), FuncShape.loop()), 1);
            assertEquals(RunResult.Outcome.COMPLETED,
                    Sched.run(LatencyWorkloads.articleGosched(500, 20, 10, meas), cfg).outcome);
            dReg = meas.measuredNsPerRegister();
            dRun = meas.measuredNsPerRun();
            meas.close();
            TreatmentOps control = TreatmentOps.measuringControl(dReg, dRun, 1);
            assertEquals(RunResult.Outcome.COMPLETED,
                    Sched.run(LatencyWorkloads.articleGosched(500, 20, 10, control), cfg).outcome);
            cReg = control.measuredNsPerRegister();
            cRun = control.measuredNsPerRun();
        }
        assertTrue(dReg > 0 && dRun > 0, "defers were timed: " + dReg + ", " + dRun);
        double total = (cReg + cRun) / (dReg + dRun);
        assertTrue(total > 0.5 && total < 2.0, "control " + cReg + " + " + cRun + " ns vs defers " + dReg + " + "
                + dRun + " ns per defer");
    }
}
