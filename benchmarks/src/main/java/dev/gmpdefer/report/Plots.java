package dev.gmpdefer.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * PNG plots (XChart, headless): latency percentiles by treatment for each latency benchmark, and the
 * allocator comparison (ns per defer and bytes per defer by strategy). Which plots exist depends only on the
 * results, so the report can link them without drawing them; the PNG bytes themselves need not be stable.
 */
final class Plots {
    private Plots() {
    }

    /** A plot the report links: its file name under the plots folder and its caption. */
    record Plot(String file, String caption) {
    }

    static final List<String> PERCENTILES = List.of("p50", "p95", "p99");
    /** A percentile a run did not record, drawn at the log axis' floor (1 us). */
    static final double MISSING = 1.0;

    /** The treatments a distribution plot draws. */
    static final List<String> DIST_TREATMENTS = List.of("none", "defer", "cpu_control");

    /** The plots the results call for, in report order. */
    static List<Plot> planned(ResultStore store) {
        return planned(store, null);
    }

    /** The plots the results call for, in report order; real Go's distributions join the model's. */
    static List<Plot> planned(ResultStore store, RealGo realGo) {
        List<Plot> out = new ArrayList<>();
        for (String bench : LatencyView.LATENCY_BENCHES) {
            if (latencySeries(store.of(bench)) != null) {
                out.add(new Plot(bench + "-latency.png", bench + ": scheduling latency percentiles by treatment "
                        + "(medians of the runs, 95 % intervals)"));
            }
            if (!distSeries(store, realGo, bench).isEmpty()) {
                out.add(new Plot(bench + "-distribution.png", bench + ": scheduling latency distribution (percentile "
                        + "curves; x = 1/(1-p), p50 to p99.9), model and real Go"));
            }
        }
        if (!allocRows(store).isEmpty()) {
            out.add(new Plot("DeferAllocBench-ns.png", "DeferAllocBench: ns per defer by strategy"));
            out.add(new Plot("DeferAllocBench-bytes.png", "DeferAllocBench: bytes allocated per defer by strategy"));
        }
        return out;
    }

