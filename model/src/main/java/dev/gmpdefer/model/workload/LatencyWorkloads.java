package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.Exec;
import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.GBody;
import dev.gmpdefer.model.sched.Sema;
import dev.gmpdefer.model.sched.Workload;

/**
 * The workloads of the latency experiments (claims C1-C6, C9, C14, C16, C18), each a Go program
 * written as resumable G bodies. Every workload takes a {@link TreatmentOps}: where the Go program
 * has its {@code defer} statements, the body calls {@link TreatmentOps#register} and, at the return,
 * {@link TreatmentOps#run}; the treatment decides whether these are real defers, nothing, CPU burned
 * or bytes allocated.
 *
 * <p>Safe points: bodies poll the preempt flag at loop back-edges and function prologues, and
 * before each deferred call when running a frame's defers (each deferred call is a user function with
 * its own prologue check; reference item 17), the same places for every treatment ({@link #runFrame}).
 * The defer operations themselves never poll.
 */
public final class LatencyWorkloads {
    private LatencyWorkloads() {
    }

    /** A workload whose main G (on P 0) runs {@code main}. */
    static Workload withMain(String name, GBody main) {
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start(Spawner s) {
                s.spawn(0, main, 0, null, true);
            }
        };
    }

    /** A main that spawns {@code n} Gs running {@code child}, each with its index in r0. */
    static GBody spawnN(int n, GBody child) {
        return (g, ex) -> {
            while (g.r2 < n) {
                ex.newproc(child, g.r2);
                g.r2++;
                if (g.laPreempt()) {
                    return GBody.PREEMPTED;
                }
            }
            return GBody.EXIT;
        };
    }

    /**
     * The defer statements of a call: registers {@code n} defers, records them as the frame's pending
     * calls (r1) and moves to step {@code nextPc}.
     *
     * @return true only under the hypothetical treatment, when the G must be requeued globally (C9)
     */
    static boolean enterCall(G g, Exec ex, TreatmentOps ops, int n, int nextPc) {
        boolean requeue = ops.register(g, ex.pid(), n);
        g.r1 = n;
        g.pc = nextPc;
        return requeue;
    }

    /**
     * Runs the pending deferred calls of a frame (r1 counts them) one at a time, with a safe point before
     * each next call: every deferred call is a Go function whose prologue compares the stack pointer with
     * g.stackguard0, which preemptone sets to stackPreempt, so a pending request is honoured there
     * (stack.go: newstack -> gopreempt_m). Every treatment goes through here, so the controls poll at
     * exactly the same places as the defers (the CPU control burns one deferred call's share per call).
     * Where the strategy runs a whole frame at once (open-coded defers run by one unrolled exit), the
     * calls of that frame have no poll between them. Returns true when all ran, false when the G must
     * yield (preempted) first.
     */
    static boolean runFrame(G g, Exec ex, TreatmentOps ops) {
        while (g.r1 > 0) {
            int done = ops.run(g, ex.pid(), (int) g.r1, 1);
            if (done <= 0) {
                throw new IllegalStateException("runFrame: " + g.r1 + " deferred calls pending but none ran");
            }
            g.r1 = Math.max(0, g.r1 - done); // a deferreturn may run the whole frame at once
            if (g.r1 > 0 && g.laPreempt()) { // the next deferred call's prologue
                return false;
            }
        }
        return true;
    }

    // ---- ArticleGoschedBench (C1-C6) ----

    /**
     * The article's program (C1): {@code goroutines} Gs each call a function that loops {@code loops}
     * times; each iteration executes {@code density} {@code defer func(){}()} statements and then
     * {@code runtime.Gosched()}. The deferred calls pile up (up to loops x density) and run when the
     * function returns. Gosched puts the G on the global queue tail (proc.go: goschedImpl).
     * <pre>
     * func worker() { for i := 0; i &lt; 100; i++ { defer func(){}() /* x density *&#47;; runtime.Gosched() } }
     * </pre>
     */
    public static Workload articleGosched(int goroutines, int loops, int density, TreatmentOps ops) {
        GBody worker = (g, ex) -> {
            for (;;) {
                switch (g.pc) {
                    case 0: // loop head: the call of Gosched / the back-edge is a safe point
                        if (g.laPreempt()) {
                            return GBody.PREEMPTED;
                        }
                        if (g.r2 == loops) {
                            g.pc = 2;
                            continue;
                        }
                        boolean requeue = ops.register(g, ex.pid(), density);
                        g.r1 += density;
                        g.r2++;
                        g.pc = 1;
                        if (requeue) {
                            return GBody.HYPOTHETICAL_DEFER_REQUEUE;
                        }
                        continue;
                    case 1:
                        g.pc = 0;
                        return GBody.GOSCHED;
                    case 2:
                        if (!runFrame(g, ex, ops)) {
                            return GBody.PREEMPTED;
                        }
                        return GBody.EXIT;
                    default:
                        throw new IllegalStateException("articleGosched: pc " + g.pc);
                }
            }
        };
        return withMain("articleGosched", spawnN(goroutines, worker));
    }

    // ---- FanoutBench ----

    /**
     * Fan-out: {@code producers} Gs each spawn {@code children} children (newproc: runnext, the
     * displaced one to the tail, wakep); a child calls a function with {@code density} defers around
     * {@code childUnits} of work and exits.
     */
    public static Workload fanout(int producers, int children, int childUnits, int density, TreatmentOps ops) {
        GBody child = (g, ex) -> {
            for (;;) {
                switch (g.pc) {
                    case 0: {
                        if (enterCall(g, ex, ops, density, 1)) {
                            return GBody.HYPOTHETICAL_DEFER_REQUEUE;
                        }
                        continue;
                    }
                    case 1:
                        dev.gmpdefer.model.internal.Spin.work(g.goid(), childUnits);
                        g.pc = 2;
                        continue;
                    case 2:
                        if (!runFrame(g, ex, ops)) {
                            return GBody.PREEMPTED;
                        }
                        return GBody.EXIT;
                    default:
                        throw new IllegalStateException("fanout child: pc " + g.pc);
                }
            }
        };
        GBody producer = spawnN(children, child);
        return withMain("fanout", spawnN(producers, producer));
    }

    // ---- PingPongHogBench ----

    /**
     * Go's BenchmarkPingPongHog with defers: {@code pairs} ping-pong pairs hand a token back and forth
     * {@code rounds} times (ready -> runnext, inheritTime); before each hand-off the G calls a function
     * with {@code density} defers. {@code hogs} CPU hogs run {@code hogUnits} of work each, without
     * defers, polling for preemption.
     */
    public static Workload pingPongHog(int pairs, int rounds, int hogs, int hogUnits, int density, TreatmentOps ops) {
        // peer: Sema[]{mine, other}; r2 = rounds done; r0 = 0 for ping (releases first), 1 for pong
        GBody player = (g, ex) -> {
            Sema[] s = (Sema[]) g.peer;
            for (;;) {
                switch (g.pc) {
                    case 0: // loop head
                        if (g.r2 == rounds) {
                            return GBody.EXIT;
                        }
                        if (g.laPreempt()) {
                            return GBody.PREEMPTED;
                        }
                        if (g.r0 == 1) { // pong waits first
                            g.pc = 3;
                            if (!ex.trySemacquire(s[0])) {
                                return ex.park(s[0]);
                            }
                            continue;
                        }
                        g.pc = 1;
                        continue;
                    case 1: { // the call with defers
                        if (enterCall(g, ex, ops, density, 2)) {
                            return GBody.HYPOTHETICAL_DEFER_REQUEUE;
                        }
                        continue;
                    }
                    case 2:
                        if (!runFrame(g, ex, ops)) {
                            return GBody.PREEMPTED;
                        }
                        ex.semrelease(s[1]);
                        g.r2++;
                        if (g.r0 == 1) {
                            g.pc = 0;
                            continue;
                        }
                        g.pc = 3;
                        if (!ex.trySemacquire(s[0])) {
                            return ex.park(s[0]);
                        }
                        continue;
                    case 3: // holds the token
                        g.pc = g.r0 == 1 ? 1 : 0;
                        continue;
                    default:
                        throw new IllegalStateException("pingPong: pc " + g.pc);
                }
            }
        };
        Program hog = Program.builder("hog").work(hogUnits).exit();
        return new Workload() {
            @Override
            public String name() {
                return "pingPongHog";
            }

            @Override
            public void start(Spawner sp) {
                for (int i = 0; i < hogs; i++) {
                    sp.spawn(i % sp.procs(), hog, 0, null, false);
                }
                for (int i = 0; i < pairs; i++) {
                    Sema a = new Sema();
                    Sema b = new Sema();
                    sp.spawn(i % sp.procs(), player, 1, new Sema[] {b, a}, false);
                    sp.spawn(i % sp.procs(), player, 0, new Sema[] {a, b}, false);
                }
            }
        };
    }

    // ---- StealLatencyBench ----

    /**
     * Spawn then stay busy, one parent at a time: the parent spawns a child (into its runnext) and
     * then makes {@code calls} calls of a function with {@code density} defers around {@code unitsPerCall}
     * of work. The other Ps are idle, so the child starts early only when a woken M steals it from
     * runnext (after the steal pause, on the last steal pass). The workload latency is spawn -> child
     * start. The parent signals the main G when done, and the main G starts the next parent.
     */
    public static Workload stealLatency(int parents, int calls, int unitsPerCall, int density, TreatmentOps ops) {
        GBody child = (g, ex) -> {
            ex.p().metrics.record(ex.p().metrics.workloadLatency, ex.nanoTime() - g.r0);
            return GBody.EXIT;
        };
        GBody parent = (g, ex) -> {
            Sema done = (Sema) g.peer;
            for (;;) {
                switch (g.pc) {
                    case 0:
                        g.pc = 1;
                        ex.newproc(child, ex.nanoTime());
                        continue;
                    case 1: // loop over calls
                        if (g.laPreempt()) {
                            return GBody.PREEMPTED;
                        }
                        if (g.r2 == calls) {
                            ex.semrelease(done);
                            return GBody.EXIT;
                        }
                        if (enterCall(g, ex, ops, density, 2)) {
                            return GBody.HYPOTHETICAL_DEFER_REQUEUE;
                        }
                        continue;
                    case 2:
                        dev.gmpdefer.model.internal.Spin.work(g.goid(), unitsPerCall);
                        g.pc = 3;
                        continue;
                    case 3:
                        if (!runFrame(g, ex, ops)) {
                            return GBody.PREEMPTED;
                        }
                        g.r2++;
                        g.pc = 1;
                        continue;
                    default:
                        throw new IllegalStateException("stealLatency parent: pc " + g.pc);
                }
            }
        };
        Sema done = new Sema();
        GBody main = (g, ex) -> {
            for (;;) {
                // spawn the next parent (into this P's runnext), then wait until it is done; the
                // parent runs on this P when main parks, while the other Ps are idle
                if (g.r2 == parents) {
                    return GBody.EXIT;
                }
                g.r2++;
                ex.newproc(parent, 0, done);
                if (!ex.trySemacquire(done)) { // resumes here holding the token
                    return ex.park(done);
                }
            }
        };
        return withMain("stealLatency", main);
    }

    // ---- PreemptLatencyBench ----

    /**
     * CPU hogs that never yield: {@code hogs} Gs each make {@code calls} calls of a function with
     * {@code density} defers around {@code unitsPerCall} of work; next to them {@code shorts} short Gs
     * loop over a little work and Gosched. sysmon preempts the hogs after forcePreemptNS; the metrics
     * are preemption latency (request -> yield at a safe point) and slice lengths.
     */
    public static Workload preemptLatency(int hogs, int calls, int unitsPerCall, int shorts, int shortLoops,
                                          int density, TreatmentOps ops) {
        GBody hog = (g, ex) -> {
            for (;;) {
                switch (g.pc) {
                    case 0:
                        if (g.laPreempt()) { // the call's prologue
                            return GBody.PREEMPTED;
                        }
                        if (g.r2 == calls) {
                            return GBody.EXIT;
                        }
                        if (enterCall(g, ex, ops, density, 1)) {
                            return GBody.HYPOTHETICAL_DEFER_REQUEUE;
                        }
                        continue;
                    case 1: {
                        // the work, with safe points every 16 units (calls inside it)
                        long rem = g.r0 == 0 ? unitsPerCall : g.r0;
                        while (rem > 0) {
                            if (g.laPreempt()) {
                                g.r0 = rem;
                                return GBody.PREEMPTED;
                            }
                            int c = (int) Math.min(16, rem);
                            dev.gmpdefer.model.internal.Spin.work(g.goid(), c);
                            rem -= c;
                        }
                        g.r0 = 0;
                        g.pc = 2;
                        continue;
                    }
                    case 2:
                        if (!runFrame(g, ex, ops)) { // each deferred call is a safe point
                            return GBody.PREEMPTED;
                        }
                        g.r2++;
                        g.pc = 0;
                        continue;
                    default:
                        throw new IllegalStateException("preemptLatency hog: pc " + g.pc);
                }
            }
        };
        Program shortG = Program.builder("short").loop(shortLoops).work(16).gosched().endLoop().exit();
        return new Workload() {
            @Override
            public String name() {
                return "preemptLatency";
            }

            @Override
            public void start(Spawner sp) {
                for (int i = 0; i < hogs; i++) {
                    sp.spawn(i % sp.procs(), hog, 0, null, false);
                }
                for (int i = 0; i < shorts; i++) {
                    sp.spawn(i % sp.procs(), shortG, 0, null, false);
                }
            }
        };
    }

    // ---- DeferStarvationBench (C14) ----

    /**
     * C14: one G registers {@code heavyDefers} defers in a loop and then returns (running them all),
     * while {@code others} Gs loop {@code otherLoops} times over a little work and Gosched. The
     * others' runnable delay is the scheduling latency. The heavy G's loop back-edge and each deferred
     * call are safe points (Go 1.14+); deferproc itself is not.
     */
    public static Workload deferStarvation(int heavyDefers, int others, int otherLoops, int density, TreatmentOps ops) {
        GBody heavy = (g, ex) -> {
            for (;;) {
                switch (g.pc) {
                    case 0:
                        if (g.r2 == heavyDefers) {
                            g.pc = 1;
                            continue;
                        }
                        if (g.laPreempt()) { // loop back-edge
                            return GBody.PREEMPTED;
                        }
                        boolean requeue = ops.register(g, ex.pid(), 1);
                        g.r1++;
                        g.r2++;
                        if (requeue) {
                            return GBody.HYPOTHETICAL_DEFER_REQUEUE;
                        }
                        continue;
                    case 1:
                        if (!runFrame(g, ex, ops)) {
                            return GBody.PREEMPTED;
                        }
                        return GBody.EXIT;
                    default:
                        throw new IllegalStateException("deferStarvation heavy: pc " + g.pc);
                }
            }
        };
        Program other = Program.builder("other").loop(otherLoops).work(64).gosched().endLoop().exit();
        return new Workload() {
            @Override
            public String name() {
                return "deferStarvation";
            }

            @Override
            public void start(Spawner sp) {
                for (int i = 0; i < others; i++) {
                    sp.spawn(i % sp.procs(), other, 0, null, false);
                }
                sp.spawn(0, heavy, 0, null, true);
            }
        };
    }
}
