package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import io.sluice.bench.Contender;
import io.sluice.bench.report.MarkdownTable;

/**
 * The summary of a comparison: per policy (in the order first seen), the makespan median and min..max over its runs,
 * the median's ratio to the ideal lower bound and to static's median (NaN without a static row), and the median of
 * its counters, and the fewest tasks committed exactly once in any of its runs. Immutable.
 */
public final class ComparisonTable {
    /** One policy's figures; times in nanos. */
    public record Row(Contender policy, int runs, double medianNanos, long minNanos, long maxNanos, double ratioToBound,
                      double ratioToStatic, double medianSteals, double medianCopies, double medianRetries,
                      int minCommitted, int tasks) {
        /** {@code committed/tasks} of the run that committed fewest: each task committed exactly once in every run. */
        public String committed() {
            return minCommitted + "/" + tasks;
        }
    }

    private final List<Row> rows;
    private final double lowerBoundNanos;

    private ComparisonTable(final List<Row> rows, final double lowerBoundNanos) {
        this.rows = List.copyOf(rows);
        this.lowerBoundNanos = lowerBoundNanos;
    }

    /** Summarises {@code runs} against the lower bound {@code lowerBoundNanos} (> 0). */
    public static ComparisonTable of(final List<RunRecord> runs, final double lowerBoundNanos) {
        if (!(lowerBoundNanos > 0)) {
            throw new IllegalArgumentException("lowerBoundNanos=" + lowerBoundNanos + " must be > 0");
        }
        final Map<Contender, List<RunRecord>> byPolicy = new LinkedHashMap<>();
        for (final RunRecord run : runs) {
            byPolicy.computeIfAbsent(run.policy(), p -> new ArrayList<>()).add(run);
        }
        final List<RunRecord> staticRuns = byPolicy.get(Contender.STATIC);
        final double staticMedian = staticRuns == null ? Double.NaN : median(staticRuns, RunRecord::makespanNanos);
        final List<Row> rows = new ArrayList<>();
        for (final Map.Entry<Contender, List<RunRecord>> entry : byPolicy.entrySet()) {
            final List<RunRecord> list = entry.getValue();
            final double median = median(list, RunRecord::makespanNanos);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            int committed = Integer.MAX_VALUE;
            for (final RunRecord r : list) {
                min = Math.min(min, r.makespanNanos());
                max = Math.max(max, r.makespanNanos());
                committed = Math.min(committed, r.committedTasks());
            }
            rows.add(new Row(entry.getKey(), list.size(), median, min, max, median / lowerBoundNanos,
                median / staticMedian, median(list, RunRecord::steals), median(list, RunRecord::speculativeCopies),
                median(list, RunRecord::retries), committed, list.get(0).tasks()));
        }
        return new ComparisonTable(rows, lowerBoundNanos);
    }

    /** Median of a long figure of the runs: the middle value, or the mean of the two middle values. */
    static double median(final List<RunRecord> runs, final ToLongFunction<RunRecord> figure) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("median of no runs");
        }
        return median(runs.stream().mapToLong(figure).toArray());
    }

    /** Median of {@code values} (at least one): the middle value, or the mean of the two middle values. */
    static double median(final long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
    }

    public List<Row> rows() {
        return rows;
    }

    public double lowerBoundNanos() {
        return lowerBoundNanos;
    }

    /** The row of {@code policy}. */
    public Row row(final Contender policy) {
        for (final Row row : rows) {
            if (row.policy() == policy) {
                return row;
            }
        }
        throw new IllegalArgumentException("policy=" + policy.label() + " not in the table; policies=" + Arrays.toString(
            rows.stream().map(r -> r.policy().label()).toArray()));
    }

    /** The table as markdown (times in ms), also what the console shows. */
    public String toMarkdown() {
        MarkdownTable table = MarkdownTable.withHeader("policy", "runs", "makespan median ms", "min ms", "max ms",
            "x lower bound", "x static", "steals", "spec. copies", "retries", "committed once");
        table = table.rightAligned(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        for (final Row row : rows) {
            table.row(row.policy().label(), row.runs(), row.medianNanos() / 1e6, row.minNanos() / 1e6,
                row.maxNanos() / 1e6, row.ratioToBound(), row.ratioToStatic(), row.medianSteals(), row.medianCopies(),
                row.medianRetries(), row.committed());
        }
        return table.render();
    }
}
