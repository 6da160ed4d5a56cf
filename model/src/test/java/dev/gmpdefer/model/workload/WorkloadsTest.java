package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.RunResult;
import dev.gmpdefer.model.sched.Sched;
import dev.gmpdefer.model.sched.SchedConfig;
import dev.gmpdefer.model.sched.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latency workloads complete under every treatment, and the treatments do what they claim. */
class WorkloadsTest {

    /** Defer ops that count registrations and runs per G (chain length in G.r0 is not touched). */
    static final class CountingOps implements DeferOps {
        final AtomicLong registered = new AtomicLong();
        final AtomicLong ran = new AtomicLong();
        final int emptyEvery;
        final AtomicLong calls = new AtomicLong();

        CountingOps(int emptyEvery) {
            this.emptyEvery = emptyEvery;
        }

        @Override
        public boolean register(G g, int pid, int n) {
            registered.addAndGet(n);
            return emptyEvery > 0 && calls.incrementAndGet() % emptyEvery == 0;
        }

        @Override
        public int run(G g, int pid, int max) {
            ran.addAndGet(max);
            return max;
        }
    }

    private static RunResult run(Workload w, int procs) {
        RunResult r = Sched.run(w, SchedConfig.builder().procs(procs).timeoutNs(60_000_000_000L).build());
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome, r.toString());
        return r;
    }

    @ParameterizedTest
    @EnumSource(Treatment.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyWorkloadCompletesUnderEveryTreatment(Treatment t) {
        CountingOps c = new CountingOps(t == Treatment.ARTICLE_HYPOTHESIS ? 3 : 0);
        TreatmentOps ops = t == Treatment.CPU_CONTROL ? CpuControl.steady(c, 4, 20_000_000).control()
                : new TreatmentOps(t, c);
        c.registered.set(0);
        c.ran.set(0);
        run(Workloads.articleGosched(200, 10, 4, ops), 2);
        run(Workloads.fanout(4, 50, 10, 4, ops), 2);
        run(Workloads.pingPongHog(2, 200, 1, 10_000, 4, ops), 2);
        run(Workloads.stealLatency(20, 10, 100, 4, ops), 2);
        run(Workloads.preemptLatency(2, 10, 1_000, 4, 5, 4, ops), 2);
        run(Workloads.deferStarvation(2_000, 10, 5, 1, ops), 2);
        if (t.registersDefers()) {
            assertTrue(c.registered.get() > 0);
            assertEquals(c.registered.get(), c.ran.get(), "every deferred call registered runs");
        } else {
            assertEquals(0, c.registered.get(), t + " registers no defers");
            assertEquals(0, c.ran.get());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void articleWorkloadRegistersLoopsTimesDensityDefersPerG() {
        CountingOps c = new CountingOps(0);
        RunResult r = run(Workloads.articleGosched(100, 100, 10, new TreatmentOps(Treatment.DEFER, c)), 2);
        assertEquals(100L * 100 * 10, c.registered.get());
        assertEquals(100L * 100, r.metrics.gosched);
        assertEquals(0, r.metrics.hypotheticalRequeues, "real defers never requeue");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hypotheticalTreatmentRequeuesOnTheGlobalQueueWhenThePoolIsEmpty() {
        CountingOps c = new CountingOps(5); // "local pool empty" on every 5th register call
        RunResult r = run(Workloads.articleGosched(100, 100, 1, new TreatmentOps(Treatment.ARTICLE_HYPOTHESIS, c)), 2);
        long calls = 100L * 100;
        assertEquals(calls / 5, r.metrics.hypotheticalRequeues);
        // every requeue is one more start, and it comes from the global queue, not runnext
        long starts = 101 + calls + r.metrics.hypotheticalRequeues + r.metrics.preemptions;
        assertEquals(starts, r.metrics.starts(), r.toString());
        assertTrue(r.metrics.startsGlobalBatch + r.metrics.startsGlobalFairness + r.metrics.startsRing
                + r.metrics.startsSteal >= calls + r.metrics.hypotheticalRequeues, r.toString());
        // the same with real defers: no requeue at all
        CountingOps d = new CountingOps(5);
        RunResult r2 = run(Workloads.articleGosched(100, 100, 1, new TreatmentOps(Treatment.DEFER, d)), 2);
        assertEquals(0, r2.metrics.hypotheticalRequeues);
    }

    @Test
    void controlsNeedDeferOpsAndTreatmentNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new TreatmentOps(Treatment.DEFER, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Treatment.parse("defr"));
        assertTrue(e.getMessage().contains("treatment") && e.getMessage().contains("cpu_control"), e.getMessage());
        assertEquals(Treatment.ARTICLE_HYPOTHESIS, Treatment.parse("article_hypothesis"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void allocControlKeepsRecordsLiveUntilTheFrameReturns() {
        TreatmentOps ops = new TreatmentOps(Treatment.ALLOC_CONTROL, null);
        G g = G.detached(0, 1);
        ops.register(g, 0, 10);
        int n = 0;
        for (TreatmentOps.Blob b = (TreatmentOps.Blob) g.aux; b != null; b = b.next) {
            n++;
        }
        assertEquals(10, n);
        assertEquals(10, ops.run(g, 0, 10, 100));
        assertEquals(null, g.aux);
    }

    /**
     * A safe point before each deferred call, the same for every treatment: with a preemption request
     * pending, runFrame runs exactly one of a frame's 16 deferred calls (or burns, or releases, one
     * call's share) and yields; without one it runs them all.
     */
    @ParameterizedTest
    @EnumSource(value = Treatment.class, names = {"NONE", "DEFER", "CPU_CONTROL", "ALLOC_CONTROL"})
    void everyTreatmentPollsBeforeEachDeferredCall(Treatment t) throws Exception {
        TreatmentOps ops = new TreatmentOps(t, new CountingOps(0));
        dev.gmpdefer.model.sched.Exec ex = (dev.gmpdefer.model.sched.Exec) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {dev.gmpdefer.model.sched.Exec.class},
                (proxy, m, args) -> m.getName().equals("pid") ? 0 : null);
        java.lang.reflect.Constructor<G> newG = G.class.getDeclaredConstructor(int.class);
        newG.setAccessible(true);
        G g = newG.newInstance(1);
        g.r3 = 16;
        java.lang.reflect.Field preempt = G.class.getDeclaredField("preempt");
        preempt.setAccessible(true);
        preempt.setBoolean(g, true); // sysmon asked (preemptone)
        assertEquals(false, Program.runFrame(g, ex, ops), t + ": yields at the next call's prologue");
        assertEquals(15, g.r3, t + ": exactly one deferred call ran before the safe point");
        preempt.setBoolean(g, false);
        assertTrue(Program.runFrame(g, ex, ops), t + ": no request, the frame completes");
        assertEquals(0, g.r3);
    }
}
