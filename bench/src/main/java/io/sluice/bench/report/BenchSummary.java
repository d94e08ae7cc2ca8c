package io.sluice.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

import org.knowm.xchart.CategoryChart;

/**
 * Turns JMH results into the summary of a bench report: one markdown table per benchmark class (method, mode,
 * params, score, error, unit, and a ratio to the class's {@link BaselineRule baseline} where one was measured in
 * the same run) and one bar chart per class and unit. Rows keep the order they were given in.
 */
public final class BenchSummary {
    private final Map<String, List<BenchRow>> byClass = new LinkedHashMap<>();
    private final Function<String, BaselineRule> rules;

    /** {@code rules} gives the baseline rule of a benchmark class name (e.g. {@code BaselineRule::of}). */
    public BenchSummary(final List<BenchRow> rows, final Function<String, BaselineRule> rules) {
        for (final BenchRow row : rows) {
            byClass.computeIfAbsent(row.benchmarkClass(), k -> new ArrayList<>()).add(row);
        }
        this.rules = rules;
    }

    /** The benchmark classes, in first-seen order. */
    public List<String> classes() {
        return List.copyOf(byClass.keySet());
    }

    /** Score of {@code row} divided by its baseline's score, if the rule and the run give a baseline. */
    public Optional<Double> ratio(final BenchRow row) {
        final List<BenchRow> rows = byClass.getOrDefault(row.benchmarkClass(), List.of());
        return rules.apply(row.benchmarkClass()).baselineOf(row, rows)
            .filter(base -> base.score() != 0 && !Double.isNaN(base.score()))
            .map(base -> row.score() / base.score());
    }

    /** The markdown sections, one {@code ###} heading and table per class. */
    public String markdown() {
        final StringBuilder out = new StringBuilder();
        for (final Map.Entry<String, List<BenchRow>> entry : byClass.entrySet()) {
            out.append("### ").append(entry.getKey()).append("\n\n");
            out.append(table(entry.getKey(), entry.getValue()).render()).append('\n');
        }
        return out.toString();
    }

    /** One table for the rows of one class. */
    MarkdownTable table(final String benchmarkClass, final List<BenchRow> rows) {
        final List<String> paramNames = new ArrayList<>(new TreeSet<>(paramNames(rows)));
        final BaselineRule rule = rules.apply(benchmarkClass);
        final boolean withRatio = rows.stream().anyMatch(r -> ratio(r).isPresent());
        final List<String> header = new ArrayList<>(List.of("benchmark", "mode"));
        header.addAll(paramNames);
        header.addAll(List.of("score", "error", "unit"));
        if (withRatio) {
            header.add("ratio to " + rule.describe());
        }
        final int firstNumeric = 2 + paramNames.size();
        final int[] numeric = withRatio ? new int[] {firstNumeric, firstNumeric + 1, firstNumeric + 3}
            : new int[] {firstNumeric, firstNumeric + 1};
        MarkdownTable table = MarkdownTable.withHeader(header.toArray(new String[0])).rightAligned(numeric);
        for (final BenchRow row : rows) {
            final List<Object> cells = new ArrayList<>(List.of(row.method(), row.mode()));
            for (final String p : paramNames) {
                cells.add(row.params().getOrDefault(p, ""));
            }
            cells.add(row.score());
            cells.add(Double.isNaN(row.error()) ? "n/a" : "± " + MarkdownTable.formatNumber(row.error()));
            cells.add(row.unit());
            if (withRatio) {
                cells.add(ratio(row).map(r -> String.format(Locale.ROOT, "%.2f×", r)).orElse(""));
            }
            table = table.row(cells.toArray());
        }
        return table;
    }

    /**
     * One bar chart (score with its error) per class and unit, keyed by a file-name-safe base name such as
     * {@code ColumnScanBench} or {@code ColumnScanBench-ops-s} when a class reports in several units.
     */
    public Map<String, CategoryChart> plots() {
        final Map<String, CategoryChart> plots = new LinkedHashMap<>();
        for (final List<BenchRow> rows : byClass.values()) {
            final Map<String, List<BenchRow>> byUnit = new LinkedHashMap<>();
            for (final BenchRow row : rows) {
                byUnit.computeIfAbsent(row.unit(), k -> new ArrayList<>()).add(row);
            }
            final String simple = rows.get(0).simpleClassName();
            for (final Map.Entry<String, List<BenchRow>> unit : byUnit.entrySet()) {
                final List<Plots.RangeBar> bars = new ArrayList<>();
                for (final BenchRow row : unit.getValue()) {
                    bars.add(Plots.RangeBar.withError(row.label(), row.score(), row.error()));
                }
                final String name = byUnit.size() == 1 ? simple : simple + "-" + unit.getKey().replaceAll("[^A-Za-z0-9]+", "-");
                plots.put(name, Plots.barsWithRange(simple + " (error: JMH 99.9% CI)", unit.getKey(), bars));
            }
        }
        return plots;
    }

    private static List<String> paramNames(final List<BenchRow> rows) {
        final List<String> names = new ArrayList<>();
        for (final BenchRow row : rows) {
            names.addAll(row.params().keySet());
        }
        return names;
    }
}
