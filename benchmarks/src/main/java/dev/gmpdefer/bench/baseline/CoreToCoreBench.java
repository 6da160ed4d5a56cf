package dev.gmpdefer.bench.baseline;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Question: how long does one cache line take to go from one core to another and back on this
 * machine? That round trip is the physical floor under every cross-P operation of the model: a thief
 * reading a victim's tail and CASing its head, a runnext CAS by a thief, a wake-up flag.
 *
 * <p>Expected shape: tens of ns per round trip between cores of one socket (typically 40-100 ns on
 * x86 servers), more across sockets; when both threads share one core (SMT siblings, or an
 * oversubscribed 2-core box where the OS time-slices them) it can jump to µs or ms, which is then a
 * property of the machine, not of the model. Steal and runnext-steal costs (StealBench) and the
 * article's runnext figures (C3: 1.3 µs; C5: "+37% cache misses on p.runnext"; C7: defer setup
 * invalidating p.runnext's line) are read against this floor.
 *
 * <p>{@code ping} writes an odd value and waits for {@code pong} to answer with the next even value;
 * one {@code ping} op is one round trip (two one-way transfers). Both spin loops check
 * {@link Control#stopMeasurement}. The line is padded on both sides; allocation-free.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreToCoreBench {

    /** Padding before the line (field layout puts superclass fields first). */
    abstract static class PadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class Value extends PadBefore {
        volatile long value;
    }

    /** The shared line: written by ping (odd) and pong (even), read by both. */
    @State(Scope.Group)
    public static class Line extends Value {
        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

        static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Value.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long lvValue() {
            return (long) VALUE.getVolatile(this);
        }

        void soValue(long v) {
            VALUE.setRelease(this, v); // pairs with the other side's lvValue()
        }
    }

    /** One round trip: publish an odd value, wait for the even answer. */
    @Benchmark
    @Group("roundTrip")
    @GroupThreads(1)
    public long ping(Line line, Control ctl) {
        long v = line.lvValue();
        while ((v & 1) != 0) { // previous ping not answered yet (only at start-up after a stop)
            if (ctl.stopMeasurement) {
                return v;
            }
            Thread.onSpinWait();
            v = line.lvValue();
        }
        line.soValue(v + 1);
        long w;
        while ((w = line.lvValue()) == v + 1) {
            if (ctl.stopMeasurement) {
                return w;
            }
            Thread.onSpinWait();
        }
        return w;
    }

    /** The echo: wait for an odd value, answer with the next even one. */
    @Benchmark
    @Group("roundTrip")
    @GroupThreads(1)
    public long pong(Line line, Control ctl) {
        long v;
        while (((v = line.lvValue()) & 1) == 0) {
            if (ctl.stopMeasurement) {
                return v;
            }
            Thread.onSpinWait();
        }
        line.soValue(v + 1);
        return v;
    }
}
