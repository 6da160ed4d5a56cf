package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where defer's extra CPU goes in situ, by live-record count (issue 19, item 5): ArticleGosched at
 * GOMAXPROCS 4 with 100, 1,000 and 10,000 goroutines (100 k, 1 M and 10 M records live at the peak). Real
 * Go's extra process CPU per defer over {@code none}, split by differences of its treatments: the GC
 * ({@code defer − defer_gcoff}), the allocation of records ({@code defer_gcoff − defer_primed}: the central
 * pool filled before the run) and the defer operations themselves ({@code defer_primed − none}). Beside it the
 * model's, from its experiment of the same name ({@code scripts/run.sh footprints}, a store of its own that
 * decides nothing else): extra M CPU per defer, the part its GC adds ({@code gogc=100 − gogc=off}), the
 * allocation it charges (mallocgc's CPU at real Go's measured rates, {@code malloc.cpu.ms}) and the rest (its
 * defer operations). Medians of the runs.
 */
public final class FootprintView {
    public static final String EXPERIMENT = "footprints";
    static final String WORKLOAD = "ArticleGosched";
    static final String BENCH = "ArticleGoschedBench";
    static final int PROCS = 4;

    private FootprintView() {
    }

    public static void render(StringBuilder sb, List<RealGo> all, ResultStore store) {
        List<RealGo> docs = RealGo.experiments(all, EXPERIMENT);
        if (docs.isEmpty()) {
            return;
        }
        RealGo g = docs.get(0);
        ResultStore model = store.experiment(EXPERIMENT);
        sb.append("## Where defer's CPU goes in situ\n\n");
        sb.append("ArticleGosched at GOMAXPROCS ").append(PROCS).append(", 10 defers per loop, by the number of records "
                + "live at the peak (goroutines x 100 loops x 10). Real Go (`").append(g.run.name()).append("`, ")
                .append(g.goVersion).append(", ").append(g.numCpu).append(" CPUs): extra process CPU per defer over "
                + "`none`, split by differences of its treatments: **GC** = defer − defer_gcoff, **allocation** = "
                + "defer_gcoff − defer_primed (the central defer pool filled before the run), **defer operations** = "
                + "defer_primed − none. The model (its `footprints` experiment, `scripts/run.sh footprints`): extra M "
                + "CPU per defer (defer − none, GOGC=100), **GC** = GOGC=100 − GOGC=off, **allocation** = the mallocgc "
                + "CPU it charges at real Go's measured rates (`malloc.cpu.ms`, docs/gc.md), **defer operations** = the "
                + "rest. Every run of either starts after a forced collection that returns the heap to the OS. "
                + "Medians of the runs, ns per defer.\n\n");
        Md.Table t = new Md.Table("records at peak", "Go runs per cell", "Go: extra per defer", "Go: GC",
                "Go: allocation", "Go: defer operations", "Go: GC share", "model runs per cell", "model: extra per defer",
                "model: GC", "model: allocation", "model: defer operations", "model: GC share");
        SortedSet<Integer> gs = new TreeSet<>();
        for (RealGo.Run r : g.runs) {
            if (r.workload().equals(WORKLOAD) && r.procs() == PROCS && r.params().containsKey("goroutines")) {
                gs.add(r.params().get("goroutines"));
            }
        }
        for (int gor : gs) {
            Map<String, Integer> p = paramsOf(g, gor);
            long defers = (long) gor * p.getOrDefault("loops", 100) * p.getOrDefault("density", 10);
            double none = cpu(g, gor, "none");
            double def = cpu(g, gor, "defer");
            double off = cpu(g, gor, "defer_gcoff");
            double primed = cpu(g, gor, "defer_primed");
            int n = g.runs.stream().filter(r -> matches(r, gor) && r.treatment().equals("defer")).mapToInt(r -> 1).sum();
            double extra = perDefer(def - none, defers);
            double gc = perDefer(def - off, defers);
            Model m = model(model, gor, defers);
            double mOps = m.extra() - m.gc() - m.alloc();
            t.row(String.format(Locale.ROOT, "%,d", defers), Integer.toString(n), ns(extra), ns(gc),
                    ns(perDefer(off - primed, defers)), ns(perDefer(primed - none, defers)), share(gc, extra),
                    m.runs(), ns(m.extra()), ns(m.gc()), ns(m.alloc()), ns(mOps), share(m.gc(), m.extra()));
        }
        sb.append(t).append('\n');
        for (RunInfo r : model.runs()) {
            sb.append("Model run `").append(r.name()).append("`: ").append(r.date()).append(", ").append(r.machine())
                    .append(", ").append(r.jdk()).append(", commit ").append(r.commit()).append(", `")
                    .append(r.jmhArgs()).append("`.\n");
        }
        if (model.runs().isEmpty()) {
            sb.append("The model's side is not measured yet (`scripts/run.sh --reference footprints`).\n");
        } else {
            sb.append("Real Go run: ").append(g.run.date()).append(". Compare model and real Go only where the two "
                    + "dates are one session of one machine (docs/realgo.md).\n");
        }
        sb.append('\n');
    }

