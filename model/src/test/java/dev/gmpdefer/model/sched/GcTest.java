package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.defer.DeferAllocator;
import dev.gmpdefer.model.defer.DeferLayout;
import dev.gmpdefer.model.defer.DeferStrategy;
import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.workload.AllocatorDeferOps;
import dev.gmpdefer.model.workload.Treatment;
import dev.gmpdefer.model.workload.TreatmentOps;
import dev.gmpdefer.model.workload.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GC model with the scheduler: every G conserved through stop-the-world phases, mark workers and
 * assist parking; clearpools once per cycle with the world stopped; a G that allocates during mark pays
 * or parks; GOGC=off as before (no cycle).
 */
class GcTest {
    private static TreatmentOps ops(Treatment t) {
        return t == Treatment.NONE || t == Treatment.ALLOC_CONTROL ? new TreatmentOps(t, null)
                : new TreatmentOps(t, new AllocatorDeferOps(
                        DeferAllocator.create(DeferStrategy.POOLED, DeferLayout.GO122_48, 2), FuncShape.loop()));
    }

    /** The article's program, 2,000 Gs x 20 loops x 10 defers: 400,000 records, about 19 MB at the peak. */
    private static RunResult article(Treatment t, int gogc) {
        TreatmentOps ops = ops(t);
        try {
            return Sched.run(Workloads.articleGosched(2_000, 20, 10, ops),
                    SchedConfig.builder().procs(2).gogc(gogc).build());
        } finally {
            ops.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Treatment.class, names = {"NONE", "DEFER", "ALLOC_CONTROL"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyGIsConservedWithTheGcOn(Treatment t) {
        RunResult r = article(t, 100);
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome, r.toString());
        assertEquals(2_001, r.created);
        assertEquals(2_001, r.exited, "no G lost");
        assertEquals(2_000L * 20, r.metrics.gosched, "every Gosched ran once");
        // every start is a first start, a start after Gosched, after a preemption, or an assist that ran on
        assertTrue(r.metrics.starts() >= 2_001 + 2_000L * 20 + r.metrics.preemptions, r.toString());
        if (t != Treatment.NONE) {
            assertTrue(r.metrics.gcCycles > 0, t + ": the heap grows past the 4 MB minimum: " + r.metrics.gcCycles);
            assertTrue(r.metrics.gcStwNanos > 0 && r.metrics.gcMarkWorkerNanos + r.metrics.gcAssistNanos > 0);
        }
        assertTrue(r.metrics.heapLivePeakBytes > 0);
    }

    /**
     * Every wait of a run with GC cycles is split by cause (WaitCauses): the causes add up to the summed
     * waits (the latency histogram's total, to its 1 % resolution), the cycles show as stop-the-world and
     * mark-worker time, and the model makes no system calls.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyWaitIsSplitByCause() {
        RunResult r = article(Treatment.DEFER, 100);
        var m = r.metrics;
        assertTrue(m.gcCycles > 0);
        assertEquals(m.schedLatency.getTotalCount(), m.waitsDecomposed, "one wait per recorded start");
        double sum = 0;
        double tail = 0;
        for (dev.gmpdefer.model.metrics.WaitCause c : dev.gmpdefer.model.metrics.WaitCause.ALL) {
            sum += m.waitCauseNs[c.ordinal()];
            tail += m.waitTailCauseNs[c.ordinal()];
        }
        double hist = m.schedLatency.getMean() * m.schedLatency.getTotalCount();
        assertEquals(hist, sum, 0.02 * hist, "causes add up to the waits");
        assertTrue(tail > 0 && tail < sum);
        assertTrue(m.tailWaitsDecomposed > 0 && m.tailWaitsDecomposed <= m.waitsDecomposed / 20 + 1);
        assertTrue(m.waitCauseNs[dev.gmpdefer.model.metrics.WaitCause.STW.ordinal()] > 0, "stw");
        assertTrue(m.waitCauseNs[dev.gmpdefer.model.metrics.WaitCause.RUNNING.ordinal()] > 0, "running");
        assertEquals(0, m.waitCauseNs[dev.gmpdefer.model.metrics.WaitCause.SYSCALL.ordinal()]);
        assertTrue(m.toScalars().containsKey("wait.tail.cause.gc_worker.us"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void gogcOffRunsNoCycleAndSchedulesAsBefore() {
        RunResult r = article(Treatment.DEFER, -1);
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome);
        assertEquals(0, r.metrics.gcCycles);
        assertEquals(0, r.metrics.gcStwNanos);
        assertEquals(0, r.metrics.gcAssistParks);
        assertTrue(r.metrics.heapLivePeakBytes > 10L << 20, "the heap is still counted: " + r.metrics.heapLivePeakBytes);
        // the same shape as without a GC: first starts + one start per Gosched + one per preemption
        assertEquals(2_001 + 2_000L * 20 + r.metrics.preemptions, r.metrics.starts());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void clearpoolsRunsOncePerCycle() {
        TreatmentOps ops = ops(Treatment.DEFER);
        Workload inner = Workloads.articleGosched(2_000, 20, 10, ops);
        AtomicInteger calls = new AtomicInteger();
        Workload w = new Workload() {
            @Override
            public String name() {
                return "article+clearpools";
            }

            @Override
            public void start(Spawner sp) {
                inner.start(sp);
            }

            @Override
            public long clearpools() {
                calls.incrementAndGet();
                return inner.clearpools();
            }

            @Override
            public void beforeRun() {
                inner.beforeRun();
            }
        };
        SchedConfig cfg = SchedConfig.builder().procs(2).gogc(100).build();
        RunResult r = Sched.run(w, cfg);
        ops.close();
        assertEquals(RunResult.Outcome.COMPLETED, r.outcome);
        assertTrue(r.metrics.gcCycles > 0);
        // one per cycle, and one more when a cycle began before the run ended and did not finish (the forced
        // collection realgo's runs start with is the workload's beforeRun, before the run)
        long extra = calls.get() - r.metrics.gcCycles;
        assertTrue(extra == 0 || extra == 1, calls.get() + " clearpools for " + r.metrics.gcCycles + " cycles");
    }

    @Test
    void anAllocatingGPaysWhileThereIsWorkAndParksWhenThereIsNone() {
        Sched s = Sched.forTest(SchedConfig.builder().procs(2).gogc(100).sysmon(false).build());
        P p0 = s.allp[0];
        G g = new G(7);
        Sched.initG(p0, g, (gg, ex) -> GBody.EXIT, 0, null, System.nanoTime());
        g.casStatus(GStatus.RUNNABLE, GStatus.RUNNING);
        s.gc.beginMarkForTest(8L << 20); // 8 MB to mark, 4 MB of runway: 2 bytes of scan work per byte

        g.mallocgc(0, 64 << 10);
        assertTrue(p0.metrics.gcAssistNanos > 0, "the G did mark work on its own time");
        assertFalse(g.gcAssistParkPending);
        assertTrue(g.gcAssistBytes >= 0, "its debt is paid: " + g.gcAssistBytes);

        s.gc.claimAllForTest(); // the workers took everything that is left
        g.mallocgc(0, 1 << 20);
        assertTrue(g.gcAssistParkPending, "in debt with no work to take: it must park");
        assertTrue(s.gc.parkAssist(g, p0));
        assertEquals(GStatus.WAITING, g.status());
        assertEquals(1, s.gc.assistQueueSizeForTest());
        assertEquals(1, p0.metrics.gcAssistParks);

        // a worker on P1 finishes scan work: its credit readies the assist on P1's queue (not runnext)
        P p1 = s.allp[1];
        s.gc.scanDoneForTest(64L << 20, p1);
        assertEquals(0, s.gc.assistQueueSizeForTest());
        assertEquals(GStatus.RUNNABLE, g.status());
        assertSame(g, p1.local().runqgetRing(), "gcFlushBgCredit readies it with runqput(next = false)");
    }

    @Test
    void theDefaultIsOffAndTheKnobIsChecked() {
        assertEquals(-1, SchedConfig.defaults().gogc);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SchedConfig.builder().gogc(-2));
        assertTrue(e.getMessage().contains("gogc"), e.getMessage());
        assertNotNull(SchedConfig.builder().gogc(0).build());
    }

    /** The same program as {@link #article} with the given allocator and write-barrier rates. */
    private static RunResult articleWith(Treatment t, int gogc, SchedConfig.HeapCosts costs) {
        TreatmentOps ops = ops(t);
        try {
            return Sched.run(Workloads.articleGosched(2_000, 20, 10, ops),
                    SchedConfig.builder().procs(2).gogc(gogc).heapCosts(costs).build());
        } finally {
            ops.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mallocgcIsChargedPerRecordWhateverGogcAndBarriersOnlyWhileMarking() {
        RunResult off = articleWith(Treatment.DEFER, -1, SchedConfig.GO_HEAP_COSTS);
        assertTrue(off.metrics.mallocNanos > 0, "mallocgc's CPU with the GC off: " + off.metrics.mallocNanos);
        assertEquals(0, off.metrics.writeBarriers, "no barrier without a cycle");
        RunResult on = articleWith(Treatment.DEFER, 100, SchedConfig.GO_HEAP_COSTS);
        assertTrue(on.metrics.gcCycles > 0);
        assertTrue(on.metrics.mallocNanos > 0);
        assertTrue(on.metrics.writeBarriers > 0, "deferproc's and popDefer's stores during mark");
        assertTrue(on.metrics.writeBarriers <= 400_000L * (3 + 2 + 5), "at most 10 barriers per record: "
                + on.metrics.writeBarriers);
        RunResult none = articleWith(Treatment.DEFER, 100, SchedConfig.HeapCosts.NONE);
        assertEquals(0, none.metrics.mallocNanos, "HeapCosts.NONE charges nothing");
        assertEquals(0, none.metrics.writeBarrierNanos);
        RunResult nodefer = articleWith(Treatment.NONE, 100, SchedConfig.GO_HEAP_COSTS);
        assertEquals(0, nodefer.metrics.writeBarriers, "no defers, no barriers of theirs");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRunStartsAfterAForcedCollectionSoItsRecordsAreAllocatedAgainWithTheGcOff() {
        TreatmentOps ops = ops(Treatment.DEFER);
        try {
            SchedConfig cfg = SchedConfig.builder().procs(2).gogc(-1).build();
            RunResult first = Sched.run(Workloads.articleGosched(2_000, 20, 10, ops), cfg);
            RunResult second = Sched.run(Workloads.articleGosched(2_000, 20, 10, ops), cfg);
            // realgo's debug.FreeOSMemory before each run drops the central pool even with GOGC=off: the second
            // run allocates (and pays mallocgc for) its records again, from fresh spans
            assertTrue(second.metrics.mallocNanos > first.metrics.mallocNanos / 2,
                    first.metrics.mallocNanos + " then " + second.metrics.mallocNanos);
        } finally {
            ops.close();
        }
    }
}
