package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The report's "GC: the model beside real Go" section: for the workloads measured with the model's GC on
 * ({@code gogc=100}) and off, each treatment's P95 scheduling latency, GC cycles per run and stop-the-world
 * time per run, beside real Go's for the same workload; then, per workload, the defer / cpu_control P95
 * ratio in the model with and without its GC and in real Go, and whether they agree, decided by the rule
 * stated in the section (not by hand).
 */
public final class GcView {
    /** The workloads the GC reference run measures (issue 9). */
    static final List<String> BENCHES = List.of("ArticleGoschedBench", "FanoutBench", "DeferStarvationBench");
    static final List<String> TREATMENTS = List.of("none", "defer", "cpu_control", "alloc_control");
    private static final String P95 = "sched.latency.p95";

    private GcView() {
    }

    static void render(StringBuilder sb, ResultStore store, RealGo realGo) {
        sb.append("## GC: the model beside real Go\n\n");
        sb.append("The model's GC (docs/gc.md) at `gogc=100` against the same model without cycles (`gogc=off`, "
                + "a what-if; the other tables show gogc=100 where it was measured), and real Go (GOGC=100) on the same workload. Per run: GC cycles, "
                + "stop-the-world time (both pauses, summed), assists parked and assists woken onto the global "
                + "queue at mark termination (the model's C9 route). Rule, fixed before the numbers, the same as the "
                + "agreement table's: the defer / cpu_control P95 ratio of the run medians with a bootstrap 95 % "
                + "interval is a tail beyond the control (up) when the interval lies above +"
                + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " %, none when it lies within ±"
                + Fmt.num(VerdictRules.EQUIVALENCE_MARGIN * 100) + " %, ? otherwise; the model and real Go "
                + "agree when both are decided and the same.\n\n");
        boolean any = false;
        for (String bench : BENCHES) {
            List<JmhEntry> all = store.of(bench);
            List<JmhEntry> on = all.stream().filter(e -> Parameter.GOGC_DEFAULT.equals(e.param(Parameter.GOGC.id)))
                    .collect(Collectors.toList());
            if (on.isEmpty()) {
                continue;
            }
            any = true;
            for (String procs : ResultStore.values(on, Parameter.PROCS.id)) {
                table(sb, bench, procs, all, on, realGo);
            }
        }
        if (!any) {
            sb.append("No committed run with `gogc=100` yet (`scripts/run.sh --reference --label gc latency -p "
                    + "gogc=100,off ...`).\n\n");
        }
    }

