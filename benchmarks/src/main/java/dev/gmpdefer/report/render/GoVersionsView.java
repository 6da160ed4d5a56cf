package dev.gmpdefer.report.render;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Real Go versions side by side (issue 20): one stand-alone realgo run per Go version and GOEXPERIMENT
 * ({@link RealGo#versions}), newest first. The newest Go decides claims about Go ({@link RealGo#load});
 * Go 1.19 is the "before Go 1.21" column (no wakep/needspinning, a 72-byte {@code _defer} record in the
 * 80-byte size class), a {@code GOEXPERIMENT=nogreenteagc} build varies the GC's cost alone. Shown: Go's
 * cost per defer by kind (C17), each workload's P95 ratios with their bootstrap 95 % intervals, and GC
 * cycles per run.
 */
public final class GoVersionsView {
    private GoVersionsView() {
    }

    static void render(StringBuilder sb, List<RealGo> versions) {
        if (versions.size() < 2) {
            return;
        }
        sb.append("## Real Go versions side by side\n\n");
        sb.append("The newest Go decides the claims about Go that the paired sessions did not measure (").append(versions.get(0).goLabel())
                .append(", folder `").append(versions.get(0).run.name()).append("`); the other columns show "
                        + "what changed: Go 1.19 is the \"before Go 1.21\" column (no `needspinning`, a 72-byte "
                        + "`_defer` record in the 80-byte size class), a `nogreenteagc` build is Go 1.26 with its "
                        + "previous garbage collector. Each column is one stand-alone realgo run on this "
                        + "project's 2-core machine:");
        for (RealGo g : versions) {
            sb.append(" `").append(g.run.name()).append("` (").append(g.goLabel()).append(", ")
                    .append(g.runsPerCell).append(" runs per cell)");
        }
        sb.append(". Different folders are different sessions: compare ratios within a column, not absolute "
                + "figures across columns.\n\n");
        costs(sb, versions);
        ratios(sb, versions);
        gc(sb, versions);
    }

    private static void header(StringBuilder sb, String first, List<RealGo> versions) {
        sb.append("| ").append(first);
        for (RealGo g : versions) {
            sb.append(" | ").append(g.goLabel());
        }
        sb.append(" |\n|---");
        for (int i = 0; i < versions.size(); i++) {
            sb.append("|---");
        }
        sb.append("|\n");
    }

    /** C17: ns per defer (per call for the plain call) by kind, from testing.Benchmark. */
    private static void costs(StringBuilder sb, List<RealGo> versions) {
        List<String> names = new ArrayList<>();
        for (RealGo g : versions) {
            for (RealGo.Cost c : g.costs) {
                if (!names.contains(c.name())) {
                    names.add(c.name());
                }
            }
        }
        if (names.isEmpty()) {
            return;
        }
        sb.append("Go's cost per defer (ns per defer; the plain call per call), `testing.Benchmark` in realgo:\n\n");
        header(sb, "benchmark", versions);
        for (String n : names) {
            sb.append("| ").append(n);
            for (RealGo g : versions) {
                RealGo.Cost c = g.costs.stream().filter(x -> x.name().equals(n)).findFirst().orElse(null);
                sb.append(" | ").append(c == null ? "n/a" : Fmt.num(c.ns()));
            }
            sb.append(" |\n");
        }
        sb.append('\n');
    }

    /** The latency figure of a run: its own timestamps' P95 where the workload has them, else the runtime's. */
    static final ToDoubleFunction<RealGo.Run> P95 = r -> r.own() != null ? r.own().p95Us() : r.p95Us();

    private static void ratios(StringBuilder sb, List<RealGo> versions) {
        sb.append("P95 wait (the workload's own timestamps; the runtime histogram where a workload has none), "
                + "ratio of the run medians with its bootstrap 95 % interval, defer / cpu_control and defer / none:\n\n");
        header(sb, "workload, GOMAXPROCS, ratio", versions);
        RealGo first = versions.get(0);
        for (String w : first.workloadNames()) {
            for (int procs : first.procs(w)) {
                for (String base : List.of("cpu_control", "none")) {
                    sb.append("| ").append(w).append(", ").append(procs).append(", defer / ").append(base);
                    for (RealGo g : versions) {
                        Stats.Ratio r = EffectRule.ratio(EffectRule.goRuns(g, w, procs, "defer", P95),
                                EffectRule.goRuns(g, w, procs, base, P95));
                        sb.append(" | ").append(r == null ? "n/a"
                                : Fmt.ratio(r.ratio()) + " [" + Fmt.num(r.lo()) + ", " + Fmt.num(r.hi()) + "]");
                    }
                    sb.append(" |\n");
                }
            }
        }
        sb.append('\n');
    }

    private static void gc(StringBuilder sb, List<RealGo> versions) {
        sb.append("GC cycles per run (mean), none / defer:\n\n");
        header(sb, "workload, GOMAXPROCS", versions);
        RealGo first = versions.get(0);
        for (String w : first.workloadNames()) {
            for (int procs : first.procs(w)) {
                sb.append("| ").append(w).append(", ").append(procs);
                for (RealGo g : versions) {
                    Metric n = g.stat(w, procs, "none", r -> r.gcCycles(), "count");
                    Metric d = g.stat(w, procs, "defer", r -> r.gcCycles(), "count");
                    sb.append(" | ").append(n == null ? "n/a" : Fmt.num(n.score())).append(" / ")
                            .append(d == null ? "n/a" : Fmt.num(d.score()));
                }
                sb.append(" |\n");
            }
        }
        sb.append('\n');
    }
}
