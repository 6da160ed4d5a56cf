package dev.gmpdefer.bench.latency;

import dev.gmpdefer.model.defer.FuncShape;
import dev.gmpdefer.model.workload.Workloads;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Claims C1-C6 (and C9 with {@code treatment=article_hypothesis}): the article's own program.
 *
 * <p>Question: with GOMAXPROCS Ps, {@code goroutines} Gs each call a function that loops 100 times;
 * each iteration executes {@code density} {@code defer func(){}()} statements and then
 * {@code runtime.Gosched()} (the deferred calls pile up until the function returns). Does defer
 * density change the scheduling latency (runnable -> running) percentiles or the runnext share
 * beyond what the same CPU time without defers ({@code cpu_control}) does?
 *
 * <p>Expected shape, from Go's source: Gosched sends every G to the global queue (proc.go:
 * goschedImpl), so runnext serves almost no start (C2's "> 92 %" cannot hold for this program);
 * latency grows with the CPU each G burns per turn, i.e. {@code defer} ~ {@code cpu_control}, and
 * {@code article_hypothesis} adds extra global-queue round trips. The article used GOMAXPROCS=4 on
 * real hardware; this machine may have fewer cores than Ps (see the run's env.json).
 *
 * <p>One op = one whole run (10,000 Gs x 100 iterations by default). Secondary metrics
 * (sched.latency.p50/p95/p99, sched.runnext.share, ...) come from SchedMetricsProfiler.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ArticleGoschedBench extends LatencyBenchBase {
    /** Defers per loop iteration (the article's "high density" is 10). */
    @Param({"10"})
    public int density;

    /**
     * GOMAXPROCS (the article: 4; realgo measures this workload at 4 too). The default suite runs 4 only, to
     * afford 10 forks per compared cell within its time budget; {@code -p procs=2,4} adds 2.
     */
    @Param({"4"})
    public int procs;

    /** Goroutines (the article: 10,000). */
    @Param({"10000"})
    public int goroutines;

    @Override
    protected LatencySetup createSetup() {
        return LatencySetup.create(treatment, density, strategy, procs, FuncShape.loop(), config(),
                ops -> Workloads.articleGosched(goroutines, 100, density, ops));
    }
}
