package dev.gmpdefer.contract;

import dev.gmpdefer.model.metrics.WaitCause;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The measurement contract's metrics: every secondary metric the suite publishes into JMH's JSON (the model's
 * {@code RunMetrics}, the latency setup's calibration figures, the JVM's collections, the benchmarks' aux
 * counters) and every figure realgo writes per run, each with its unit and meaning, in one list.
 * {@code SchedMetricsProfiler} takes each metric's unit from here (so JMH's JSON carries it); tests fail when
 * the model, a benchmark or realgo publishes a metric not declared here, or with another unit, and check the
 * committed JSON against it. Where real Go measures the same quantity, {@link Spec#go} names realgo's field.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Units, as they appear in JMH's JSON. */
    public static final String US = "us";
    public static final String MS = "ms";
    public static final String NS = "ns";
    public static final String MB = "MB";
    public static final String COUNT = "count";
    public static final String FRACTION = "fraction";
    public static final String FACTOR = "factor";
    /** 0 or 1. */
    public static final String FLAG = "flag";
    /** JMH's unit of an {@code @AuxCounters} field. */
    public static final String AUX = "#";

    /** Who publishes a metric. */
    public enum Source {
        /** The model's per-run metrics (model/metrics/RunMetrics.toScalars). */
        MODEL,
        /** The latency setup and the metrics sink (bench/latency: calibration figures, per-run JVM figures). */
        SETUP,
        /** An {@code @AuxCounters} state of a benchmark. */
        AUX,
        /** realgo only: a field of a run record (realgo/measure.go: Run, Latency). */
        GO
    }

    /**
     * One metric.
     *
     * @param name    the metric's name; a {@code <cause>} part stands for each WaitCause id
     * @param unit    its unit
     * @param source  who publishes it
     * @param go      realgo's field for the same quantity ("" when real Go does not measure it)
     * @param meaning what it is, in words
     */
    public record Spec(String name, String unit, Source source, String go, String meaning) {
        /** Whether a published name is this metric (expanding {@code <cause>}). */
        public boolean matches(String published) {
            return name.contains("<cause>") ? PATTERNS.computeIfAbsent(name, Metrics::pattern).matcher(published).matches()
                    : name.equals(published);
        }
    }

    private static final List<Spec> ALL = new ArrayList<>();
    /** The compiled name of each {@code <cause>} family, made once (the profiler asks per metric and iteration). */
    private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private static void model(String name, String unit, String go, String meaning) {
        ALL.add(new Spec(name, unit, Source.MODEL, go, meaning));
    }

    private static void setup(String name, String unit, String meaning) {
        ALL.add(new Spec(name, unit, Source.SETUP, "", meaning));
    }

    private static void aux(String name, String meaning) {
        ALL.add(new Spec(name, AUX, Source.AUX, "", meaning));
    }

    private static void go(String field, String unit, String meaning) {
        ALL.add(new Spec(field, unit, Source.GO, field, meaning));
    }

    static {
        model("sched.latency.p50", US, "p50Us", "scheduling latency (runnable to running), median of the run's Gs");
        model("sched.latency.p95", US, "p95Us", "scheduling latency, 95th percentile");
        model("sched.latency.p99", US, "p99Us", "scheduling latency, 99th percentile");
        model("sched.latency.max", US, "maxUs", "scheduling latency, maximum");
        model("sched.latency.mean", US, "meanUs", "scheduling latency, mean");
        model("sched.starts", COUNT, "samples", "G starts (scheduling latency samples)");
        model("sched.runnext.share", FRACTION, "", "share of starts taken from runnext");
        model("sched.starts.runnext", COUNT, "", "starts from runnext");
        model("sched.starts.ring", COUNT, "", "starts from the local ring");
        model("sched.starts.global.fairness", COUNT, "", "starts from the global queue (schedule's 1-in-61 check)");
        model("sched.starts.global.batch", COUNT, "", "starts from the global queue (findRunnable's batch)");
        model("sched.starts.steal", COUNT, "", "starts of stolen Gs");
        model("steal.latency.p50", US, "", "length of a steal (runqsteal), median");
        model("steal.latency.p99", US, "", "length of a steal, 99th percentile");
        model("steal.attempts", COUNT, "", "steal attempts");
        model("steal.successes", COUNT, "", "steals that moved at least one G");
        model("steal.gs.moved", COUNT, "", "Gs moved by steals");
        model("steal.runnext", COUNT, "", "steals of a P's runnext");
        model("preempt.latency.p50", US, "", "sysmon preemption latency (over the time slice), median");
        model("preempt.latency.p99", US, "", "sysmon preemption latency, 99th percentile");
        model("preempt.count", COUNT, "", "preemptions");
        model("preempt.async", COUNT, "", "asynchronous preemptions");
        model("slice.p50", US, "slices.p50Us", "a G's time slice (start to yield, park or preemption), median");
        model("slice.p99", US, "slices.p99Us", "a G's time slice, 99th percentile");
        model("workload.latency.p50", US, "own.p50Us", "the workload's own timed transition, median");
        model("workload.latency.p99", US, "own.p99Us", "the workload's own timed transition, 99th percentile");
        model("workload.latency.max", US, "own.maxUs", "the workload's own timed transition, maximum");
        model("hypothetical.requeues", COUNT, "", "the article's hypothesis: Gs requeued to the global queue");
        model("m.parks", COUNT, "", "Ms parked (stopm)");
        model("m.unparks", COUNT, "", "Ms woken (startm, wakep)");
        model("gc.cycles", COUNT, "gcCycles", "GC cycles in the run");
        model("gc.stw.us", US, "stwUs", "stop-the-world time of the run's cycles (both pauses)");
        model("gc.stw.max.us", US, "stwMaxUs", "the longest stop-the-world pause");
        model("gc.mark.cpu.ms", MS, "gcCpuMs", "mark CPU: workers and assists");
        model("gc.assist.ms", MS, "gcAssistMs", "mark assist CPU");
        model("gc.assist.parks", COUNT, "", "Gs parked in gcParkAssist");
        model("gc.assist.global.wakes", COUNT, "", "assist-queue Gs woken onto the global queue");
        model("malloc.cpu.ms", MS, "", "mallocgc CPU charged for heap records");
        model("gc.wb.cpu.ms", MS, "", "write barrier CPU charged while marking");
        model("gc.wb.count", COUNT, "", "write barriers while marking");
        model("gc.stack.scan.mb", MB, "", "stack records scanned by the run's cycles");
        model("heap.live.peak.mb", MB, "heapLivePeakMb", "the live heap's peak");
        model("wait.cause.<cause>.us", US, "waitByCause", "wait time by what the Ps did meanwhile, per cause");
        model("wait.tail.cause.<cause>.us", US, "waitByCause", "the same for waits in the tail (above P95)");
        model("wait.count", COUNT, "waitByCause", "waits decomposed");
        model("wait.tail.count", COUNT, "waitByCause", "tail waits decomposed");
        model("m.cpu.ms", MS, "cpuMs", "CPU of the run's Ms (thread CPU time), per run");
        model("g.run.ms", MS, "", "time the Gs ran, per run");
        setup("jvm.gc.count", COUNT, "the JVM's collections inside measured runs, per run (should be 0)");
        setup("jvm.gc.pause.ms", MS, "the JVM's collection time inside measured runs, per run");
        setup("jvm.gc.time", MS, "the JVM's collection time per run, the name before jvm.gc.pause.ms (2026-11-27 runs)");
        setup("jvm.gc.iteration.count", COUNT, "the JVM's collections in the whole iteration, its setup included");
        setup("jvm.gc.iteration.ms", MS, "the JVM's collection time in the whole iteration");
        setup("sched.runs", COUNT, "scheduler runs in the iteration");
        setup("sched.runs.not.completed", COUNT, "scheduler runs that hit their timeout");
        setup("steal.pause.park", FLAG, "runqgrab's pause parks (1) or spins (0)");
        setup("defer.static.ns", NS, "calibration: defer CPU per call, steady state");
        setup("defer.cpu.ns", NS, "calibration: defer CPU per call, measured in situ");
        setup("defer.register.ns", NS, "calibration: deferproc's part per defer");
        setup("defer.run.ns", NS, "calibration: running a deferred call, per defer");
        setup("defer.cpu.total.ns", NS, "calibration: defer's extra CPU per call over none");
        setup("defer.cpu.noise.ns", NS, "calibration: its run-to-run noise");
        setup("control.check.ns", NS, "cpu_control's check: its spin CPU per call");
        setup("control.scale", FACTOR, "cpu_control's correction of its spin");
        setup("control.source.steady", FLAG, "cpu_control calibrated from the steady state (1) or in situ (0)");
        aux("steals", "StealBench: steals");
        aux("gsMoved", "StealBench: Gs moved");
        aux("emptySteals", "StealBench: steals that found nothing");
        for (String k : new String[] {"lockAcquisitions", "lockSpins", "lockYields", "lockSleeps", "lockWaits",
            "lockDefers"}) {
            aux(k, "DeferContentionBench: deferpool lock events");
        }
        for (String k : new String[] {"lockAcquisitionsPerDefer", "lockSpinsPerDefer", "lockYieldsPerDefer",
            "lockSleepsPerDefer"}) {
            aux(k, "DeferContentionBench: deferpool lock events per defer");
        }
        go("wallMs", MS, "a run's wall time");
        go("cpuMs", MS, "the process's user + system CPU of a run (getrusage)");
        go("gcCycles", COUNT, "GC cycles (MemStats.NumGC)");
        go("gcFirst", COUNT, "the cycle number before the run's first");
        go("gcLast", COUNT, "the run's last cycle number");
        go("stwUs", US, "stop-the-world time (MemStats.PauseNs)");
        go("stwMaxUs", US, "the longest pause");
        go("gcCpuMs", MS, "GC CPU from gctrace (worker and assist wall times summed)");
        go("gcAssistMs", MS, "gctrace: assist time");
        go("gcBgMs", MS, "gctrace: background worker time");
        go("gcIdleMs", MS, "gctrace: idle worker time");
        go("heapLiveMb", MB, "marked heap at the end of each cycle");
        go("heapLivePeakMb", MB, "the largest of those");
        go("p50Us", US, "/sched/latencies:seconds, median (bucket upper bound)");
        go("p95Us", US, "the same, 95th percentile");
        go("p99Us", US, "the same, 99th percentile");
        go("maxUs", US, "the same, maximum");
        go("meanUs", US, "the same, mean");
        go("samples", COUNT, "the histogram's samples");
        go("p50BucketRelWidth", FRACTION, "the relative width of the bucket holding P50");
        go("p95BucketRelWidth", FRACTION, "the relative width of the bucket holding P95");
        go("procs", COUNT, "GOMAXPROCS");
        go("run", COUNT, "the run's index within its cell");
    }

    /** Every declared metric, in declaration order. */
    public static List<Spec> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The declared metric a published name is, or null. */
    public static Spec of(String name) {
        for (Spec s : ALL) {
            if (s.source != Source.GO && s.matches(name)) {
                return s;
            }
        }
        return null;
    }

    /** realgo's declared field of that name, or null. */
    public static Spec goField(String field) {
        for (Spec s : ALL) {
            if (s.source == Source.GO && s.name.equals(field)) {
                return s;
            }
        }
        return null;
    }

    /** The unit of a published metric; throws naming it when the contract does not declare it. */
    public static String unitOf(String name) {
        Spec s = of(name);
        if (s == null) {
            throw new IllegalArgumentException("metric " + name + " is not declared in dev.gmpdefer.contract.Metrics");
        }
        return s.unit;
    }

    private static Pattern pattern(String name) {
        StringBuilder causes = new StringBuilder();
        for (WaitCause c : WaitCause.ALL) {
            causes.append(causes.length() == 0 ? "" : "|").append(Pattern.quote(c.id));
        }
        return Pattern.compile(Pattern.quote(name).replace("<cause>", "\\E(?:" + causes + ")\\Q"));
    }
}
