package dev.gmpdefer.model.defer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Several threads acting as Ms, each running one G that migrates between Ps: it takes an idle P, registers
 * defers, hands the P back, takes a (usually different) P and returns there, so records allocated on one
 * P are freed on another while other threads hit the same global pool. A P is held by one thread at a time
 * (the idle-P queue hands it over, like pidleget/pidleput); with -ea the pools assert it. At the end: every
 * deferred call ran exactly once, nothing is outstanding, and records are conserved across local pools and
 * the global list (counted by walking it under the lock).
 */
class DeferConcurrencyTest {
    static final int THREADS = 3;
    static final int PROCS = 4;
    static final int ROUNDS = 3000;

    @ParameterizedTest
    @EnumSource(DeferStrategy.class)
    void migratingGsConserveRecords(DeferStrategy s) throws Exception {
        try (DeferAllocator a = DeferAllocator.create(s, DeferLayout.GO122_48, PROCS, 1 << 16)) {
            BlockingQueue<Integer> idle = new ArrayBlockingQueue<>(PROCS);
            for (int i = 0; i < PROCS; i++) {
                idle.add(i);
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] sums = new long[THREADS];
            long[] expected = new long[THREADS];
            CountDownLatch start = new CountDownLatch(1);
            Thread[] ts = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                final int id = t;
                ts[t] = new Thread(() -> {
                    try {
                        start.await();
                        SplittableRandom rnd = new SplittableRandom(42 + id);
                        DeferChain c = a.newChain();
                        long[] sum = {0};
                        long[] last = {Long.MAX_VALUE};
                        DeferFn fn = arg -> {
                            // LIFO within a frame: arguments arrive strictly decreasing.
                            if (arg >= last[0]) {
                                throw new AssertionError("not LIFO: " + arg + " after " + last[0]);
                            }
                            last[0] = arg;
                            sum[0] += arg;
                        };
                        for (int round = 0; round < ROUNDS; round++) {
                            int n = s == DeferStrategy.OPEN_CODED ? 1 + rnd.nextInt(8) : 1 + rnd.nextInt(70);
                            FuncShape shape = s == DeferStrategy.GO_COMPILER
                                    ? (rnd.nextBoolean() ? FuncShape.loop() : FuncShape.straight(Math.min(n, 9), 1))
                                    : null;
                            if (shape != null && !shape.inLoop(0)) {
                                n = shape.numDefers();
                            }
                            int pid = idle.take();
                            long sp = c.enterFrame(shape);
                            for (int i = 0; i < n; i++) {
                                c.deferproc(pid, shape != null && shape.inLoop(0) ? 0 : i, fn, i + 1);
                                expected[id] += i + 1;
                            }
                            if (rnd.nextInt(4) != 0) { // migrate: park the P, run on whichever P comes next
                                idle.put(pid);
                                Thread.yield();
                                pid = idle.take();
                            }
                            last[0] = Long.MAX_VALUE;
                            assertEquals(n, c.deferreturn(pid, sp));
                            idle.put(pid);
                        }
                        assertTrue(c.isEmpty());
                        sums[id] = sum[0];
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "M" + t);
                ts[t].start();
            }
            start.countDown();
            for (Thread t : ts) {
                t.join(60_000);
                assertFalse(t.isAlive(), "thread stuck");
            }
            if (failure.get() != null) {
                throw new AssertionError("worker failed", failure.get());
            }
            assertArrayEquals(expected, sums, "every deferred call ran exactly once");
            assertEquals(0, a.outstanding());
            if (s == DeferStrategy.POOLED || s == DeferStrategy.OFFHEAP || s == DeferStrategy.GO_COMPILER) {
                DeferTestSupport.assertConserved(a);
                for (int p = 0; p < PROCS; p++) {
                    assertTrue(a.localPoolSize(p) <= 32);
                }
                assertEquals(a.globalSpills() * 16, a.globalSpillRecords());
                assertTrue(a.globalSpills() > 0 && a.globalRefills() > 0, "the global pool was exercised: " + a);
            }
        }
    }
}
