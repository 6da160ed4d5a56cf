package dev.gmpdefer.model.sched;

import dev.gmpdefer.model.metrics.PMetrics;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Conservation under concurrency (Tokio's loom-style tests, with real threads): one owner P does
 * runqput (next or not), runqget and globrunqget on a capacity-4 queue, so it spills to the global
 * queue constantly; 2-3 thieves runqsteal into their own capacity-4 queues (runnext too, through the
 * pause of a running victim) and take single Gs from the global queue. Every G pushed must be taken
 * exactly once. The counters start just below 2^32 so they wrap during the run.
 */
class RunQueueStressTest {

    @ParameterizedTest(name = "thieves={0} gs={1} pauseNs={2}")
    @CsvSource({"2, 300000, 0", "3, 200000, 200"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyGIsTakenExactlyOnce(int thieves, int n, long pauseNs) throws Exception {
        final int cap = 4;
        GlobalRunQueue global = new GlobalRunQueue(cap / 2);
        P victimP = new P(0, cap, global, new StealPause(pauseNs, StealPause.Mode.SPIN), new PMetrics(false));
        victimP.setStatus(P.RUNNING);
        LocalRunQueue victim = victimP.local();
        victim.resetCounters(0xFFFFFFF0 + 3);
        G[] gs = Gs.newGs(n);
        AtomicIntegerArray taken = new AtomicIntegerArray(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong stolenGs = new AtomicLong();
        AtomicLong runnextSteals = new AtomicLong();
        AtomicLong globalTakes = new AtomicLong();
        final boolean[] done = {false};
        final Object doneLock = new Object();

        Thread owner = new Thread(() -> {
            try {
                victim.bindOwner(Thread.currentThread());
                SplittableRandom rnd = new SplittableRandom(1);
                for (int i = 0; i < n; i++) {
                    victim.runqput(gs[i], rnd.nextInt(3) == 0);
                    int r = rnd.nextInt(8);
                    if (r < 3) {
                        take(taken, victim.runqget());
                    } else if (r == 3) {
                        // globrunqget with max = 0: the batch goes on this (possibly non-empty) ring
                        take(taken, global.get(victim, 2, 0, cap));
                    }
                    if ((i & 31) == 0) {
                        Thread.yield(); // on 2 cores, let the thieves interleave with a short ring
                    }
                }
                for (G g; (g = victim.runqget()) != null; ) {
                    take(taken, g);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                synchronized (doneLock) {
                    done[0] = true;
                }
            }
        }, "owner");

        Thread[] ts = new Thread[thieves];
        for (int k = 0; k < thieves; k++) {
            final int id = k + 1;
            ts[k] = new Thread(() -> {
                try {
                    LocalRunQueue mine = new LocalRunQueue(cap, global, null, StealPause.NONE);
                    mine.bindOwner(Thread.currentThread());
                    mine.resetCounters(-id * 5);
                    SplittableRandom rnd = new SplittableRandom(id * 31L);
                    StealObserver counts = (count, runnext) -> {
                        stolenGs.addAndGet(count);
                        if (runnext) {
                            runnextSteals.incrementAndGet();
                        }
                    };
                    for (;;) {
                        boolean finished;
                        synchronized (doneLock) {
                            finished = done[0];
                        }
                        G g = mine.runqsteal(victim.stealer(), rnd.nextBoolean(), counts);
                        if (g != null) {
                            take(taken, g);
                            for (G x; (x = mine.runqget()) != null; ) {
                                take(taken, x);
                            }
                        }
                        if (rnd.nextInt(16) == 0) {
                            G x = global.get(mine, 2, 1, cap); // fairness-style pick of one
                            if (x != null) {
                                globalTakes.incrementAndGet();
                                take(taken, x);
                            }
                        }
                        assertTrue(mine.runqempty(), "a thief drains what it stole before stealing again");
                        if (finished && g == null) {
                            return;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "thief-" + id);
        }
        for (Thread t : ts) {
            t.start();
        }
        owner.start();
        owner.join(50_000);
        for (Thread t : ts) {
            t.join(50_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("worker failed", failure.get());
        }
        assertTrue(!owner.isAlive(), "owner finished");
        // What is left: the victim is drained by its owner; the global queue by this thread.
        victim.bindOwner(Thread.currentThread()); // the P changes hands, as when an M drops it
        assertNull(victim.runqget());
        assertTrue(victim.runqempty());
        LocalRunQueue sink = new LocalRunQueue(cap, global, null, StealPause.NONE);
        for (G g; (g = global.get(sink, 1, 1, cap)) != null; ) {
            take(taken, g);
        }
        assertEquals(0, global.size());
        int missing = 0;
        for (int i = 0; i < n; i++) {
            int c = taken.get(i);
            if (c > 1) {
                fail("G " + i + " taken " + c + " times");
            }
            if (c == 0) {
                missing++;
            }
        }
        assertEquals(0, missing, "Gs lost");
        // The run must have exercised what it claims to (not a timing assertion: counts of events).
        assertTrue(stolenGs.get() > 0, "some steals happened");
        System.out.printf("stress thieves=%d n=%d: stolen %d Gs, runnext steals %d, global single takes %d%n",
                thieves, n, stolenGs.get(), runnextSteals.get(), globalTakes.get());
    }

    private static void take(AtomicIntegerArray taken, G g) {
        if (g == null) {
            return;
        }
        int c = taken.incrementAndGet(g.index);
        if (c != 1) {
            throw new AssertionError("G " + g.index + " taken twice");
        }
    }
}
