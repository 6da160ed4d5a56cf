package dev.gmpdefer.bench.runq;

import dev.gmpdefer.model.sched.G;
import dev.gmpdefer.model.sched.GlobalRunQueue;
import dev.gmpdefer.model.sched.Gs;
import dev.gmpdefer.model.sched.LocalRunQueue;
import dev.gmpdefer.model.sched.StealObserver;
import dev.gmpdefer.model.sched.StealRunQueue;
import dev.gmpdefer.model.sched.StealPause;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Question: how long does the runnext-steal pause really last? Go's runqgrab (proc.go, Go 1.21)
 * calls usleep(3) before stealing the runnext G of a running P; on Linux that is a nanosleep whose
 * real length includes the thread's timer slack (50 µs by default), so "3 µs" is in practice tens of
 * µs. The model offers SPIN (busy-wait, exact) and PARK (LockSupport.parkNanos, a futex wait with the
 * same slack); this measures both at 3 µs (Go) and 100 µs (Kotlin's coroutine scheduler).
 *
 * <p>Expected shape: SPIN ~= the configured time (3.0x µs, 100.0x µs); PARK = configured + slack +
 * wake-up (e.g. ~55-60 µs for 3 µs, ~150 µs for 100 µs with the default 50 µs slack; less on
 * kernels or containers with a smaller slack). The distribution (SampleTime percentiles) matters:
 * it is the delay added to a runnext steal, i.e. to the article's runnext latencies (C3, C4) when
 * a thief takes the G. {@code runnextSteal} is the whole runqsteal of a running P's runnext, pause
 * included, so pause + steal overhead. Allocation-free.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StealPauseBench {
    @Param({"SPIN", "PARK"})
    public StealPause.Mode mode;

    @Param({"3000", "100000"})
    public long pauseNs;

    private StealPause pause;
    private LocalRunQueue victim;
    private StealRunQueue victimStealer;
    private LocalRunQueue thief;
    private G g;

    @Setup
    public void setup() {
        pause = new StealPause(pauseNs, mode);
        victim = Gs.runQueueOfP(4, new GlobalRunQueue(2), pause, true);
        victimStealer = victim.stealer();
        thief = new LocalRunQueue(4, new GlobalRunQueue(2), null, StealPause.NONE);
        g = Gs.newG(0);
    }

    /** The pause alone. */
    @Benchmark
    public void pause() {
        pause.pause();
    }

    /** runqput(next = true) on a running victim, then a thief's runqsteal(stealRunNextG = true). */
    @Benchmark
    public G runnextSteal() {
        victim.runqput(g, true);
        return thief.runqsteal(victimStealer, true, StealObserver.NONE);
    }
}
