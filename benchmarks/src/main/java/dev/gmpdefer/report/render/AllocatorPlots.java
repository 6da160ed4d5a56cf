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

/** The allocator plots: bytes and ns per defer by strategy beside Go's published figures ({@link Allocators}' rows). */
final class AllocatorPlots {
    private AllocatorPlots() {
    }

    static List<Allocators.Row> allocRows(ResultStore store) {
        return Allocators.rows(store.of(Allocators.BENCH), ClaimBook.load()).stream()
                .filter(r -> !Double.isNaN(r.ns())).collect(Collectors.toList());
    }

    /** The layout the allocator plots show: 48 (Go 1.22) when measured, else the first; null without layouts. */
    static String allocLayout(List<Allocators.Row> rows) {
        List<String> layouts = rows.stream().map(r -> r.entry().param("layout")).filter(x -> x != null).distinct()
                .sorted(ResultStore::compareValues).collect(Collectors.toList());
        return layouts.stream().filter(x -> x.endsWith("48")).findFirst()
                .orElse(layouts.isEmpty() ? null : layouts.get(0)); // "48" or the enum name GO122_48
    }

    static List<Allocators.Row> allocSelection(List<Allocators.Row> rows, String layout) {
        return rows.stream().filter(r -> layout == null || r.entry().param("layout") == null
                || layout.equals(r.entry().param("layout"))).collect(Collectors.toList());
    }

    private static String category(Allocators.Row r) {
        return Allocators.isBaseline(r.entry()) ? "plain call" : r.strategy();
    }

    /** Strategies in table order (plain call where the table has it). */
    private static List<String> allocCategories(List<Allocators.Row> sel) {
        List<String> cats = new ArrayList<>();
        for (Allocators.Row r : sel) {
            if (!cats.contains(category(r))) {
                cats.add(category(r));
            }
        }
        return cats;
    }

    /** Defers per call measured, ascending ({null} when the rows have no such parameter). */
    private static List<String> allocDefers(List<Allocators.Row> sel) {
        List<String> defers = sel.stream().map(r -> r.entry().param("defersPerCall")).filter(x -> x != null)
                .distinct().sorted(ResultStore::compareValues).collect(Collectors.toList());
        if (defers.isEmpty()) {
            defers.add(null);
        }
        return defers;
    }

    /** Bytes per defer: categories = strategy, series = defers per call; linear (pooled and stack allocate 0 B). */
    static CategoryChart allocBytesChart(List<Allocators.Row> rows) {
        String layout = allocLayout(rows);
        List<Allocators.Row> sel = allocSelection(rows, layout);
        List<String> cats = allocCategories(sel);
        CategoryChart chart = Plots.chart("DeferAllocBench" + (layout == null ? "" : " (layout " + layout + " B)"),
                "strategy", "bytes allocated per defer (gc.alloc.rate.norm)");
        for (String d : allocDefers(sel)) {
            List<Double> ys = new ArrayList<>();
            for (String c : cats) {
                double y = 0.0;
                for (Allocators.Row r : sel) {
                    if (category(r).equals(c) && (d == null || d.equals(r.entry().param("defersPerCall")))) {
                        y = Double.isNaN(r.bytes()) ? 0.0 : r.bytes();
                        break;
                    }
                }
                ys.add(y);
            }
            chart.addSeries(d == null ? "all" : "defers=" + d, cats, ys);
        }
        return chart;
    }

    /**
     * ns per defer by strategy (categories) and defers per call (series), layout 48 when measured, with
     * JMH's error as the error bar, and real Go's cost of the kind of defer each strategy stands for
     * (testing.Benchmark at 8 per call, no interval): a {@link #dotChart}, the costs span decades.
     */
    static XYChart allocNsChart(List<Allocators.Row> rows, RealGo realGo) {
        String layout = allocLayout(rows);
        List<Allocators.Row> sel = allocSelection(rows, layout);
        List<String> cats = allocCategories(sel);
        java.util.Map<String, double[][]> series = new java.util.LinkedHashMap<>();
        for (String d : allocDefers(sel)) {
            double[][] ve = new double[2][cats.size()];
            java.util.Arrays.fill(ve[0], Double.NaN);
            for (Allocators.Row r : sel) {
                int k = cats.indexOf(category(r));
                if (d == null || d.equals(r.entry().param("defersPerCall"))) {
                    ve[0][k] = r.ns();
                    ve[1][k] = r.nsErr();
                }
            }
            series.put(d == null ? "all" : "defers=" + d, ve);
        }
        if (realGo != null) {
            double[][] ve = new double[2][cats.size()];
            for (int k = 0; k < cats.size(); k++) {
                ve[0][k] = DeferVsGo.goNs(realGo, cats.get(k), 8);
            }
            series.put("real Go " + realGo.goVersion + " (8 per call)", ve);
        }
        return Plots.dotChart("DeferAllocBench" + (layout == null ? "" : " (layout " + layout + " B)") + ": ns per defer",
                "strategy", "ns per defer (model: ± JMH error)", cats, series);
    }

}
