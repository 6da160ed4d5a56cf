package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.Sema;
import dev.gmpdefer.model.sched.Workload;

/**
 * Every workload of the model, each a Go program written as {@link Program}s (the one workload API),
 * with its work in spin units ({@link Program#unitsFor} converts ns). The latency experiments (claims
 * C1-C6, C9, C14, C16, C18) use them all; the scheduler tests use them too. Where the Go program has
 * {@code defer} statements, the program has {@code defer(n)} steps and a {@code runDefers()} at the
 * function's return, done by the workload's {@link TreatmentOps}: real defers, nothing, CPU burned or
 * bytes allocated. Safe points are {@link Program}'s: function prologues, and loop back-edges with
 * asynchronous preemption; the same places for every treatment.
 */
public final class Workloads {
    private Workloads() {
    }

    /** A workload from a main program started on P 0 (in its runnext), like a Go program's main goroutine. */
    public static Workload main(String name, Program mainProgram) {
        return main(name, null, mainProgram, null);
    }

    /** {@link #main(String, Program)} whose defers are {@code ops}'s, with {@code peer} as the main G's peer. */
    static Workload main(String name, TreatmentOps ops, Program mainProgram, Object peer) {
        return of(name, ops, s -> s.spawn(0, mainProgram, 0, peer, true));
    }

