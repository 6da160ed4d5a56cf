package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Runs per cell sized by power (issue 22, item 2): for each latency workload, the real-Go runs per cell that
 * would detect a {@link Stats#TARGET_EFFECT} ratio (two-sided 5 %, power 80 %) in every compared cell of the
 * reference (defer against none and against cpu_control, P50 and P95 from the workload's own timestamps or
 * StealLatency's fast-start share ({@link Magnitude#metrics}), at
 * every GOMAXPROCS measured), from the noise those cells measured ({@link Stats#runsToDetect}), capped by the
 * time budget of a paired session's real-Go block ({@link #BLOCK_BUDGET_S}, from the runs' measured wall
 * time). scripts/run.sh paired reads the plan from {@code scripts/lib/power-plan.tsv}, which
 * {@code ReportMain --power-plan} writes from the committed reference before the measured runs; the plan
 * records its source. A workload whose need exceeds the budget is planned at the budget and says so.
 */
public final class PowerPlan {
    /** Seconds of measured real-Go runs one workload may take in a paired session. */
    static final double BLOCK_BUDGET_S = 150;
    /** The fewest runs per cell planned (what a verdict needs). */
    static final int FLOOR = Stats.MIN_RUNS;
    /** The most runs per cell planned for a cheap workload (issue 22: 30-100). */
    static final int CEILING = 100;
    static final List<String> CONTROLS = List.of("none", "cpu_control");

    private PowerPlan() {
    }

    /**
     * One workload's plan.
     *
     * @param needed  the most runs per cell any compared cell needs for the target effect (-1: no interval)
     * @param worst   the cell that needs them ("GOMAXPROCS=2 P95 defer/cpu_control")
     * @param cells   the cells (GOMAXPROCS x treatments) one run of the workload's block covers
     * @param wallS   the median wall time of one run, in seconds
     * @param planned runs per cell planned: needed, within [FLOOR, CEILING] and the block's budget
     * @param capped  whether the budget or the ceiling holds the plan below the need
     */
    public record Row(String workload, int needed, String worst, int cells, double wallS, int planned, boolean capped) {
        public String tsv() {
            return String.format(Locale.ROOT, "%s\t%d\t%d\t%s\t%.3f\t%s", workload, planned, needed, capped ? "budget" : "power",
                    wallS, worst);
        }
    }

    /** The plan for every workload real Go measured, in the suite's order. */
    public static List<Row> of(RealGo g) {
        List<Row> rows = new ArrayList<>();
        if (g == null) {
            return rows;
        }
        for (String bench : Cells.LATENCY_BENCHES) {
            String w = RealGo.workloadOf(bench);
            if (g.procs(w).isEmpty()) {
                continue;
            }
            int needed = -1;
            String worst = "";
            int cells = 0;
            List<Double> walls = new ArrayList<>();
            for (int procs : g.procs(w)) {
                cells += g.treatments(w).size();
                for (String t : g.treatments(w)) {
                    g.of(w, procs, t).forEach(r -> walls.add(r.wallMs() / 1000));
                }
                for (String metric : Magnitude.metrics(bench)) {
                    ToDoubleFunction<RealGo.Run> f = RealGo.figure(metric);
                    for (String control : CONTROLS) {
                        EffectRule.Judged j = EffectRule.go(g, w, procs, "defer", control, f);
                        int n = j.missing() ? -1 : Stats.runsToDetect(j.ratio(), Stats.TARGET_EFFECT);
                        if (n > needed) {
                            needed = n;
                            worst = "GOMAXPROCS=" + procs + " " + metric.substring(metric.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT)
                                    + " defer/" + control;
                        }
                    }
                }
            }
            double wall = walls.isEmpty() ? 0 : Stats.median(walls.stream().mapToDouble(Double::doubleValue).toArray());
            int budget = wall > 0 && cells > 0 ? (int) Math.floor(BLOCK_BUDGET_S / (wall * cells)) : CEILING;
            int cap = Math.max(FLOOR, Math.min(CEILING, budget));
            int planned = Math.max(FLOOR, Math.min(cap, needed < 0 ? FLOOR : needed));
            rows.add(new Row(w, needed, worst, cells, wall, planned, needed > cap));
        }
        return rows;
    }

    /** The plan as scripts/lib/power-plan.tsv: a header naming its source, then one line per workload. */
    public static String tsv(RealGo g) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Runs per cell for realgo in scripts/run.sh paired (issue 22, item 2), written by ReportMain --power-plan\n");
        sb.append("# from ").append(g == null ? "no real-Go document" : g.run.name() + " (" + g.goVersion + ")")
                .append(": the runs that detect x").append(Fmt.num(Stats.TARGET_EFFECT))
                .append(" (two-sided 5 %, power 80 %) in every compared cell, within ").append(FLOOR).append("..")
                .append(CEILING).append(" and ").append(Fmt.num(BLOCK_BUDGET_S)).append(" s of runs per workload.\n");
        sb.append("# workload\truns\tneeded\tlimited_by\twall_s_per_run\tneediest_cell\n");
        for (Row r : of(g)) {
            sb.append(r.tsv()).append('\n');
        }
        return sb.toString();
    }
}
