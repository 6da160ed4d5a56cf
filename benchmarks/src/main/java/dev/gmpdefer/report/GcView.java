package dev.gmpdefer.report;

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
final class GcView {
    /** The workloads the GC reference run measures (issue 9). */
    static final List<String> BENCHES = List.of("ArticleGoschedBench", "FanoutBench", "DeferStarvationBench");
    static final List<String> TREATMENTS = List.of("none", "defer", "cpu_control", "alloc_control");
    /** A defer / cpu_control P95 ratio above this is "a tail beyond the control". */
    static final double TAIL = 1.25;

    private GcView() {
    }

    static void render(StringBuilder sb, ResultStore store, RealGo realGo) {
        sb.append("## GC: the model beside real Go\n\n");
        sb.append("The model's GC (docs/gc.md) at `gogc=100` against the same model without cycles (`gogc=off`, "
                + "what every other table shows), and real Go (GOGC=100) on the same workload. Per run: GC cycles, "
                + "stop-the-world time (both pauses, summed), assists parked and assists woken onto the global "
                + "queue at mark termination (the model's C9 route). Rule, fixed before the numbers: a defer / "
                + "cpu_control P95 ratio above " + Fmt.num(TAIL) + " is a tail beyond the control's CPU; the model "
                + "and real Go agree when both are above it or both are not.\n\n");
        boolean any = false;
        for (String bench : BENCHES) {
            List<JmhEntry> all = store.of(bench);
            List<JmhEntry> on = all.stream().filter(e -> "100".equals(e.param(LatencyView.GOGC)))
                    .collect(Collectors.toList());
            if (on.isEmpty()) {
                continue;
            }
            any = true;
            for (String procs : ResultStore.values(on, LatencyView.PROCS)) {
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
        double[] ratioOff = new double[2];
        double[] ratioOn = new double[2];
        double[] ratioGo = new double[2];
        for (String t : TREATMENTS) {
            JmhEntry eOn = pick(on, t, procs, "100");
            JmhEntry eOff = pick(all, t, procs, null);
            if (eOn == null && eOff == null) {
                continue;
            }
            Metric p95On = LatencyView.micros(eOn, "sched.latency.p95");
            Metric p95Off = LatencyView.micros(eOff, "sched.latency.p95");
            Metric goP95 = realGo == null || goProcs < 0 ? null : realGo.stat(workload, goProcs, t, RealGo.Run::p95Us, "us");
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
                ratioOff[slot] = score(p95Off);
                ratioOn[slot] = score(p95On);
                ratioGo[slot] = score(goP95);
            }
        }
        sb.append('\n');
        double off = ratio(ratioOff);
        double onR = ratio(ratioOn);
        double go = ratio(ratioGo);
        sb.append("defer / cpu_control P95: model GC off ").append(fmtRatio(off)).append(", model gogc=100 ")
                .append(fmtRatio(onR)).append(", real Go ").append(fmtRatio(go)).append(". ")
                .append(verdict(off, onR, go)).append(' ').append(gcPace(gcDefer)).append("\n\n");
    }

    /**
     * Where the model and real Go agree, by the stated rule, and what the model's own two runs say about
     * the cause (its GC is the only difference between them).
     */
    static String verdict(double off, double on, double go) {
        if (Double.isNaN(on) || Double.isNaN(go)) {
            return "Not comparable: " + (Double.isNaN(on) ? "the model's gogc=100 defer or cpu_control cell" :
                    "real Go's defer or cpu_control runs") + " missing.";
        }
        boolean modelTail = on > TAIL;
        boolean goTail = go > TAIL;
        StringBuilder s = new StringBuilder(modelTail == goTail ? "**Agree**: " : "**Disagree**: ");
        s.append(modelTail ? "the model shows a tail beyond the control" : "the model shows no tail beyond the control")
                .append(goTail ? ", real Go does" : ", real Go does not").append('.');
        if (!Double.isNaN(off)) {
            boolean offTail = off > TAIL;
            if (modelTail && !offTail) {
                s.append(" Without its GC the model's ratio is ").append(fmtRatio(off))
                        .append(": the tail comes with the GC cycles.");
            } else if (modelTail) {
                s.append(" The model has it without its GC too (").append(fmtRatio(off))
                        .append("): not only the GC.");
            } else if (goTail) {
                s.append(" Real Go's tail is not reproduced by the model's GC at this configuration.");
            }
        }
        return s.toString();
    }

    /**
     * The GC's pace under defers in both: cycles and stop-the-world per run, matching when within a factor
     * of {@value #PACE_FACTOR}; and the model's parked assists, which real Go does not count.
     */
    static String gcPace(double[] d) {
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
        cfg.put(LatencyView.PROCS, procs);
        if (gogc != null) {
            cfg.put(LatencyView.GOGC, gogc);
        }
        return LatencyView.find(es, treatment, cfg);
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

    private static double ratio(double[] defCtl) {
        return defCtl[1] > 0 ? defCtl[0] / defCtl[1] : Double.NaN;
    }

    private static String fmtRatio(double r) {
        return Double.isNaN(r) ? "n/a" : Fmt.num(r) + "x";
    }
}
