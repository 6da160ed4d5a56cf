package dev.gmpdefer.bench.latency;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.bench.BenchParams;
import dev.gmpdefer.model.sched.SchedConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
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
 * operation, one whole scheduler run of the workload, and the JMH settings of every latency fork (JMH's
 * annotations are inherited): 2 warm-up runs, 3 measured runs, 10 forks; a fixed 4 GiB heap with a 2 GiB
 * young generation, which holds a whole run's Java allocation (at most ~180 MB, ArticleGosched, mostly
 * the metrics' logs), and the Parallel collector, whose card-marking write barrier costs the same in
 * every treatment (G1's barrier and refinement threads made the defer runs of ArticleGosched, which
 * relink millions of old record objects, ~2x slower in M CPU than under Parallel: 6.9-8.8 s against
 * 3.7-5.0 s per run, one fork each, issue 19). Two warm-up runs because ArticleGosched's defer runs
 * settle only after a few runs on the same records (M CPU 3.7, 4.9, 5.0 s in the first three). Each subclass names its question and claims
 * (together C1–C7, C9, C14, C18), its workload and its own parameters and JMH settings.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 10, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Xmn2g", "-XX:+UseParallelGC",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
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
    @Param({Parameter.GOGC_DEFAULT})
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

    /**
     * Before every measured (and warm-up) run, a full collection of the JVM's heap, outside the timed
     * operation: each run then starts with an empty young generation, which the forks size to hold a
     * whole run's Java allocation, so that no JVM collection pauses the model's Ms inside a run (issue 19;
     * each run publishes {@code jvm.gc.count} and {@code jvm.gc.pause.ms} to show it). The model's own GC
     * is not affected: its heap is Go's byte counts.
     */
    @Setup(Level.Iteration)
    public void collectBeforeTheRun() {
        System.gc();
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
