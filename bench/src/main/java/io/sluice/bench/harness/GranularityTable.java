package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

import io.sluice.bench.Contender;
import io.sluice.bench.CostModel;
import io.sluice.bench.report.MarkdownTable;
import io.sluice.bench.report.Plots;

/**
 * The figures of one granularity panel: per point (task count) and contender, the makespan median and min..max,
 * its ratio to the lower bound, the scheduling overhead per task ({@code (median - lower bound) / tasks}), the
 * median steals and the throughput relative to the central queue ({@code central queue's median / median}), plus
 * the findings those figures support. Immutable.
 */
public final class GranularityTable {
    /** Within this ratio of each other, two contenders count as equal (timings here vary by more than that). */
    public static final double TIE = 1.05;
    /** The target: work stealing at this many times the central queue's throughput. */
    public static final double TARGET = 1.2;

    /**
     * One point of a panel.
     *
     * @param panel            the panel
     * @param totalNanos       all work of the point at normal speed (whole rows)
     * @param lowerBoundNanos  the ideal makespan (see {@link MorselJob#lowerBoundNanos()})
     * @param table            the contenders' figures
     * @param medianCpuNanos   per contender, the median CPU time of the JVM's threads during a run (-1: unknown)
     */
    public record Point(GranularitySweep.Panel panel, long totalNanos, double lowerBoundNanos, ComparisonTable table,
                        Map<Contender, Double> medianCpuNanos) {
        public Point {
            medianCpuNanos = Map.copyOf(medianCpuNanos);
        }

        /** Tasks of the point. */
        public int tasks() {
            return table.rows().get(0).tasks();
        }

        /** Mean cost of one task. */
        public double taskNanos() {
            return totalNanos / (double) tasks();
        }

        /** What {@code contender} paid per task above the ideal: {@code (median - lower bound) / tasks}. */
        public double overheadPerTaskNanos(final Contender contender) {
            return GranularityTable.overheadPerTaskNanos(table.row(contender).medianNanos(), lowerBoundNanos, tasks());
        }

        /** {@code contender}'s throughput relative to {@code baseline}'s: the ratio of their median makespans. */
        public double speedup(final Contender contender, final Contender baseline) {
            return table.row(baseline).medianNanos() / table.row(contender).medianNanos();
        }

        /**
         * The same ratio of the fastest runs: on a loaded machine preemption only adds time, so the best run is the
         * least disturbed one.
         */
        public double bestSpeedup(final Contender contender, final Contender baseline) {
            return table.row(baseline).minNanos() / (double) table.row(contender).minNanos();
        }

        /**
         * CPU time {@code contender} burned per task beyond static's, from the median CPU times of their runs: the
         * scheduling work itself (claims, queues, steals, idle polling), which preemption does not inflate. NaN
         * without a static row or without CPU times.
         */
        public double cpuPerTaskOverStaticNanos(final Contender contender) {
            final Double base = medianCpuNanos.get(Contender.STATIC);
            final Double mine = medianCpuNanos.get(contender);
            if (base == null || mine == null || base < 0 || mine < 0) {
                return Double.NaN;
            }
            return (mine - base) / tasks();
        }

        /** Whether {@code contender} ran in this point. */
        public boolean has(final Contender contender) {
            return table.rows().stream().anyMatch(r -> r.policy() == contender);
        }
    }

    private final GranularitySweep.Panel panel;
    private final List<Point> points;

    private GranularityTable(final GranularitySweep.Panel panel, final List<Point> points) {
        this.panel = panel;
        this.points = List.copyOf(points);
    }

