package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

class PlotsTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @Test
    void barsWithMinMaxAreSavedAsSvgAndPng() throws Exception {
        final CategoryChart chart = Plots.barsWithRange("makespan per policy", "ms", List.of(
            new Plots.RangeBar("static", 120, 110, 140),
            new Plots.RangeBar("work-stealing", 40, 38, 47)));
        assertEquals(3, chart.getSeriesMap().size(), "median bars plus min and max markers");
        assertPlotFiles(Plots.save(chart, dir, "makespan"), "work-stealing");
    }

    @Test
    void symmetricErrorsUseOneSeriesWithErrorBars() throws Exception {
        final CategoryChart chart = Plots.barsWithRange("scan", "ops/s", List.of(
            Plots.RangeBar.withError("array", 10, 1), Plots.RangeBar.withError("vector", 12, 2)));
        assertEquals(1, chart.getSeriesMap().size());
        assertPlotFiles(Plots.save(chart, dir, "scan"), "vector");
    }

    @Test
    void groupedBarsAndLinesAreSaved() throws Exception {
        final Map<String, List<Double>> busy = new LinkedHashMap<>();
        busy.put("static", List.of(10.0, 2.0, 3.0));
        busy.put("work-stealing", List.of(5.0, 5.0, 5.0));
        final CategoryChart grouped = Plots.groupedBars("busy time per worker", "worker", "ms",
            List.of("w0", "w1", "w2"), busy);
        assertPlotFiles(Plots.save(grouped, dir, "busy"), "work-stealing");

        final XYChart lines = Plots.lines("recovery time", "nodes", "s", List.of(
            new Plots.Line("parallel", new double[] {20, 40}, new double[] {2, 1}),
            new Plots.Line("upstream backup", new double[] {20, 40}, new double[] {4, 4})));
        assertPlotFiles(Plots.save(lines, dir, "recovery"), "upstream backup");
    }

    @Test
    void rejectsMismatchedInputsNamingThem() {
        final IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
            () -> new Plots.RangeBar("p", 5, 6, 7));
        assertTrue(range.getMessage().contains("'p'"), range.getMessage());
        final IllegalArgumentException grouped = assertThrows(IllegalArgumentException.class,
            () -> Plots.groupedBars("t", "x", "y", List.of("a", "b"), Map.of("s", List.of(1.0))));
        assertTrue(grouped.getMessage().contains("'s'"), grouped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Plots.Line("l", new double[] {1}, new double[] {1, 2}));
    }

    private static void assertPlotFiles(final List<Path> files, final String label) throws Exception {
        assertEquals(2, files.size());
        final String svg = Files.readString(files.get(0), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg"), "an SVG document");
        // VectorGraphics2D draws text as outlines, so labels are not searchable; a drawn chart has many paths.
        assertTrue(svg.split("<path").length > 20, "the SVG draws the chart with " + label);
        final byte[] png = Files.readAllBytes(files.get(1));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 4));
    }
}
