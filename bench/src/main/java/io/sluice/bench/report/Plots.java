package io.sluice.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report plots, made with XChart and saved as SVG (through VectorGraphics2D, which XChart depends on) and PNG.
 * Works headless: loading this class sets {@code java.awt.headless=true} unless the property was set already.
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LABEL_ROTATION_DEGREES = 20;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /** One bar: its value and the low..high range drawn around it (min/max, or value -/+ error). */
    public record RangeBar(String label, double value, double low, double high) {
        public RangeBar {
            if (!(low <= value && value <= high)) {
                throw new IllegalArgumentException("bar '" + label + "' value=" + value + " outside its range [low="
                    + low + ", high=" + high + "]");
            }
        }

        /** A bar of {@code value} with the symmetric error {@code error} (JMH's score error, say). */
        public static RangeBar withError(final String label, final double value, final double error) {
            final double e = Double.isNaN(error) ? 0 : Math.abs(error);
            return new RangeBar(label, value, value - e, value + e);
        }

        boolean symmetric() {
            final double tolerance = 1e-9 * Math.max(1, Math.abs(value));
            return Math.abs((value - low) - (high - value)) <= tolerance;
        }
    }

    /** A named line through the points (x[i], y[i]). */
    public record Line(String name, double[] x, double[] y) {
        public Line {
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("line '" + name + "' needs as many x as y values, at least one: x="
                    + x.length + " y=" + y.length);
            }
            x = x.clone();
            y = y.clone();
        }
    }

    /**
     * Bars with a range each, e.g. makespan median per policy with min..max. Symmetric ranges are drawn as XChart
     * error bars; asymmetric ones (min/max around a median) as a min and a max marker on each bar, since XChart's
     * error bars are symmetric only.
     */
    public static CategoryChart barsWithRange(final String title, final String yTitle, final List<RangeBar> bars) {
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no bars");
        }
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("").yAxisTitle(yTitle).build();
        style(chart);
        final List<String> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final List<Double> errors = new ArrayList<>();
        final List<Double> lows = new ArrayList<>();
        final List<Double> highs = new ArrayList<>();
        boolean symmetric = true;
        for (final RangeBar bar : bars) {
            labels.add(bar.label());
            values.add(bar.value());
            errors.add(bar.high() - bar.value());
            lows.add(bar.low());
            highs.add(bar.high());
            symmetric &= bar.symmetric();
        }
        chart.getStyler().setLegendVisible(!symmetric);
        if (symmetric) {
            chart.getStyler().setErrorBarsColor(Color.BLACK);
            chart.addSeries(yTitle, labels, values, errors);
        } else {
            chart.getStyler().setOverlapped(true);
            chart.addSeries("median", labels, values);
            addMarkers(chart, "min", labels, lows, SeriesMarkers.TRIANGLE_UP);
            addMarkers(chart, "max", labels, highs, SeriesMarkers.TRIANGLE_DOWN);
        }
        return chart;
    }

    /**
     * Groups of bars, one group per category and one bar per series in each, e.g. per-worker busy time (categories
     * = workers) per policy (series). Every series has one value per category; map order is legend order.
     */
    public static CategoryChart groupedBars(final String title, final String xTitle, final String yTitle,
                                            final List<String> categories, final Map<String, List<Double>> series) {
        if (categories.isEmpty() || series.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' needs categories and series: categories="
                + categories.size() + " series=" + series.size());
        }
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart);
        for (final Map.Entry<String, List<Double>> entry : series.entrySet()) {
            if (entry.getValue().size() != categories.size()) {
                throw new IllegalArgumentException("series '" + entry.getKey() + "' has values=" + entry.getValue().size()
                    + " but there are categories=" + categories.size());
            }
            chart.addSeries(entry.getKey(), categories, entry.getValue());
        }
        return chart;
    }

    /** Lines over a numeric x axis, e.g. recovery time vs cluster size, one line per recovery scheme. */
    public static XYChart lines(final String title, final String xTitle, final String yTitle, final List<Line> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no lines");
        }
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (final Line line : lines) {
            final XYSeries series = chart.addSeries(line.name(), line.x(), line.y());
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /**
     * A heat map of {@code values[y][x]} over the labelled columns {@code xLabels} and rows {@code yLabels}, each cell
     * showing its value (two decimals), colours spanning {@code min..max} (fixed, so maps drawn with the same range
     * compare by colour). A NaN value leaves its cell empty.
     */
    public static HeatMapChart heatMap(final String title, final String xTitle, final String yTitle,
                                       final List<String> xLabels, final List<String> yLabels, final double[][] values,
                                       final double min, final double max) {
        if (xLabels.isEmpty() || yLabels.size() != values.length || !(min < max)) {
            throw new IllegalArgumentException("heat map '" + title + "' needs columns, one value row per row label and "
                + "min < max: columns=" + xLabels.size() + " rows=" + yLabels.size() + " value rows=" + values.length
                + " min=" + min + " max=" + max);
        }
        final HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.getStyler().setMin(min);
        chart.getStyler().setMax(max);
        chart.getStyler().setXAxisLabelRotation(LABEL_ROTATION_DEGREES);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x1a9850), new Color(0xfee08b), new Color(0xd73027)});
        final List<Number[]> cells = new ArrayList<>();
        for (int y = 0; y < values.length; y++) {
            if (values[y].length != xLabels.size()) {
                throw new IllegalArgumentException("heat map '" + title + "' row " + y + " has values=" + values[y].length
                    + " but there are columns=" + xLabels.size());
            }
            for (int x = 0; x < values[y].length; x++) {
                if (!Double.isNaN(values[y][x])) {
                    cells.add(new Number[] {x, y, values[y][x]});
                }
            }
        }
        chart.addSeries(title, xLabels, yLabels, cells);
        return chart;
    }

    /**
     * Saves the chart as {@code <baseName>.svg} and {@code <baseName>.png} in {@code folder} and returns both paths.
     */
    public static List<Path> save(final Chart<?, ?> chart, final Path folder, final String baseName) {
        final Path svg = folder.resolve(baseName + ".svg");
        final Path png = folder.resolve(baseName + ".png");
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot save plot baseName=" + baseName + " in folder=" + folder, ex);
        }
        return List.of(svg, png);
    }

    /** As {@link #save(Chart, Path, String)} into a report folder. */
    public static List<Path> save(final Chart<?, ?> chart, final ReportFolder folder, final String baseName) {
        folder.resolve(baseName + ".svg"); // checks the name is a plain file name
        return save(chart, folder.path(), baseName);
    }

    private static void addMarkers(final CategoryChart chart, final String name, final List<String> labels,
                                   final List<Double> values, final Marker marker) {
        final CategorySeries series = chart.addSeries(name, labels, values);
        series.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        series.setMarker(marker);
        series.setMarkerColor(Color.BLACK);
    }

    private static void style(final CategoryChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        // Benchmark labels (method + params) are long and overlap when horizontal.
        chart.getStyler().setXAxisLabelRotation(LABEL_ROTATION_DEGREES);
    }
}