    private static void table(StringBuilder sb, String bench, String procs, List<JmhEntry> all, List<JmhEntry> on,
                              RealGo realGo) {
        String workload = RealGo.workloadOf(bench);
        int p = Integer.parseInt(procs);
        int goProcs = realGo == null ? -1 : realGo.nearestProcs(workload, p);
        sb.append("### ").append(bench).append(", procs=").append(procs).append("\n\n");
        if (goProcs > 0 && goProcs != p) {
            sb.append("Real Go was measured at GOMAXPROCS=").append(goProcs).append(" only: its columns are that.\n\n");
        }
        sb.append("| treatment | model p95 us, GC off | model p95 us, gogc=100 | model cycles/run | model STW us/run "
                + "| model assist parks/run | model global wakes/run | real Go p95 us | real Go cycles/run "
                + "| real Go STW us/run | runs |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        double[] gcDefer = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        JmhEntry[] offCells = new JmhEntry[2]; // defer, cpu_control with the model's GC off
        JmhEntry[] onCells = new JmhEntry[2];
        for (String t : TREATMENTS) {
            JmhEntry eOn = pick(on, t, procs, Parameter.GOGC_DEFAULT);
            JmhEntry eOff = pick(all, t, procs, null);
            if (eOn == null && eOff == null) {
                continue;
            }
            Metric p95On = Cells.micros(eOn, P95);
            Metric p95Off = Cells.micros(eOff, P95);
            Metric goP95 = realGo == null || goProcs < 0 ? null : realGo.stat(workload, goProcs, t, RealGo.figure(P95), "us");
            Metric goCycles = realGo == null || goProcs < 0 ? null
                    : realGo.stat(workload, goProcs, t, r -> r.gcCycles(), "count");
            Metric goStw = realGo == null || goProcs < 0 ? null : realGo.stat(workload, goProcs, t, RealGo.Run::stwUs, "us");
            sb.append("| ").append(t).append(" | ").append(cell(p95Off)).append(" | ").append(cell(p95On)).append(" | ")
                    .append(cell(metric(eOn, "gc.cycles"))).append(" | ").append(cell(metric(eOn, "gc.stw.us")))
                    .append(" | ").append(cell(metric(eOn, "gc.assist.parks"))).append(" | ")
                    .append(cell(metric(eOn, "gc.assist.global.wakes"))).append(" | ").append(cell(goP95)).append(" | ")
                    .append(cell(goCycles)).append(" | ").append(cell(goStw)).append(" | ")
                    .append(eOn == null ? "n/a" : eOn.run().name()).append(" |\n");
            if (t.equals("defer")) { // model cycles, STW, parks, global wakes; real Go cycles, STW
                gcDefer = new double[] {score(metric(eOn, "gc.cycles")), score(metric(eOn, "gc.stw.us")),
                    score(metric(eOn, "gc.assist.parks")), score(metric(eOn, "gc.assist.global.wakes")),
                    score(goCycles), score(goStw)};
            }
            int slot = t.equals("defer") ? 0 : t.equals("cpu_control") ? 1 : -1;
            if (slot >= 0) {
                offCells[slot] = eOff;
                onCells[slot] = eOn;
            }
        }
        sb.append('\n');
        EffectRule.Judged rOff = EffectRule.model(offCells[0], offCells[1], P95);
        EffectRule.Judged rOn = EffectRule.model(onCells[0], onCells[1], P95);
        EffectRule.Judged rGo = realGo == null || goProcs < 0 ? EffectRule.judge(null, null)
                : EffectRule.go(realGo, workload, goProcs, "defer", "cpu_control", RealGo.figure(P95));
        sb.append("defer / cpu_control P95: model GC off ").append(fmtRatio(rOff)).append(", model gogc=100 ")
                .append(fmtRatio(rOn)).append(", real Go ").append(fmtRatio(rGo)).append(". ")
                .append(verdict(rOff.effect(), rOn.effect(), rGo.effect())).append(' ').append(gcPace(gcDefer))
                .append("\n\n");
    }

    /**
     * Where the model and real Go agree, by the stated rule (each side's direction: up, down, none or ?),
     * and what the model's own two runs say about the cause (its GC is the only difference between them).
     */
    public static String verdict(EffectRule.Effect off, EffectRule.Effect on, EffectRule.Effect go) {
        if (!on.decided() || !go.decided()) {
            EffectRule.Effect open = !on.decided() ? on : go;
            return "**Undecided**: " + (!on.decided() ? "the model's" : "real Go's") + (open
                    == EffectRule.Effect.UNMATCHED ? " control did not burn defer's CPU (unmatched: decides nothing)."
                    : " effect is not decided by its runs (more runs per cell needed).");
        }
        StringBuilder s = new StringBuilder(on == go ? "**Agree**" : "**Disagree**");
        s.append(": the model's effect with its GC is ").append(EffectRule.word(on)).append(", real Go's is ")
                .append(EffectRule.word(go)).append('.');
        if (on == EffectRule.Effect.UP && off != EffectRule.Effect.UP) {
            s.append(" With its GC off the model's is ").append(EffectRule.word(off))
                    .append(": the tail comes with the GC cycles.");
        } else if (on == EffectRule.Effect.UP) {
            s.append(" The model has it with its GC off too: not only the GC.");
        } else if (go == EffectRule.Effect.UP) {
            s.append(" Real Go's tail is not reproduced by the model's GC here.");
        }
        return s.toString();
    }

    /**
     * The GC's pace under defers in both: cycles and stop-the-world per run, matching when within a factor
     * of {@value #PACE_FACTOR}; and the model's parked assists, which real Go does not count.
     */
    public static String gcPace(double[] d) {
        double mc = d[0];
        double ms = d[1];
        double gc = d[4];
        double gs = d[5];
        if (Double.isNaN(mc) || Double.isNaN(gc)) {
            return "";
        }
        StringBuilder s = new StringBuilder("Under defers, GC cycles per run: model ").append(Fmt.num(mc))
                .append(", real Go ").append(Fmt.num(gc));
        if (!Double.isNaN(ms) && !Double.isNaN(gs)) {
            s.append("; stop-the-world per run: model ").append(Fmt.num(ms)).append(" us, real Go ").append(Fmt.num(gs))
                    .append(" us");
        }
        boolean paceMatches = within(mc, gc) && (Double.isNaN(ms) || Double.isNaN(gs) || within(ms, gs));
        s.append(paceMatches ? " (the GC's pace and pauses match)." : " (they differ).");
        if (d[2] > 0) {
            s.append(" In the model ").append(Fmt.num(d[2])).append(" assists per run park and ").append(Fmt.num(d[3]))
                    .append(" are woken onto the global queue at mark termination; real Go does not count these.");
        }
        return s.toString();
    }

    static final double PACE_FACTOR = 1.5;

    private static boolean within(double a, double b) {
        if (a == 0 && b == 0) {
            return true;
        }
        if (a <= 0 || b <= 0) {
            return false;
        }
        return Math.max(a, b) / Math.min(a, b) <= PACE_FACTOR;
    }

    private static JmhEntry pick(List<JmhEntry> es, String treatment, String procs, String gogc) {
        SortedMap<String, String> cfg = new TreeMap<>();
        cfg.put(Parameter.PROCS.id, procs);
        if (gogc != null) {
            cfg.put(Parameter.GOGC.id, gogc);
        }
        return Cells.find(es, treatment, cfg);
    }

    private static Metric metric(JmhEntry e, String name) {
        return e == null ? null : e.metric(name);
    }

    private static String cell(Metric m) {
        return m == null || Double.isNaN(m.score()) ? "n/a" : Fmt.withErr(m);
    }

    private static double score(Metric m) {
        return m == null ? Double.NaN : m.score();
    }

    private static String fmtRatio(EffectRule.Judged j) {
        Stats.Ratio r = j.ratio();
        if (r == null) {
            return "n/a";
        }
        return Fmt.num(r.ratio()) + "x" + (Double.isNaN(r.lo()) ? "" : " [" + Fmt.num(r.lo()) + ", " + Fmt.num(r.hi()) + "]")
                + " (" + EffectRule.word(j.effect()) + ")";
    }
}