    /** The table of {@code panel}'s {@code points}, in the order run. */
    public static GranularityTable of(final GranularitySweep.Panel panel, final List<Point> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("panel " + panel.name() + " has no points");
        }
        return new GranularityTable(panel, points);
    }

    /** {@code (makespan - lowerBound) / tasks}: the scheduling overhead per task, in nanos (negative below LB). */
    public static double overheadPerTaskNanos(final double makespanNanos, final double lowerBoundNanos, final int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks=" + tasks + " must be >= 1");
        }
        return (makespanNanos - lowerBoundNanos) / tasks;
    }

    public GranularitySweep.Panel panel() {
        return panel;
    }

    public List<Point> points() {
        return points;
    }

    /** One row per point and contender. */
    public String toMarkdown() {
        final boolean cq = points.get(0).has(Contender.CENTRAL_QUEUE);
        MarkdownTable table = MarkdownTable.withHeader("tasks", "task us", "policy", "makespan median ms", "min ms",
            "max ms", "x lower bound", "overhead ns/task", "CPU ms", "CPU ns/task over static", "steals",
            "x central queue", "x c. q. (best runs)");
        table = table.rightAligned(0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        for (final Point p : points) {
            for (final ComparisonTable.Row row : p.table().rows()) {
                table.row(p.tasks(), p.taskNanos() / 1e3, row.policy().label(), row.medianNanos() / 1e6,
                    row.minNanos() / 1e6, row.maxNanos() / 1e6, row.ratioToBound(),
                    p.overheadPerTaskNanos(row.policy()), cpuMillis(p, row.policy()),
                    p.cpuPerTaskOverStaticNanos(row.policy()), row.medianSteals(),
                    cq ? p.speedup(row.policy(), Contender.CENTRAL_QUEUE) : Double.NaN,
                    cq ? p.bestSpeedup(row.policy(), Contender.CENTRAL_QUEUE) : Double.NaN);
            }
        }
        return table.render();
    }

    private static double cpuMillis(final Point p, final Contender contender) {
        final Double cpu = p.medianCpuNanos().get(contender);
        return cpu == null || cpu < 0 ? Double.NaN : cpu / 1e6;
    }

    /**
     * What the figures say about work stealing against the central queue: where it is faster by more than
     * {@link #TIE}, by how much at best, where the two tie or the queue is faster, whether {@link #TARGET} was
     * reached, and what each contender paid per task at the smallest tasks. Empty without both contenders.
     */
    public List<String> findings() {
        final List<String> lines = new ArrayList<>();
        if (!points.get(0).has(Contender.WORK_STEALING) || !points.get(0).has(Contender.CENTRAL_QUEUE)) {
            return lines;
        }
        final List<String> wins = new ArrayList<>();
        final List<String> ties = new ArrayList<>();
        final List<String> losses = new ArrayList<>();
        Point best = points.get(0);
        Point bestRuns = points.get(0);
        for (final Point p : points) {
            final double s = p.speedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE);
            final String at = String.format(Locale.ROOT, "%s us (%,d tasks, %.2fx; best runs %.2fx)",
                MarkdownTable.formatNumber(p.taskNanos() / 1e3), p.tasks(), s,
                p.bestSpeedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE));
            if (s >= TIE) {
                wins.add(at);
            } else if (s > 1 / TIE) {
                ties.add(at);
            } else {
                losses.add(at);
            }
            if (s > best.speedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE)) {
                best = p;
            }
            if (p.bestSpeedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE)
                > bestRuns.bestSpeedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE)) {
                bestRuns = p;
            }
        }
        final String head = "**" + panel.name() + "** (" + panel.cost().label() + " costs, " + panel.workers()
            + " workers): ";
        final int tie = (int) Math.round((TIE - 1) * 100);
        lines.add(head + "by median makespan, work stealing is faster than the central queue by " + tie
            + "% or more at " + (wins.isEmpty() ? "no task size" : String.join(", ", wins)) + "; as good within "
            + tie + "% at " + (ties.isEmpty() ? "no task size" : String.join(", ", ties))
            + (losses.isEmpty() ? "" : "; slower at " + String.join(", ", losses)) + ".");
        final double top = best.speedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE);
        final double bestOfBest = bestRuns.bestSpeedup(Contender.WORK_STEALING, Contender.CENTRAL_QUEUE);
        final ComparisonTable.Row ws = best.table().row(Contender.WORK_STEALING);
        final ComparisonTable.Row q = best.table().row(Contender.CENTRAL_QUEUE);
        lines.add(String.format(Locale.ROOT, "Best for work stealing: %s us tasks, %.2fx the central queue's throughput "
                + "(median %.2f ms vs %.2f ms; min..max %.2f..%.2f vs %.2f..%.2f): the %.1fx target is %s by the "
                + "medians in this panel%s.", MarkdownTable.formatNumber(best.taskNanos() / 1e3), top,
            ws.medianNanos() / 1e6, q.medianNanos() / 1e6, ws.minNanos() / 1e6, ws.maxNanos() / 1e6, q.minNanos() / 1e6, q.maxNanos() / 1e6,
            TARGET, top >= TARGET ? "reached" : "not reached", top >= TARGET || !(bestOfBest >= TARGET) ? ""
                : String.format(Locale.ROOT, " (the best runs reach %.2fx at %s us)", bestOfBest,
                MarkdownTable.formatNumber(bestRuns.taskNanos() / 1e3))));
        lines.addAll(costLines(top));
        return lines;
    }

    /**
     * The per-task costs behind the comparison: wall-clock overhead per task at the smallest tasks, the noise floor
     * (the spread of the medians at the largest tasks) against work stealing's best median ratio {@code top}, and
     * the CPU each contender burned per task beyond static's.
     */
    private List<String> costLines(final double top) {
        final List<String> lines = new ArrayList<>();
        final Point smallest = points.get(points.size() - 1);
        final List<String> costs = new ArrayList<>();
        for (final ComparisonTable.Row row : smallest.table().rows()) {
            final double overhead = smallest.overheadPerTaskNanos(row.policy());
            costs.add(String.format(Locale.ROOT, "%s %,.0f ns (%.0f%% of a task)", row.policy().label(), overhead,
                100 * overhead / smallest.taskNanos()));
        }
        lines.add(String.format(Locale.ROOT, "Wall-clock overhead per task at the smallest tasks (%s us, %,d tasks): "
                + "%s.", MarkdownTable.formatNumber(smallest.taskNanos() / 1e3), smallest.tasks(),
            String.join(", ", costs)));
        final Point control = points.get(0);
        final double floor = noiseFloor(control);
        lines.add(String.format(Locale.ROOT, "Noise floor: at the largest tasks (%s us, %,d tasks), where no policy's "
                + "per-task cost can matter, the contenders' medians still differ by up to %.2fx; a median ratio "
                + "inside that is this machine's load, not the policy. Work stealing's best median ratio, %.2fx, is "
                + "%s it.", MarkdownTable.formatNumber(control.taskNanos() / 1e3), control.tasks(), floor, top,
            top > floor ? "above" : "within"));
        if (!Double.isNaN(smallest.cpuPerTaskOverStaticNanos(Contender.WORK_STEALING))) {
            final List<String> cpu = new ArrayList<>();
            for (final ComparisonTable.Row row : smallest.table().rows()) {
                if (row.policy() != Contender.STATIC) {
                    cpu.add(String.format(Locale.ROOT, "%s %+,.0f ns", row.policy().label(),
                        smallest.cpuPerTaskOverStaticNanos(row.policy())));
                }
            }
            final double work = panel.cost() == CostModel.SPIN ? smallest.totalNanos() : 0;
            lines.add(String.format(Locale.ROOT, "CPU per task (thread CPU time, which waiting for a core does not "
                    + "inflate; idle workers' polling still grows with the wall time): at the smallest tasks static "
                    + "burns %,.0f ns per task %s; over static's, per task: %s.",
                (smallest.medianCpuNanos().get(Contender.STATIC) - work) / smallest.tasks(),
                panel.cost() == CostModel.SPIN ? "beyond the tasks' own spinning (claim, run, commit and idle polling, "
                    + "the path every Sluice policy shares)" : "(a sleeping task burns CPU only to park and wake, "
                    + "then the claim, run and commit path every Sluice policy shares)",
                String.join(", ", cpu)));
        }
        return lines;
    }

    /** Largest over smallest median makespan of the contenders at {@code point}. */
    static double noiseFloor(final Point point) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (final ComparisonTable.Row row : point.table().rows()) {
            min = Math.min(min, row.medianNanos());
            max = Math.max(max, row.medianNanos());
        }
        return max / min;
    }

    /** Throughput of each contender relative to the central queue against the task size in us: the crossover. */
    public List<Plots.Line> relativeLines() {
        return lines((p, c) -> p.speedup(c, Contender.CENTRAL_QUEUE));
    }

    /** Makespan over the lower bound of each contender against the task size in us. */
    public List<Plots.Line> boundLines() {
        return lines((p, c) -> p.table().row(c).ratioToBound());
    }

    private List<Plots.Line> lines(final ToDoubleBiFunction<Point, Contender> figure) {
        final List<Plots.Line> lines = new ArrayList<>();
        for (final ComparisonTable.Row row : points.get(0).table().rows()) {
            final double[] x = new double[points.size()];
            final double[] y = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                x[i] = points.get(i).taskNanos() / 1e3;
                y[i] = figure.applyAsDouble(points.get(i), row.policy());
            }
            lines.add(new Plots.Line(row.policy().label(), x, y));
        }
        return lines;
    }
}
