package dev.gmpdefer.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

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

    /** The plots the results call for, in report order. */
    static List<Plot> planned(ResultStore store) {
        List<Plot> out = new ArrayList<>();
        for (String bench : LatencyView.LATENCY_BENCHES) {
            if (latencySeries(store.of(bench)) != null) {
                out.add(new Plot(bench + "-latency.png", bench + ": scheduling latency percentiles by treatment"));
            }
        }
        if (!allocRows(store).isEmpty()) {
            out.add(new Plot("DeferAllocBench-ns.png", "DeferAllocBench: ns per defer by strategy"));
            out.add(new Plot("DeferAllocBench-bytes.png", "DeferAllocBench: bytes allocated per defer by strategy"));
        }
        return out;
    }

    /** Treatments x percentile values (µs) at the article's configuration; null if nothing to draw. */
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
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                Metric m = LatencyView.micros(e, "sched.latency." + PERCENTILES.get(i));
                boolean ok = m != null && !Double.isNaN(m.score()) && m.score() > 0;
                v[i] = ok ? m.score() : MISSING;
                any |= ok;
            }
            if (any) {
                rows.add(new Object[] {t, v});
            }
        }
        return rows.isEmpty() ? null : rows;
    }

    private static List<AllocatorTable.Row> allocRows(ResultStore store) {
        return AllocatorTable.rows(store.of(AllocatorTable.BENCH), ClaimBook.load()).stream()
                .filter(r -> !Double.isNaN(r.ns())).collect(Collectors.toList());
    }

    /** Draws every planned plot into {@code dir}; returns the files written. */
    static List<Path> write(ResultStore store, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String bench : LatencyView.LATENCY_BENCHES) {
            List<Object[]> rows = latencySeries(store.of(bench));
            if (rows == null) {
                continue;
            }
            CategoryChart chart = chart(bench + " (" + LatencyView.describe(LatencyView.config(store.of(bench),
                    VerdictRules.ARTICLE_PROCS, VerdictRules.ARTICLE_DENSITY)) + ")", "treatment",
                    "scheduling latency (us)");
            List<String> cats = rows.stream().map(r -> (String) r[0]).collect(Collectors.toList());
            for (int i = 0; i < PERCENTILES.size(); i++) {
                List<Double> ys = new ArrayList<>();
                for (Object[] r : rows) {
                    ys.add(((double[]) r[1])[i]);
                }
                chart.addSeries(PERCENTILES.get(i), cats, ys);
            }
            // A log axis, so that the no-defer latencies stay visible beside the defer ones (they span decades).
            // No error bars: XChart 3.8 draws a category chart's error bars in linear space on a log axis.
            chart.getStyler().setYAxisLogarithmic(true);
            double least = rows.stream().flatMapToDouble(r -> java.util.Arrays.stream((double[]) r[1])).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(MISSING, least)))));
            written.add(save(chart, dir.resolve(bench + "-latency.png")));
        }
        List<AllocatorTable.Row> rows = allocRows(store);
        if (!rows.isEmpty()) {
            written.add(save(allocChart(rows, false), dir.resolve("DeferAllocBench-ns.png")));
            written.add(save(allocChart(rows, true), dir.resolve("DeferAllocBench-bytes.png")));
        }
        return written;
    }

    /** Categories = strategy (plain call last), series = defers per call (layout 48 when measured). */
    private static CategoryChart allocChart(List<AllocatorTable.Row> rows, boolean bytes) {
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
        return chart;
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