    /**
     * Treatments x percentile values (µs) under the configuration rule, each the median of the cell's runs
     * with the half-width of its bootstrap 95 % interval on the wider side (the JMH score, without an
     * interval, where the JSON has no runs): rows of {treatment, double[] value, double[] error}; null if
     * nothing to draw.
     */
    private static List<Object[]> latencySeries(List<JmhEntry> es) {
        SortedMap<String, String> cfg = LatencyView.config(es, VerdictRules.ARTICLE_PROCS,
                VerdictRules.ARTICLE_DENSITY);
        if (cfg == null) {
            return null;
        }
        List<Object[]> rows = new ArrayList<>();
        for (String t : LatencyView.treatments(es)) {
            JmhEntry e = LatencyView.find(es, t, cfg);
            double[] v = new double[PERCENTILES.size()];
            double[] err = new double[PERCENTILES.size()];
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                Metric m = e == null ? null : e.metric("sched.latency." + PERCENTILES.get(i));
                double[] runs = m == null ? new double[0] : m.runs();
                if (runs.length >= 2) {
                    Stats.Summary sm = Stats.summary(runs);
                    v[i] = sm.median();
                    err[i] = Math.max(sm.hi() - sm.median(), sm.median() - sm.lo());
                } else {
                    Metric u = LatencyView.micros(e, "sched.latency." + PERCENTILES.get(i));
                    v[i] = u == null ? Double.NaN : u.score();
                }
                boolean ok = !Double.isNaN(v[i]) && v[i] > 0;
                if (!ok) {
                    v[i] = MISSING;
                    err[i] = 0;
                }
                any |= ok;
            }
            if (any) {
                rows.add(new Object[] {t, v, err});
            }
        }
        return rows.isEmpty() ? null : rows;
    }

    private static List<AllocatorTable.Row> allocRows(ResultStore store) {
        return AllocatorTable.rows(store.of(AllocatorTable.BENCH), ClaimBook.load()).stream()
                .filter(r -> !Double.isNaN(r.ns())).collect(Collectors.toList());
    }

    /**
     * Percentile curves (label -> y values at {@link Distributions#X}) of the model's cells under the
     * configuration rule and real Go's at the GOMAXPROCS nearest the article's, for none / defer / cpu_control;
     * empty when neither exported histograms.
     */
    static java.util.Map<String, double[]> distSeries(ResultStore store, RealGo realGo, String bench) {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        List<JmhEntry> es = store.of(bench);
        SortedMap<String, String> cfg = LatencyView.config(es, VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY);
        for (String t : DIST_TREATMENTS) {
            try {
                double[][] h = cfg == null ? null : Distributions.model(store, LatencyView.find(es, t, cfg));
                if (h != null && h.length > 0) {
                    out.put("model " + t, Distributions.curve(h));
                }
            } catch (IOException e) {
                // an unreadable histogram file: the curve is left out (the tables do not depend on it)
            }
        }
        String w = RealGo.workloadOf(bench);
        int gp = realGo == null ? -1 : realGo.nearestProcs(w, VerdictRules.ARTICLE_PROCS);
        for (String t : DIST_TREATMENTS) {
            double[][] h = gp < 0 ? null : Distributions.go(realGo, w, gp, t);
            if (h != null && h.length > 0) {
                out.put("real Go " + t, Distributions.curve(h));
            }
        }
        return out;
    }

    /** Draws every planned plot into {@code dir}; returns the files written. */
    static List<Path> write(ResultStore store, Path dir) throws IOException {
        return write(store, null, dir);
    }

    /** Draws every planned plot into {@code dir}, real Go's distributions included; returns the files written. */
    static List<Path> write(ResultStore store, RealGo realGo, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String bench : LatencyView.LATENCY_BENCHES) {
            List<Object[]> rows = latencySeries(store.of(bench));
            if (rows == null) {
                continue;
            }
            written.add(saveXY(latencyChart(bench + " (" + LatencyView.describe(LatencyView.config(store.of(bench),
                    VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY)) + ")", rows),
                    dir.resolve(bench + "-latency.png")));
        }
        for (String bench : LatencyView.LATENCY_BENCHES) {
            java.util.Map<String, double[]> curves = distSeries(store, realGo, bench);
            if (!curves.isEmpty()) {
                written.add(saveXY(distChart(bench, curves), dir.resolve(bench + "-distribution.png")));
            }
        }
        List<AllocatorTable.Row> rows = allocRows(store);
        if (!rows.isEmpty()) {
            written.add(save(allocChart(rows, false, realGo), dir.resolve("DeferAllocBench-ns.png")));
            written.add(save(allocChart(rows, true, null), dir.resolve("DeferAllocBench-bytes.png")));
        }
        return written;
    }

    /** Categories = strategy (plain call last), series = defers per call (layout 48 when measured). */
    private static CategoryChart allocChart(List<AllocatorTable.Row> rows, boolean bytes, RealGo realGo) {
        List<String> layouts = rows.stream().map(r -> r.entry().param("layout")).filter(x -> x != null).distinct()
                .sorted(ResultStore::compareValues).collect(Collectors.toList());
        String layout = layouts.stream().filter(x -> x.endsWith("48")).findFirst()
                .orElse(layouts.isEmpty() ? null : layouts.get(0)); // "48" or the enum name GO122_48
        List<AllocatorTable.Row> sel = rows.stream()
                .filter(r -> layout == null || r.entry().param("layout") == null
                        || layout.equals(r.entry().param("layout")))
                .collect(Collectors.toList());
        List<String> cats = new ArrayList<>();
        for (AllocatorTable.Row r : sel) {
            String c = AllocatorTable.isBaseline(r.entry()) ? "plain call" : r.strategy();
            if (!cats.contains(c)) {
                cats.add(c);
            }
        }
        List<String> defers = sel.stream().map(r -> r.entry().param("defersPerCall")).filter(x -> x != null).distinct()
                .sorted(ResultStore::compareValues).collect(Collectors.toList());
        if (defers.isEmpty()) {
            defers.add(null);
        }
        CategoryChart chart = chart("DeferAllocBench" + (layout == null ? "" : " (layout " + layout + " B)"),
                "strategy", bytes ? "bytes allocated per defer (gc.alloc.rate.norm)" : "ns per defer");
        for (String d : defers) {
            List<Double> ys = new ArrayList<>();
            for (String c : cats) {
                double y = 0.0;
                for (AllocatorTable.Row r : sel) {
                    String rc = AllocatorTable.isBaseline(r.entry()) ? "plain call" : r.strategy();
                    if (rc.equals(c) && (d == null || d.equals(r.entry().param("defersPerCall")))) {
                        double v = bytes ? r.bytes() : r.ns();
                        y = Double.isNaN(v) ? 0.0 : v;
                        break;
                    }
                }
                ys.add(y);
            }
            chart.addSeries(d == null ? "all" : "defers=" + d, cats, ys);
        }
        if (!bytes && realGo != null) {
            // real Go's cost of the kind of defer each strategy stands for (testing.Benchmark), at 8 per call
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (String c : cats) {
                double v = DeferVsGo.goNs(realGo, c, 8);
                any |= !Double.isNaN(v);
                ys.add(Double.isNaN(v) ? 0.0 : v);
            }
            if (any) {
                chart.addSeries("real Go " + realGo.goVersion + " (8 per call)", cats, ys);
            }
        }
        if (bytes) {
            return chart; // bytes: linear (pooled and stack records allocate 0 B)
        }
        // ns: a log axis, the costs span decades (open-coded ~1 ns, heap records tens to hundreds); a cell
        // without a value sits at the axis floor (no bar), since a log axis cannot draw 0
        double least = chart.getSeriesMap().values().stream().flatMap(x -> x.getYData().stream())
                .mapToDouble(Number::doubleValue).filter(v -> v > 0).min().orElse(1);
        double floor = Math.pow(10, Math.floor(Math.log10(least)));
        CategoryChart log = chart("DeferAllocBench ns per defer (log axis; no bar: not measured)", "strategy",
                "ns per defer");
        for (var e : chart.getSeriesMap().entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (Number n : e.getValue().getYData()) {
                ys.add(n.doubleValue() > 0 ? n.doubleValue() : floor);
            }
            log.addSeries(e.getKey(), cats, ys);
        }
        log.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        log.getStyler().setYAxisLogarithmic(true);
        log.getStyler().setYAxisMin(floor);
        return log;
    }

    /**
     * P50 / P95 / P99 by treatment on a log axis: points at the medians of the runs with error bars of the
     * 95 % interval (its wider side, drawn symmetric: XChart's error bars are symmetric). A dot plot rather
     * than bars, so that the intervals can be drawn on the log axis.
     */
    private static XYChart latencyChart(String title, List<Object[]> rows) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("treatment")
                .yAxisTitle("scheduling latency (us): median of the runs, 95 % interval").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisMin(-0.5);
        chart.getStyler().setXAxisMax(rows.size() - 0.5);
        chart.getStyler().setMarkerSize(9);
        List<String> names = new ArrayList<>();
        for (Object[] r : rows) {
            names.add((String) r[0]);
        }
        // a treatment's name at its whole-number tick; other ticks get distinct invisible labels (XChart drops
        // every tick label when several are the same, e.g. all empty)
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            long i = Math.round(x);
            return Math.abs(x - i) < 0.01 && i >= 0 && i < names.size() ? names.get((int) i)
                    : "\u200B".repeat(1 + (int) Math.max(0, Math.round((x + 2) * 8)));
        });
        double least = Double.MAX_VALUE;
        for (int p = 0; p < PERCENTILES.size(); p++) {
            double[] xs = new double[rows.size()];
            double[] ys = new double[rows.size()];
            double[] es = new double[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                xs[k] = k + (p - 1) * 0.15;
                ys[k] = ((double[]) rows.get(k)[1])[p];
                es[k] = Math.min(((double[]) rows.get(k)[2])[p], 0.95 * ys[k]); // a log axis cannot reach 0
                least = Math.min(least, ys[k] - es[k]);
            }
            chart.addSeries(PERCENTILES.get(p), xs, ys, es);
        }
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(MISSING, least)))));
        return chart;
    }

    /** Percentile curves on log-log axes: x = 1/(1-p) (2 = p50, 10 = p90, 100 = p99, 1000 = p99.9). */
    private static XYChart distChart(String bench, java.util.Map<String, double[]> curves) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(bench + ": scheduling latency by "
                + "percentile").xAxisTitle("1 / (1 - p): 2 = p50, 10 = p90, 100 = p99, 1000 = p99.9")
                .yAxisTitle("scheduling latency (us)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double least = Double.MAX_VALUE;
        for (java.util.Map.Entry<String, double[]> c : curves.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < Distributions.X.length; i++) {
                double y = c.getValue()[i];
                if (y > 0 && !Double.isNaN(y)) {
                    xs.add(Distributions.X[i]);
                    ys.add(y);
                    least = Math.min(least, y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(c.getKey(), xs, ys);
            // one colour per treatment; the model solid without markers, real Go dashed with markers
            boolean go = c.getKey().startsWith("real Go");
            java.awt.Color color = c.getKey().endsWith("cpu_control") ? new java.awt.Color(0, 140, 60)
                    : c.getKey().endsWith("defer") ? new java.awt.Color(200, 30, 30) : new java.awt.Color(40, 80, 200);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(go ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
            s.setLineStyle(go ? org.knowm.xchart.style.lines.SeriesLines.DASH_DASH
                    : org.knowm.xchart.style.lines.SeriesLines.SOLID);
        }
        if (least < Double.MAX_VALUE) {
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
        }
        return chart;
    }

    private static Path saveXY(XYChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        return chart;
    }

    private static Path save(CategoryChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
