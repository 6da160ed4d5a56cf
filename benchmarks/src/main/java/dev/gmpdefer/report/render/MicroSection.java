package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The report's microbenchmark sections: allocators, contention, flame graphs, the run-queue baselines and
 * everything else measured.
 */
final class MicroSection {
    private final MarkdownReport r;

    MicroSection(MarkdownReport r) {
        this.r = r;
    }

    void allocators(StringBuilder sb) {
        sb.append("## Defer allocators\n\n### DeferAllocBench\n\n");
        List<JmhEntry> es = Allocators.entries(r.store.entries());
        if (es.isEmpty()) {
            sb.append("No committed run yet.\n\n");
        } else {
            r.plot(sb, "DeferAllocBench-ns.png");
            r.plot(sb, "DeferAllocBench-bytes.png");
            sb.append("Bytes per defer are JMH's `gc.alloc.rate.norm` (`-prof gc`), n/a when the run had no GC "
                    + "profiler. Go's figures are from other hardware (reference item 23) and are shown for the "
                    + "shape, not for equality.\n\n");
            sb.append(AllocatorTable.markdown(Allocators.rows(es, r.book))).append('\n');
            sb.append("### Each strategy beside Go\n\n").append(new ReadmeBlocks(r).deferVsGo()).append('\n');
        }
        sb.append("### DeferChainBench\n\n");
        generic(sb, r.store.of("DeferChainBench"));
        sb.append("### DeferContentionBench\n\n");
        contention(sb, r.store.of("DeferContentionBench"));
    }

    /** Lock counters of {@code sched.deferlock} per defer: ratios of JMH's sums (EVENTS are summed). */
    private static void contention(StringBuilder sb, List<JmhEntry> es) {
        if (es.isEmpty()) {
            sb.append("No committed run yet.\n\n");
            return;
        }
        sb.append("ns per defer per thread (2 threads, 64 defers per call); the lock's acquisitions, procyield rounds, "
                + "osyields and futex sleeps per defer taken (ratios of the run's sums; n/a in runs made before "
                + "the counters existed).\n\n");
        sb.append("| strategy | migrate | ns per defer (± err) | lock acquisitions | spins | yields | sleeps | run |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (JmhEntry e : es) {
            Metric d = e.metric("lockDefers");
            sb.append("| ").append(e.param("strategy")).append(" | ").append(e.param("migrate")).append(" | ")
                    .append(Fmt.withErr(e.primary())).append(" | ").append(perDefer(e, "lockAcquisitions", d))
                    .append(" | ").append(perDefer(e, "lockSpins", d)).append(" | ").append(perDefer(e, "lockYields", d))
                    .append(" | ").append(perDefer(e, "lockSleeps", d)).append(" | ").append(e.run().name())
                    .append(" |\n");
        }
        sb.append('\n');
    }

    private static String perDefer(JmhEntry e, String name, Metric defers) {
        Metric m = e.metric(name);
        if (m == null || defers == null) {
            return "n/a";
        }
        return defers.score() == 0 ? "0" : Fmt.num(m.score() / defers.score());
    }

    private void generic(StringBuilder sb, List<JmhEntry> es) {
        if (es.isEmpty()) {
            sb.append("No committed run yet.\n\n");
            return;
        }
        sb.append("| benchmark | mode | params | score ± error | unit | B/op | run |\n|---|---|---|---|---|---|---|\n");
        for (JmhEntry e : es) {
            Metric a = e.metric(Allocators.ALLOC_NORM);
            sb.append("| ").append(e.benchClass()).append('.').append(e.method()).append(" | ").append(e.mode())
                    .append(" | ").append(Fmt.cell(e.paramString())).append(" | ").append(Fmt.withErr(e.primary()))
                    .append(" | ").append(e.primary().unit()).append(" | ").append(a == null ? "n/a" : Fmt.num(a.score()))
                    .append(" | ").append(e.run().name()).append(" |\n");
        }
        sb.append('\n');
    }

    /** The committed flame graphs and, per profile, the share of samples in the find/steal path (C6). */
    void flameGraphs(StringBuilder sb) {
        sb.append("## Flame graphs (C6)\n\n");
        if (r.flames.isEmpty()) {
            sb.append("No committed profile under `results/flamegraphs/` yet (`scripts/flamegraph.sh`).\n\n");
        } else {
            modelFlames(sb);
        }
        if (r.realGo != null) {
            new RealGoView(r.realGo).renderProfiles(sb, "");
        }
    }

