package dev.gmpdefer.report.render;

import dev.gmpdefer.report.judge.*;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The agreement in magnitude as one picture (issue 22, item 4): each compared cell's real-Go effect (x)
 * against the model's (y), log-log, each with its 95 % interval across sessions as a cross, and the band in
 * which the two agree (y within x/{@value Magnitude#BAND} .. x*{@value Magnitude#BAND}) around the diagonal.
 */
public final class AgreementPlot {
    /** The file under the plots folder. */
    public static final String FILE = "agreement-magnitude.png";

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf), Color.BLACK, new Color(0x393b79)};

    private AgreementPlot() {
    }

    /** Draws the plot into {@code dir}; null when there are no rows. */
    public static Path write(Sessions s, Path dir) throws IOException {
        List<Magnitude.Row> rows = Magnitude.rows(s);
        if (rows.isEmpty()) {
            return null;
        }
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        XYChart chart = new XYChartBuilder().width(900).height(700)
                .title("Model effect against real Go effect, " + s.size() + " paired sessions (" + s.series + ")")
                .xAxisTitle("real Go: defer / control (median ratio)").yAxisTitle("model: defer / control").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(8);
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Magnitude.Row r : rows) {
            for (EffectRule.Judged j : List.of(r.model(), r.go())) {
                lo = Math.min(lo, j.ratio().lo() > 0 ? j.ratio().lo() : j.ratio().ratio());
                hi = Math.max(hi, j.ratio().hi() > 0 ? j.ratio().hi() : j.ratio().ratio());
            }
        }
        lo = Math.max(1e-3, lo / 1.2);
        hi = hi * 1.2;
        line(chart, "agree: within x" + Fmt.num(Magnitude.BAND), lo, hi, Magnitude.BAND, Color.LIGHT_GRAY, true);
        line(chart, "band low", lo, hi, 1 / Magnitude.BAND, Color.LIGHT_GRAY, false);
        line(chart, "model = real Go", lo, hi, 1, Color.GRAY, true);
        int k = 0;
        for (Magnitude.Row r : rows) {
            double x = r.go().ratio().ratio();
            double y = r.model().ratio().ratio();
            String name = r.workload() + " " + r.metric().substring(r.metric().lastIndexOf('.') + 1) + " /" + r.den()
                    + " (" + r.goProcs() + ")";
            XYSeries p = chart.addSeries(name, new double[] {x}, new double[] {y});
            p.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            p.setMarker("cpu_control".equals(r.den()) ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            Color c = PALETTE[k % PALETTE.length];
            p.setMarkerColor(c);
            segment(chart, "x" + k, r.go().ratio().lo(), r.go().ratio().hi(), y, y, c);
            segment(chart, "y" + k, x, x, r.model().ratio().lo(), r.model().ratio().hi(), c);
            k++;
        }
        return Plots.saveXY(chart, dir.resolve(FILE));
    }

    private static void line(XYChart chart, String name, double lo, double hi, double factor, Color c, boolean legend) {
        XYSeries s = chart.addSeries(name, new double[] {lo, hi}, new double[] {lo * factor, hi * factor});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
        s.setShowInLegend(legend);
    }

    private static void segment(XYChart chart, String name, double x0, double x1, double y0, double y1, Color c) {
        if (!(x0 > 0 && x1 > 0 && y0 > 0 && y1 > 0)) {
            return;
        }
        XYSeries s = chart.addSeries(name, new double[] {x0, x1}, new double[] {y0, y1});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.SOLID);
        s.setShowInLegend(false);
    }
}
