package dev.gmpdefer.report;

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
 * model's extra M CPU per defer and the part its GC adds ({@code gogc=100 − gogc=off}), from the reference's
 * cells of the same footprint (their run folders named). Medians of the runs; each side from its own session.
 */
final class FootprintView {
    static final String EXPERIMENT = "footprints";
    static final String WORKLOAD = "ArticleGosched";
    static final String BENCH = "ArticleGoschedBench";
    static final int PROCS = 4;

    private FootprintView() {
    }

    static void render(StringBuilder sb, List<RealGo> all, ResultStore store) {
        List<RealGo> docs = RealGo.experiments(all, EXPERIMENT);
        if (docs.isEmpty()) {
            return;
        }
        RealGo g = docs.get(0);
        sb.append("## Where defer's CPU goes in situ\n\n");
        sb.append("ArticleGosched at GOMAXPROCS ").append(PROCS).append(", 10 defers per loop, by the number of records "
                + "live at the peak (goroutines x 100 loops x 10). Real Go (`").append(g.run.name()).append("`, ")
                .append(g.goVersion).append(", ").append(g.numCpu).append(" CPUs): extra process CPU per defer over "
                + "`none`, split by differences of its treatments: **GC** = defer − defer_gcoff, **allocation** = "
                + "defer_gcoff − defer_primed (the central defer pool filled before the run), **defer operations** = "
                + "defer_primed − none. The model: extra M CPU per defer (defer − none, GOGC=100) and the part its "
                + "GC adds (GOGC=100 − GOGC=off), from the reference's cells (the last column names their run folders). Medians of the runs, ns per "
                + "defer; the two sides come from different sessions (compare shares, not nanoseconds).\n\n");
        Md.Table t = new Md.Table("records at peak", "Go runs per cell", "Go: extra per defer", "Go: GC",
                "Go: allocation", "Go: defer operations", "Go: GC share", "model: extra per defer", "model: GC",
                "model: GC share", "model run");
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
            Model m = model(store, gor, defers);
            t.row(String.format(Locale.ROOT, "%,d", defers), Integer.toString(n), ns(extra), ns(gc),
                    ns(perDefer(off - primed, defers)), ns(perDefer(primed - none, defers)), share(gc, extra),
                    ns(m.extra()), ns(m.gc()), share(m.gc(), m.extra()), m.run());
        }
        sb.append(t).append('\n');
    }

    /** The model's extra M CPU per defer, the part its GC adds (ns per defer) and the run folder. */
    record Model(double extra, double gc, String run) {
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
        List<JmhEntry> es = store.of(BENCH);
        for (JmhEntry on : es) {
            if (!"defer".equals(on.param(LatencyView.TREATMENT)) || !"100".equals(on.param(LatencyView.GOGC))
                    || !String.valueOf(goroutines).equals(on.param("goroutines"))
                    || !String.valueOf(PROCS).equals(on.param(LatencyView.PROCS))) {
                continue;
            }
            JmhEntry none = same(es, on, "none", "100");
            JmhEntry off = same(es, on, "defer", null);
            java.util.SortedSet<String> folders = new TreeSet<>();
            for (JmhEntry x : new JmhEntry[] {on, none, off}) {
                if (x != null) {
                    folders.add(x.run().name());
                }
            }
            String run = String.join(" + ", folders);
            double d = median(on);
            double extra = none == null ? Double.NaN : perDefer(d - median(none), defers);
            double gc = off == null ? Double.NaN : perDefer(d - median(off), defers);
            return new Model(extra, gc, run);
        }
        return new Model(Double.NaN, Double.NaN, "not measured");
    }

    /**
     * The reference's entry with the parameters of {@code e} but this treatment and GOGC (null: off); it may
     * come from another run folder (the table names the folders).
     */
    private static JmhEntry same(List<JmhEntry> es, JmhEntry e, String treatment, String gogc) {
        for (JmhEntry x : es) {
            if (!treatment.equals(x.param(LatencyView.TREATMENT))
                    || !java.util.Objects.equals(gogc, x.param(LatencyView.GOGC))) {
                continue;
            }
            java.util.SortedMap<String, String> a = new java.util.TreeMap<>(x.params());
            java.util.SortedMap<String, String> b = new java.util.TreeMap<>(e.params());
            for (var m : new java.util.SortedMap[] {a, b}) {
                m.remove(LatencyView.TREATMENT);
                m.remove(LatencyView.GOGC);
            }
            if (a.equals(b)) {
                return x;
            }
        }
        return null;
    }

    private static double median(JmhEntry e) {
        Metric m = LatencyView.cpu(e);
        return m == null ? Double.NaN : VerdictRules.median(m);
    }

    private static String ns(double v) {
        return Double.isNaN(v) ? "n/a" : Fmt.num(v) + " ns";
    }

    private static String share(double part, double whole) {
        return Double.isNaN(part) || Double.isNaN(whole) || !(whole > 0) ? "n/a" : Fmt.pct(part / whole);
    }
}
