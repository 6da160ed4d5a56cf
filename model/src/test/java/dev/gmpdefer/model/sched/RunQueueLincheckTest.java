package dev.gmpdefer.model.sched;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of the local run queue with Lincheck (model checking and stress), against a
 * sequential specification written from proc.go's description (Go 1.21), not from the model's code.
 *
 * <p>Owner operations (runqput, runqget, globrunqget, which also touches the global queue) form the
 * non-parallel group "owner": only one thread ever calls them, as only the owner P does in Go.
 * Steals run from the other threads, each into a fresh thief queue (the thief P), and report the Gs
 * they moved in the victim's order. The thieves' threads do nothing but steal: an earlier version
 * also let them call runqempty and read the global size, and that dilution let a deliberately broken
 * runqget (head moved by a plain store, not a CAS) pass model checking; stealing only, it is caught
 * in seconds. runqempty's concurrent contract is checked by
 * {@code RunQueueTest.runqemptyIsNeverSpuriouslyTrue} (Go's RunSchedLocalQueueEmptyTest) and, exhaustively
 * over the interleavings of one small scenario, by {@link RunqemptyRace}.
 * Capacity 4, so overflow to the global queue and wrap-around of the ring are reached in a few steps.
 *
 * <p>G identities come from a counter incremented by the owner's puts; since all puts run in one
 * thread, the specification assigns the same ids in every linearization.
 *
 * <p><b>Steals here never take runnext</b> ({@code stealRunNextG = false}): with it, runqgrab is not
 * linearizable, in Go as in the model. The thief sees an empty ring (head == tail), then the owner puts
 * one G in the ring and another in runnext, then the thief reads runnext and takes it although the
 * ring is no longer empty; no sequential order explains that (proc.go: runqgrab, Go 1.21, reads
 * {@code pp.runnext} after its {@code n == 0} check and never re-reads head and tail). The window is
 * benign (the thief simply takes a runnable G) and the model keeps it; {@link RunnextStealWindow}
 * pins it, so that a change to this behaviour is a deliberate one. Runnext steals are checked where the
 * window cannot open, by {@link RunnextSteals} (a ring that only shrinks, across the counter wrap; a
 * runqgrab that takes runnext with one G left in the ring fails it at once).
 */
public class RunQueueLincheckTest {
    static final int CAP = 4;

    private final GlobalRunQueue global = new GlobalRunQueue(CAP / 2);
    private final LocalRunQueue q = new LocalRunQueue(CAP, global, null, StealPause.NONE);
    private int nextId;

    /** runqput(gp, next) of a new G. Owner only. */
    @Operation(nonParallelGroup = "owner")
    public void put(boolean next) {
        q.runqput(new G(nextId++), next);
    }

    /** runqget: -1 when empty, else 2 * id + (inheritTime ? 1 : 0). Owner only. */
    @Operation(nonParallelGroup = "owner")
    public int get() {
        return encodedGet(q);
    }

    /** globrunqget(pp, 0) with GOMAXPROCS 1: the first G, the rest of the batch on the local tail. */
    @Operation(nonParallelGroup = "owner")
    public int globrunqget() {
        G g = global.get(q, 1, 0, CAP);
        return g == null ? -1 : g.index;
    }

    /** runqsteal into a fresh thief P: the moved Gs in the victim's order (the returned one last). */
    @Operation
    public List<Integer> steal() {
        return stealInto(q, false);
    }

    /** runqget as findRunnable calls it: -1 when empty, else 2 * id + (inheritTime ? 1 : 0). */
    static int encodedGet(LocalRunQueue q) {
        G g = q.runqgetRunnext();
        if (g != null) {
            return 2 * g.index + 1;
        }
        g = q.runqgetRing();
        return g == null ? -1 : 2 * g.index;
    }

    static List<Integer> stealInto(LocalRunQueue victim, boolean stealRunNextG) {
        LocalRunQueue thief = new LocalRunQueue(CAP, new GlobalRunQueue(CAP / 2), null, StealPause.NONE);
        G g = thief.runqsteal(victim.stealer(), stealRunNextG, StealObserver.NONE);
        List<Integer> out = new ArrayList<>();
        if (g == null) {
            return out;
        }
        for (G x; (x = thief.runqget()) != null; ) {
            out.add(x.index);
        }
        out.add(g.index);
        return out;
    }

    /** The sequential specification: a bounded FIFO ring, a runnext slot and an unbounded global FIFO. */
    public static class Spec {
        private final ArrayDeque<Integer> ring = new ArrayDeque<>();
        private final ArrayDeque<Integer> globalQ = new ArrayDeque<>();
        private Integer runnext;
        private int nextId;

        public void put(boolean next) {
            putG(nextId++, next);
        }

        private void putG(int id, boolean next) {
            if (next) {
                Integer old = runnext;
                runnext = id;
                if (old == null) {
                    return;
                }
                id = old; // the displaced runnext goes to the tail
            }
            if (ring.size() < CAP) {
                ring.addLast(id);
                return;
            }
            for (int i = 0; i < CAP / 2; i++) { // runqputslow: the oldest half, then the new G
                globalQ.addLast(ring.pollFirst());
            }
            globalQ.addLast(id);
        }

        public int get() {
            if (runnext != null) {
                int id = runnext;
                runnext = null;
                return 2 * id + 1;
            }
            Integer id = ring.pollFirst();
            return id == null ? -1 : 2 * id;
        }

        public int globrunqget() {
            int size = globalQ.size();
            int n = Math.min(Math.min(size / 1 + 1, size), CAP / 2);
            if (n == 0) {
                return -1;
            }
            int first = globalQ.pollFirst();
            for (int i = 1; i < n; i++) {
                putG(globalQ.pollFirst(), false);
            }
            return first;
        }

        public List<Integer> steal() {
            return steal(false);
        }

        List<Integer> steal(boolean stealRunNextG) {
            List<Integer> out = new ArrayList<>();
            int n = ring.size() - ring.size() / 2;
            if (n == 0) {
                if (stealRunNextG && runnext != null) {
                    out.add(runnext);
                    runnext = null;
                }
                return out;
            }
            for (int i = 0; i < n; i++) {
                out.add(ring.pollFirst());
            }
            return out;
        }
    }

    /**
     * The runnext steal, which Go allows only when the ring is empty, checked at a different moment
     * than the ring (see the class comment). Owner: put / get; thieves: steal with stealRunNextG.
     */
    public static class RunnextStealWindow {
        private final LocalRunQueue q = new LocalRunQueue(CAP, new GlobalRunQueue(CAP / 2), null, StealPause.NONE);
        private int nextId;

        @Operation(nonParallelGroup = "owner")
        public void put(boolean next) {
            q.runqput(new G(nextId++), next);
        }

        @Operation(nonParallelGroup = "owner")
        public int get() {
            return encodedGet(q);
        }

        @Operation
        public List<Integer> steal() {
            return stealInto(q, true);
        }
    }

    /** Sequential specification of {@link RunnextStealWindow}. */
    public static class RunnextSpec {
        private final Spec s = new Spec();

        public void put(boolean next) {
            s.put(next);
        }

        public int get() {
            return s.get();
        }

        public List<Integer> steal() {
            return s.steal(true);
        }
    }

    /**
     * Runnext steals, linearizable: the ring starts full (capacity 4, ids 0..3, its counters just
     * before the 2^32 wrap, so steals cross it) with G4 in runnext, and the owner never puts in the ring
     * again: its puts go to an empty runnext only ({@code putNextIfEmpty}), so nothing is kicked. The
     * ring then only shrinks, so once a thief has seen it empty it stays empty, Go's window (see the
     * class comment) cannot open, and every steal(stealRunNextG = true), ring half or runnext, must be
     * explained by a sequential order. Two thieves and the owner, four operations each.
     */
    public static class RunnextSteals {
        private final LocalRunQueue q = new LocalRunQueue(CAP, new GlobalRunQueue(CAP / 2), null, StealPause.NONE);
        private int nextId;

        public RunnextSteals() {
            q.resetCounters(-2); // the ring's slots and counters wrap during the scenario
            for (; nextId < CAP; nextId++) {
                q.runqput(new G(nextId), false);
            }
            q.runqput(new G(nextId++), true);
        }

        /** runqput(new G, next = true) when runnext is empty (no kick): its id, or -1. Owner only. */
        @Operation(nonParallelGroup = "owner")
        public int putNextIfEmpty() {
            if (q.stealer().peekRunnext() != null) { // a thief may empty it meanwhile: then this ran first
                return -1;
            }
            q.runqput(new G(nextId), true);
            return nextId++;
        }

        @Operation(nonParallelGroup = "owner")
        public int get() {
            return encodedGet(q);
        }

        @Operation
        public List<Integer> steal() {
            return stealInto(q, true);
        }
    }

    /** Sequential specification of {@link RunnextSteals}. */
    public static class RunnextStealsSpec {
        private final Spec s = new Spec();

        public RunnextStealsSpec() {
            for (int i = 0; i < CAP; i++) {
                s.put(false);
            }
            s.put(true);
        }

        public int putNextIfEmpty() {
            if (s.runnext != null) {
                return -1;
            }
            int id = s.nextId;
            s.put(true);
            return id;
        }

        public int get() {
            return s.get();
        }

        public List<Integer> steal() {
            return s.steal(true);
        }
    }

    /**
     * Go's runqempty race (proc.go: runqempty, Go 1.21: "Defend against a race where 1) pp has G1 in
     * runnext but runqhead == runqtail, 2) runqput on pp kicks G1 to the runq, 3) runqget on pp empties
     * runqnext"): the queue starts with G0 in runnext and an empty ring, and the owner's only operation,
     * rotate, puts a new G in runnext (kicking the old one to the ring) and takes it back, so the queue is
     * never empty. A runqempty that does not read the tail a second time can read head == tail before the
     * kick and runnext == null after the take, and answer true; model checking finds that interleaving.
     */
    public static class RunqemptyRace {
        private final LocalRunQueue q = new LocalRunQueue(CAP, new GlobalRunQueue(CAP / 2), null, StealPause.NONE);
        private int nextId = 1;

        public RunqemptyRace() {
            q.runqput(new G(0), true);
        }

        /** runqput(new G, next = true), then runqget: returns the new G's id. Owner only. */
        @Operation(nonParallelGroup = "owner")
        public int rotate() {
            q.runqput(new G(nextId++), true);
            G g = q.runqget();
            return g == null ? -1 : g.index;
        }

        /** runqempty, as any P calls it. */
        @Operation
        public boolean empty() {
            return q.runqempty();
        }
    }

    /** Sequential specification of {@link RunqemptyRace}: rotate returns the G it put; never empty. */
    public static class RunqemptySpec {
        private int nextId = 1;

        public int rotate() {
            return nextId++;
        }

        public boolean empty() {
            return false;
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void runqemptyIsLinearizableAcrossTheKick() {
        new ModelCheckingOptions()
                .sequentialSpecification(RunqemptySpec.class)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(0)
                .iterations(10)
                .invocationsPerIteration(1_000)
                .check(RunqemptyRace.class);
    }

    private static org.jetbrains.kotlinx.lincheck.Actor actor(String name, Object... args) throws Exception {
        java.lang.reflect.Method m = args.length == 0 ? RunnextStealWindow.class.getMethod(name)
                : RunnextStealWindow.class.getMethod(name, boolean.class);
        return new org.jetbrains.kotlinx.lincheck.Actor(m, List.of(args), false, false, false, false, false);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void runnextStealHasGosNonLinearizableWindow() throws Exception {
        // The window, exactly: the owner puts G0 in the ring and then G1 in runnext while a thief steals
        // with stealRunNextG. Sequentially the thief gets [] (before both), [0] (after the first: the
        // ring's G) or [0] (after both: the ring is not empty, so runnext is not stolen); never [1]. The
        // model, like Go's runqgrab, can give [1]: it saw head == tail before the first put and read
        // runnext after the second. Model checking must find exactly that result; if it ever does not, the
        // runnext steal no longer behaves as Go's.
        var scenario = new org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario(List.of(),
                List.of(List.of(actor("put", false), actor("put", true)), List.of(actor("steal"))), List.of(),
                null);
        org.jetbrains.lincheck.LincheckAssertionError e = org.junit.jupiter.api.Assertions.assertThrows(
                org.jetbrains.lincheck.LincheckAssertionError.class,
                () -> new ModelCheckingOptions()
                        .sequentialSpecification(RunnextSpec.class)
                        .addCustomScenario(scenario)
                        .iterations(0)
                        .invocationsPerIteration(2_000)
                        .minimizeFailedScenario(false)
                        .check(RunnextStealWindow.class));
        String msg = e.getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("steal(): [1]"), "the thief took runnext G1: " + msg);
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("put(false)") && msg.contains("put(true)"), msg);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void runnextStealsAreLinearizableWhileTheRingOnlyShrinks() {
        new ModelCheckingOptions()
                .sequentialSpecification(RunnextStealsSpec.class)
                .threads(3)
                .actorsPerThread(4)
                .actorsBefore(0)
                .actorsAfter(1)
                .iterations(20)
                .invocationsPerIteration(500)
                .check(RunnextSteals.class);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void modelChecking() {
        new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(4)
                .actorsAfter(2)
                .iterations(16)
                .invocationsPerIteration(500)
                .check(RunQueueLincheckTest.class);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stress() {
        new StressOptions()
                .sequentialSpecification(Spec.class)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(4)
                .actorsAfter(2)
                .iterations(30)
                .invocationsPerIteration(1_000)
                .check(RunQueueLincheckTest.class);
    }
}
