package dev.gmpdefer.bench.latency;

import dev.gmpdefer.bench.BenchParams;
import dev.gmpdefer.model.sched.SchedConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every latency benchmark shares (JMH allows inherited parameters and benchmark methods, see
 * JMHSample_24_Inheritance): the {@code treatment} and {@code strategy} parameters, the trial setup
 * through {@link LatencySetup} (parameter checks, calibration of the CPU control) and the measured
 * operation, one whole scheduler run of the workload. Each subclass names its question and claims
 * (together C1–C7, C9, C14, C18), its workload and its own parameters and JMH settings.
 */
@State(Scope.Benchmark)
public abstract class LatencyBenchBase {
    /**
     * none, defer, cpu_control, alloc_control, article_hypothesis (see Treatment). The default runs the four
     * that are compared (each with 10 forks); the article's hypothesis is a what-if variant:
     * {@code -p treatment=article_hypothesis}.
     */
    @Param({"none", "defer", "cpu_control", "alloc_control"})
    public String treatment;

    /** Allocator strategy for the defer records (GO_COMPILER: what Go's compiler would choose). */
    @Param({"GO_COMPILER"})
    public String strategy;

    /**
     * GOGC of the model's GC: a percentage ({@code 100}, Go's default, is the default here too) or
     * {@code off} (no cycle: a what-if, and what the model measured before its GC).
     */
    @Param({"100"})
    public String gogc;

    private LatencySetup setup;

    /** The scheduler configuration every latency benchmark starts from: the {@code gogc} parameter applied. */
    protected SchedConfig.Builder config() {
        return SchedConfig.builder().gogc(BenchParams.gogc(gogc));
    }

    /** Builds the setup (workload, treatment, configuration) from the parameters. */
    protected abstract LatencySetup createSetup();

    @Setup(Level.Trial)
    public void setup() {
        setup = createSetup();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        setup.close();
    }

    /** One whole scheduler run of the workload; its metrics are the secondary results. */
    @Benchmark
    public long run() {
        return setup.run().wallNanos;
    }
}