    private void modelFlames(StringBuilder sb) {
        sb.append("async-profiler CPU profiles of the model (`scripts/flamegraph.sh`); each folder holds the HTML "
                + "flame graphs and the collapsed stacks the shares are computed from. \"findRunnable\" is the "
                + "share of samples under `M.findRunnable` (the model's schedule -> findRunnable -> stealWork -> "
                + "runqsteal path, the article's 86 -> 142 px); \"stealWork\" the part under `M.stealWork`.\n\n");
        sb.append("| benchmark | treatment | params | samples | findRunnable | stealWork | profile |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (FlameShares.Row r : r.flames) {
            String folder = r.file().contains("/") ? r.file().substring(0, r.file().lastIndexOf('/')) : "";
            sb.append("| ").append(r.bench()).append(" | ").append(r.treatment()).append(" | ")
                    .append(Fmt.cell(r.params())).append(" | ").append(r.samples()).append(" | ")
                    .append(FlameShares.pct(r.share())).append(" | ").append(FlameShares.pct(r.stealShare()))
                    .append(" | [").append(folder).append("](flamegraphs/").append(folder).append("/) |\n");
        }
        sb.append('\n');
    }

    void others(StringBuilder sb) {
        List<String> covered = new ArrayList<>(Cells.LATENCY_BENCHES);
        covered.add(Allocators.BENCH);
        covered.add(Allocators.UNCHECKED);
        covered.add("DeferChainBench");
        covered.add("DeferContentionBench");
        List<String> rest = r.store.classes().stream().filter(c -> !covered.contains(c)).collect(Collectors.toList());
        sb.append("## Other benchmarks\n\n");
        if (rest.isEmpty()) {
            sb.append("None.\n\n");
        }
        for (String c : rest) {
            sb.append("### ").append(c).append("\n\n");
            List<JmhEntry> es = r.store.of(c).stream()
                    .filter(e -> !RETIRED.contains(e.benchClass() + "." + e.method())).collect(Collectors.toList());
            generic(sb, es);
            if (c.equals("RunQueueBench")) {
                runnextVsSpmc(sb, es);
            } else if (c.equals("StealBench")) {
                stealPerG(sb, es);
            }
        }
    }

    /** Benchmark methods the suite no longer has, whose committed rows would now mislead; left out. */
    static final java.util.Set<String> RETIRED = java.util.Set.of("StealBench.refillOnly");

    /**
     * The owner put + get through runnext against JCTools' SpmcArrayQueue offer + poll, from the same run
     * (issue 11's target: within 1.1x).
     */
    private static void runnextVsSpmc(StringBuilder sb, List<JmhEntry> es) {
        StringBuilder rows = new StringBuilder();
        for (JmhEntry r : es) {
            if (!r.method().equals("runnextPutGet")) {
                continue;
            }
            for (JmhEntry q : es) {
                if (q.method().equals("spmcOfferPoll") && q.run().name().equals(r.run().name())
                        && q.paramString().equals(r.paramString()) && q.primary().score() > 0) {
                    rows.append("| ").append(Fmt.cell(r.paramString())).append(" | ").append(Fmt.num(r.primary().score()))
                            .append(" | ").append(Fmt.num(q.primary().score())).append(" | ")
                            .append(Fmt.num(r.primary().score() / q.primary().score())).append("x | ")
                            .append(r.run().name()).append(" |\n");
                }
            }
        }
        if (rows.length() > 0) {
            sb.append("Owner put + get through runnext vs JCTools SpmcArrayQueue offer + poll, same run:\n\n"
                    + "| params | runnext ns | SPMC ns | ratio | run |\n|---|---|---|---|---|\n").append(rows).append('\n');
        }
    }

    /** StealBench.steal per G moved: one op moves ceil(len/2) Gs (plus one put). */
    private static void stealPerG(StringBuilder sb, List<JmhEntry> es) {
        StringBuilder rows = new StringBuilder();
        for (JmhEntry e : es) {
            String len = e.param("len");
            if (!e.method().equals("steal") || len == null) {
                continue;
            }
            int n = Integer.parseInt(len);
            int moved = n - n / 2;
            rows.append("| ").append(len).append(" | ").append(moved).append(" | ").append(Fmt.withErr(e.primary()))
                    .append(" | ").append(Fmt.num(e.primary().score() / moved)).append(" | ").append(e.run().name())
                    .append(" |\n");
        }
        if (rows.length() > 0) {
            sb.append("One steal of ceil(len/2) Gs from a queue of len, plus one put, no refill (two queues take "
                    + "turns as victim and thief):\n\n| len | Gs moved | ns per steal | ns per G | run |\n"
                    + "|---|---|---|---|---|\n").append(rows).append('\n');
        }
    }

}