    /**
     * A workload named {@code name} whose initial Gs {@code start} creates and whose defers (if any) are
     * {@code ops}'s: the GC's clearpools reaches their central pool through it.
     */
    static Workload of(String name, TreatmentOps ops, java.util.function.Consumer<Workload.Spawner> start) {
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start(Spawner s) {
                start.accept(s);
            }

            @Override
            public long clearpools() {
                return ops == null ? 0 : ops.clearpools();
            }

            @Override
            public long heapBytes() {
                return ops == null ? 0 : ops.heapBytes();
            }

            @Override
            public long stackScanBytes() {
                return ops == null ? 0 : ops.stackScanBytes();
            }

            @Override
            public void beforeRun() {
                if (ops != null) {
                    ops.beforeRun();
                }
            }
        };
    }

    // ---- ArticleGoschedBench (C1-C6) ----

    /**
     * The article's program (C1): {@code goroutines} Gs each call a function that loops {@code loops}
     * times; each iteration executes {@code density} {@code defer func(){}()} statements and then
     * {@code runtime.Gosched()}. The deferred calls pile up (up to loops x density) and run when the
     * function returns. Gosched puts the G on the global queue tail (proc.go: goschedImpl).
     * <pre>
     * func worker() { for i := 0; i &lt; loops; i++ { defer func(){}() /* x density *&#47;; runtime.Gosched() } }
     * func main() { for i := 0; i &lt; goroutines; i++ { go worker() } }
     * </pre>
     */
    public static Workload articleGosched(int goroutines, int loops, int density, TreatmentOps ops) {
        Program worker = Program.builder("gosched-worker").treatment(ops)
                .loop(loops).defer(density).gosched().endLoop().runDefers().exit();
        return main("articleGosched", ops, Program.builder("main").loop(goroutines).spawn(worker).endLoop().exit(), null);
    }

    // ---- FanoutBench ----

    /**
     * Fan-out: {@code producers} Gs each spawn {@code children} children (newproc: runnext, the
     * displaced one to the tail, wakep); a child calls a function with {@code density} defers around
     * {@code childUnits} of work and exits.
     * <pre>func child() { defer f() /* x density *&#47;; work(childUnits) }</pre>
     */
    public static Workload fanout(int producers, int children, int childUnits, int density, TreatmentOps ops) {
        Program child = Program.builder("child").treatment(ops).defer(density).work(childUnits).runDefers().exit();
        Program producer = Program.builder("producer").loop(children).spawn(child).endLoop().exit();
        return main("fanout", ops, Program.builder("main").loop(producers).spawn(producer).endLoop().exit(), null);
    }

    // ---- PingPongHogBench ----

    /**
     * Go's BenchmarkPingPongHog (proc_test.go) with defers: {@code pairs} ping-pong pairs hand a token
     * back and forth {@code rounds} times (ready -> runnext, inheritTime); before each hand-off the G
     * calls a function with {@code density} defers. {@code hogs} CPU hogs run {@code hogUnits} of work
     * each, without defers.
     */
    public static Workload pingPongHog(int pairs, int rounds, int hogs, int hogUnits, int density, TreatmentOps ops) {
        // peer: Sema[]{mine, other}. ping calls, hands over and waits; pong waits, calls and hands back.
        Program ping = Program.builder("ping").treatment(ops)
                .loop(rounds).defer(density).runDefers().release(1).acquire(0).endLoop().exit();
        Program pong = Program.builder("pong").treatment(ops)
                .loop(rounds).acquire(0).defer(density).runDefers().release(1).endLoop().exit();
        Program hog = Program.builder("hog").work(hogUnits).exit();
        return of("pingPongHog", ops, sp -> {
            for (int i = 0; i < hogs; i++) {
                sp.spawn(i % sp.procs(), hog, 0, null, false);
            }
            for (int i = 0; i < pairs; i++) {
                Sema a = new Sema();
                Sema b = new Sema();
                sp.spawn(i % sp.procs(), pong, 0, new Sema[] {b, a}, false);
                sp.spawn(i % sp.procs(), ping, 0, new Sema[] {a, b}, false);
            }
        });
    }

    // ---- StealLatencyBench ----

    /**
     * Spawn then stay busy, one parent at a time: the parent spawns a child (into its runnext) and
     * then makes {@code calls} calls of a function with {@code density} defers around {@code unitsPerCall}
     * of work. The other Ps are idle, so the child starts early only when a woken M steals it from
     * runnext (after the steal pause, on the last steal pass) or the parent is preempted. The workload
     * latency is spawn -> child start. The parent signals the main G when done, and the main G starts
     * the next parent.
     */
    public static Workload stealLatency(int parents, int calls, int unitsPerCall, int density, TreatmentOps ops) {
        Program child = Program.builder("child").recordStartLatency().exit();
        Program parent = Program.builder("parent").treatment(ops).spawnTimed(child)
                .loop(calls).defer(density).work(unitsPerCall).runDefers().endLoop()
                .release(0).exit();
        // main: go parent(); <-done, once per parent (the parent runs on this P when main parks)
        Program main = Program.builder("main").loop(parents).spawn(parent).acquire(0).endLoop().exit();
        return main("stealLatency", ops, main, new Sema[] {new Sema()});
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
        Program hog = Program.builder("hog").treatment(ops)
                .loop(calls).defer(density).work(unitsPerCall).runDefers().endLoop().exit();
        Program shortG = Program.builder("short").loop(shortLoops).work(16).gosched().endLoop().exit();
        return of("preemptLatency", ops, sp -> {
            for (int i = 0; i < hogs; i++) {
                sp.spawn(i % sp.procs(), hog, 0, null, false);
            }
            for (int i = 0; i < shorts; i++) {
                sp.spawn(i % sp.procs(), shortG, 0, null, false);
            }
        });
    }

    // ---- DeferStarvationBench (C14) ----

    /**
     * C14: one G registers {@code heavyDefers} x {@code density} defers in a loop and then returns
     * (running them all), while {@code others} Gs loop {@code otherLoops} times over a little work and
     * Gosched. The others' runnable delay is the scheduling latency.
     * <pre>func heavy() { for i := 0; i &lt; heavyDefers; i++ { defer f() } }</pre>
     */
    public static Workload deferStarvation(int heavyDefers, int others, int otherLoops, int density, TreatmentOps ops) {
        Program.Builder h = Program.builder("heavy").treatment(ops);
        if (heavyDefers > 0) {
            h.loop(heavyDefers).defer(density).endLoop();
        }
        Program heavy = h.runDefers().exit();
        Program other = Program.builder("other").loop(otherLoops).work(64).gosched().endLoop().exit();
        return of("deferStarvation", ops, sp -> {
            for (int i = 0; i < others; i++) {
                sp.spawn(i % sp.procs(), other, 0, null, false);
            }
            sp.spawn(0, heavy, 0, null, true);
        });
    }
}
