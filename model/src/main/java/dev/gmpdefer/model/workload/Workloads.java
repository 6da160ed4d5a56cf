package dev.gmpdefer.model.workload;

import dev.gmpdefer.model.sched.Sema;
import dev.gmpdefer.model.sched.Workload;

/**
 * The standard scheduler workloads, built from {@link Program}s. Each is what a Go program would do;
 * the Go equivalent is in each method's comment.
 */
public final class Workloads {
    private Workloads() {
    }

    /** A workload from a main program started on P 0, like a Go program's main goroutine. */
    public static Workload main(String name, Program mainProgram) {
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start(Spawner s) {
                s.spawn(0, mainProgram, 0, null, true);
            }
        };
    }

    /**
     * The article's loop (C1): {@code goroutines} Gs, each looping {@code loops} times over
     * {@code workNanos} of CPU and {@code runtime.Gosched()}.
     * <pre>for i := 0; i &lt; goroutines; i++ { go func() { for j := 0; j &lt; loops; j++ { work(); runtime.Gosched() } }() }</pre>
     */
    public static Workload articleGosched(int goroutines, int loops, long workNanos) {
        Program worker = Program.builder("gosched-worker").loop(loops).workNanos(workNanos).gosched().endLoop().exit();
        Program main = Program.builder("main").loop(goroutines).spawn(worker).endLoop().exit();
        return main("articleGosched", main);
    }

    /**
     * Fan-out: {@code producers} Gs each spawn {@code children} children that do {@code childWorkNanos}
     * of CPU and exit. Every child enters its producer's runnext and displaces the previous one.
     */
    public static Workload fanout(int producers, int children, long childWorkNanos) {
        Program child = Program.builder("child").workNanos(childWorkNanos).exit();
        Program producer = Program.builder("producer").loop(children).spawn(child).endLoop().exit();
        Program main = Program.builder("main").loop(producers).spawn(producer).endLoop().exit();
        return main("fanout", main);
    }

    /**
     * Go's BenchmarkPingPongHog (proc_test.go): a ping-pong pair handing a token back and forth
     * {@code rounds} times through two semaphores (each hand-off readies the peer into runnext and
     * parks), next to {@code hogs} CPU hogs that run {@code hogNanos} each without yielding.
     */
    public static Workload pingPongHog(int pairs, int rounds, int hogs, long hogNanos) {
        Program ping = Program.builder("ping").loop(rounds).release(1).acquire(0).endLoop().exit();
        Program pong = Program.builder("pong").loop(rounds).acquire(0).release(1).endLoop().exit();
        Program hog = Program.builder("hog").workNanos(hogNanos).exit();
        return new Workload() {
            @Override
            public String name() {
                return "pingPongHog";
            }

            @Override
            public void start(Spawner s) {
                for (int i = 0; i < hogs; i++) {
                    s.spawn(i % s.procs(), hog, 0, null, false);
                }
                for (int i = 0; i < pairs; i++) {
                    Sema a = new Sema();
                    Sema b = new Sema();
                    // ping waits on a, releases b; pong waits on b, releases a
                    s.spawn(0, pong, 0, new Sema[] {b, a}, false);
                    s.spawn(0, ping, 0, new Sema[] {a, b}, false);
                }
            }
        };
    }

    /**
     * Spawn then stay busy: {@code parents} Gs each spawn one child (into the parent's runnext) and
     * then burn {@code busyNanos} of CPU. The child starts before the parent finishes only if another
     * P steals it (runnext steal, after the steal pause) or sysmon preempts the parent.
     */
    public static Workload spawnThenBusy(int parents, long busyNanos, long childNanos) {
        Program child = Program.builder("child").workNanos(childNanos).exit();
        Program parent = Program.builder("parent").spawn(child).workNanos(busyNanos).exit();
        Program main = Program.builder("main").loop(parents).spawn(parent).endLoop().exit();
        return main("spawnThenBusy", main);
    }
}