    /** The model's extra M CPU per defer, the parts its GC and its charged mallocgc add (ns per defer), runs. */
    record Model(double extra, double gc, double alloc, String runs) {
    }

    private static boolean matches(RealGo.Run r, int goroutines) {
        return r.workload().equals(WORKLOAD) && r.procs() == PROCS
                && Integer.valueOf(goroutines).equals(r.params().get("goroutines"));
    }

    private static Map<String, Integer> paramsOf(RealGo g, int goroutines) {
        return g.runs.stream().filter(r -> matches(r, goroutines)).map(RealGo.Run::params).findFirst().orElse(Map.of());
    }

    /** Median process CPU (ms) of a cell's runs; NaN without runs. */
    private static double cpu(RealGo g, int goroutines, String treatment) {
        double[] v = g.runs.stream().filter(r -> matches(r, goroutines) && r.treatment().equals(treatment))
                .mapToDouble(RealGo.Run::cpuMs).filter(x -> !Double.isNaN(x)).toArray();
        return v.length == 0 ? Double.NaN : Stats.median(v);
    }

    private static double perDefer(double ms, long defers) {
        return ms * 1e6 / defers;
    }

    private static Model model(ResultStore store, int goroutines, long defers) {
        JmhEntry on = cell(store, goroutines, "defer", Parameter.GOGC_DEFAULT);
        if (on == null) {
            return new Model(Double.NaN, Double.NaN, Double.NaN, "not measured");
        }
        JmhEntry none = cell(store, goroutines, "none", Parameter.GOGC_DEFAULT);
        JmhEntry off = cell(store, goroutines, "defer", Parameter.OFF);
        double d = median(Cells.cpu(on));
        double extra = none == null ? Double.NaN : perDefer(d - median(Cells.cpu(none)), defers);
        double gc = off == null ? Double.NaN : perDefer(d - median(Cells.cpu(off)), defers);
        double alloc = perDefer(median(on.metric(MALLOC_CPU)), defers);
        Metric m = Cells.cpu(on);
        String runs = m == null || m.runs() == null ? "n/a" : Integer.toString(m.runs().length);
        return new Model(extra, gc, alloc, runs);
    }

    /** The model's charged mallocgc CPU per run (ms), RunMetrics' name. */
    static final String MALLOC_CPU = "malloc.cpu.ms";

    /** The experiment's ArticleGosched cell at GOMAXPROCS 4 with this footprint, treatment and GOGC; null if absent. */
    private static JmhEntry cell(ResultStore store, int goroutines, String treatment, String gogc) {
        for (JmhEntry e : store.of(BENCH)) {
            if (treatment.equals(e.param(Parameter.TREATMENT.id)) && gogc.equals(Cells.gogc(e.param(Parameter.GOGC.id)))
                    && String.valueOf(goroutines).equals(e.param("goroutines"))
                    && String.valueOf(PROCS).equals(e.param(Parameter.PROCS.id))) {
                return e;
            }
        }
        return null;
    }

    private static double median(Metric m) {
        return m == null ? Double.NaN : VerdictRules.median(m);
    }

    private static String ns(double v) {
        return Double.isNaN(v) ? "n/a" : Fmt.num(v) + " ns";
    }

    private static String share(double part, double whole) {
        return Double.isNaN(part) || Double.isNaN(whole) || !(whole > 0) ? "n/a" : Fmt.pct(part / whole);
    }
}
