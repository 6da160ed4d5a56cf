package dev.gmpdefer.report.render;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

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
public final class Plots {
    private Plots() {
    }

    /** A plot the report links: its file name under the plots folder and its caption. */
    record Plot(String file, String caption) {
    }

    static final List<String> PERCENTILES = List.of("p50", "p95", "p99");

    /** The treatments a distribution plot draws. */
    static final List<String> DIST_TREATMENTS = List.of("none", "defer", "cpu_control");

    /** The plots the results call for, in report order. */
    static List<Plot> planned(ResultStore store) {
        return planned(store, null);
    }

    /** The plots the results call for, in report order; real Go's distributions join the model's. */
    static List<Plot> planned(ResultStore store, RealGo realGo) {
        List<Plot> out = new ArrayList<>();
        for (String bench : Cells.LATENCY_BENCHES) {
            if (latencySeries(store.of(bench)) != null) {
                out.add(new Plot(bench + "-latency.png", bench + ": scheduling latency percentiles by treatment "
                        + "(medians of the runs, 95 % intervals)"));
            }
            if (!distSeries(store, realGo, bench).isEmpty()) {
                out.add(new Plot(bench + "-distribution.png", bench + ": scheduling latency distribution (percentile "
                        + "curves; x = 1/(1-p), p50 to p99.9), model and real Go"));
            }
        }
        if (!AllocatorPlots.allocRows(store).isEmpty()) {
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
        SortedMap<String, String> cfg = Cells.config(es, VerdictRules.ARTICLE_PROCS,
                VerdictRules.ARTICLE_DENSITY);
        if (cfg == null) {
            return null;
        }
        List<Object[]> rows = new ArrayList<>();
        for (String t : Cells.treatments(es)) {
            JmhEntry e = Cells.find(es, t, cfg);
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
                    Metric u = Cells.micros(e, "sched.latency." + PERCENTILES.get(i));
                    v[i] = u == null ? Double.NaN : u.score();
                }
                boolean ok = !Double.isNaN(v[i]) && v[i] > 0;
                if (!ok) {
                    v[i] = Double.NaN; // not drawn
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

    /**
     * Percentile curves (label -> y values at {@link Distributions#X}) of the model's cells under the
     * configuration rule and real Go's at the GOMAXPROCS nearest the article's, for none / defer / cpu_control;
     * empty when neither exported histograms.
     */
    public static java.util.Map<String, double[]> distSeries(ResultStore store, RealGo realGo, String bench) {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        List<JmhEntry> es = store.of(bench);
        SortedMap<String, String> cfg = Cells.config(es, VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY);
        for (String t : DIST_TREATMENTS) {
            try {
                double[][] h = cfg == null ? null : Distributions.model(store, Cells.find(es, t, cfg));
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
    public static List<Path> write(ResultStore store, Path dir) throws IOException {
        return write(store, null, dir);
    }

    /** Draws every planned plot into {@code dir}, real Go's distributions included; returns the files written. */
    public static List<Path> write(ResultStore store, RealGo realGo, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String bench : Cells.LATENCY_BENCHES) {
            List<Object[]> rows = latencySeries(store.of(bench));
            if (rows == null) {
                continue;
            }
            written.add(saveXY(latencyChart(bench + " (" + Cells.describe(Cells.config(store.of(bench),
                    VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY)) + ")", rows),
                    dir.resolve(bench + "-latency.png")));
        }
        for (String bench : Cells.LATENCY_BENCHES) {
            java.util.Map<String, double[]> curves = distSeries(store, realGo, bench);
            if (!curves.isEmpty()) {
                written.add(saveXY(distChart(bench, curves), dir.resolve(bench + "-distribution.png")));
            }
        }
        List<Allocators.Row> rows = AllocatorPlots.allocRows(store);
        if (!rows.isEmpty()) {
            written.add(saveXY(AllocatorPlots.allocNsChart(rows, realGo), dir.resolve("DeferAllocBench-ns.png")));
            written.add(save(AllocatorPlots.allocBytesChart(rows), dir.resolve("DeferAllocBench-bytes.png")));
        }
        return written;
    }

    /** P50 / P95 / P99 by treatment: {@link #dotChart} of the medians of the runs with their 95 % intervals. */
    private static XYChart latencyChart(String title, List<Object[]> rows) {
        List<String> names = new ArrayList<>();
        for (Object[] r : rows) {
            names.add((String) r[0]);
        }
        java.util.Map<String, double[][]> series = new java.util.LinkedHashMap<>();
        for (int p = 0; p < PERCENTILES.size(); p++) {
            double[][] ve = new double[2][rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                ve[0][k] = ((double[]) rows.get(k)[1])[p];
                ve[1][k] = ((double[]) rows.get(k)[2])[p];
            }
            series.put(PERCENTILES.get(p), ve);
        }
        return dotChart(title, "treatment", "scheduling latency (us): median of the runs, 95 % interval", names,
                series);
    }

    /**
     * A dot plot on a log axis: one point per category and series (series side by side), each with a
     * symmetric error bar ({@code series}: name -> {values, errors}; a value <= 0 is not drawn). A dot plot
     * rather than bars, so that the error bars are right on the log axis (XChart draws an XY chart's error
     * bars in log space, a category chart's not).
     */
    static XYChart dotChart(String title, String xTitle, String yTitle, List<String> names,
                                    java.util.Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisMin(-0.5);
        chart.getStyler().setXAxisMax(names.size() - 0.5);
        chart.getStyler().setMarkerSize(9);
        // a category's name at its whole-number tick; other ticks get distinct invisible labels (XChart drops
        // every tick label when several are the same, e.g. all empty)
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            long i = Math.round(x);
            return Math.abs(x - i) < 0.01 && i >= 0 && i < names.size() ? names.get((int) i)
                    : "\u200B".repeat(1 + (int) Math.max(0, Math.round((x + 2) * 8)));
        });
        double least = Double.MAX_VALUE;
        int n = series.size();
        int p = 0;
        for (java.util.Map.Entry<String, double[][]> e : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> es = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                double y = e.getValue()[0][k];
                if (!(y > 0)) {
                    continue;
                }
                double err = Math.min(Double.isNaN(e.getValue()[1][k]) ? 0 : e.getValue()[1][k], 0.95 * y);
                xs.add(k + (p - (n - 1) / 2.0) * Math.min(0.15, 0.8 / n));
                ys.add(y);
                es.add(err); // a log axis cannot reach 0
                least = Math.min(least, y - err);
            }
            p++;
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(e.getKey(), xs, ys, es);
                if (e.getKey().startsWith("real Go")) {
                    s.setMarker(SeriesMarkers.DIAMOND);
                    s.setMarkerColor(java.awt.Color.BLACK);
                }
            }
        }
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(least < Double.MAX_VALUE
                ? least : 1, 1e-3)))));
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

    static Path saveXY(XYChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        return chart;
    }

    static Path save(CategoryChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
