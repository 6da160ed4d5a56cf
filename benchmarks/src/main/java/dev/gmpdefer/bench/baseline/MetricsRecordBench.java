package dev.gmpdefer.bench.baseline;

import dev.gmpdefer.model.metrics.PMetrics;
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
 * Question: what does recording one latency cost the model (PMetrics.record into an HdrHistogram),
 * with recording on and off? Every G start records its runnable -> running latency, so this is a
 * per-schedule overhead that the scheduler runs pay and that must stay small next to what they
 * measure (µs latencies, C3/C4, C14).
 *
 * <p>Expected shape: on, a few ns (bucket index arithmetic and one array increment); off, ~0-1 ns
 * (a branch on a final field). The recorded values vary over a 1..~1M ns range so the bucket index
 * changes. Allocation-free.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MetricsRecordBench {
    @Param({"true", "false"})
    public boolean recording;

    private PMetrics metrics;
    private long x;

    @Setup
    public void setup() {
        metrics = new PMetrics(recording);
        x = 12345;
    }

    @Benchmark
    public long record() {
        long v = x;
        v ^= v << 13;
        v ^= v >>> 7;
        v ^= v << 17; // xorshift: cheap, varied values
        x = v;
        long nanos = (v & 0xFFFFF) + 1;
        metrics.record(metrics.schedLatency, nanos);
        return nanos;
    }
}
