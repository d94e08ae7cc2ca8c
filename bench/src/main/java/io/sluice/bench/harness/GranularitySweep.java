package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.sluice.bench.Contender;
import io.sluice.bench.CostModel;
import io.sluice.bench.Skew;
import io.sluice.bench.TaskCost;
import io.sluice.bench.WorkloadGenerator;
import io.sluice.engine.sched.StageFailedException;

/**
 * The granularity panel of compare-scheduling: the total work of a panel stays fixed while it is cut into more and
 * smaller equal tasks (milliseconds down to microseconds), so the makespan above the lower bound, divided by the
 * tasks, is what each contender pays per task. A panel is one cost model at one worker count. At each point the
 * contenders take turns, {@code repetitions} rounds of one run each on a fresh pool (the first round after an
 * unrecorded warm-up run), the order rotating by one each round: on a loaded machine, a burst of load then hits
 * every contender alike instead of the one whose block of runs it fell on.
 */
public final class GranularitySweep {
    /** The contenders of the panel: the ones whose per-task cost differs (speculation adds nothing on equal tasks). */
    public static final List<Contender> CONTENDERS = List.of(Contender.STATIC, Contender.CENTRAL_QUEUE,
        Contender.WORK_STEALING, Contender.FORK_JOIN);

    /**
     * One axis of the sweep.
     *
     * @param cost        how a task spends its time
     * @param workers     worker threads
     * @param totalNanos  the work of every point, at normal speed, before rounding to whole 100 ns rows
     * @param taskCounts  tasks per point, increasing
     */
    public record Panel(CostModel cost, int workers, long totalNanos, List<Integer> taskCounts) {
        public Panel {
            taskCounts = List.copyOf(taskCounts);
            if (workers < 1 || totalNanos < 1 || taskCounts.isEmpty()) {
                throw new IllegalArgumentException("panel workers=" + workers + " totalNanos=" + totalNanos
                    + " taskCounts=" + taskCounts + ": need workers >= 1, totalNanos >= 1 and some task counts");
            }
            for (int i = 0; i < taskCounts.size(); i++) {
                final int n = taskCounts.get(i);
                if (n < 1 || totalNanos / n < MorselJob.NANOS_PER_ROW || i > 0 && n <= taskCounts.get(i - 1)) {
                    throw new IllegalArgumentException("panel taskCounts=" + taskCounts + " totalNanos=" + totalNanos
                        + ": need increasing counts >= 1, each task at least one " + MorselJob.NANOS_PER_ROW
                        + " ns row");
                }
            }
        }

        /** A short name for files and headings, e.g. {@code spin-w2}. */
        public String name() {
            return cost.label() + "-w" + workers;
        }

        /**
         * The job of point {@code tasks}: equal tasks of {@code totalNanos / tasks}, no slow worker, no failure, and
         * a minimum morsel of one whole task, so no policy splits one: every contender runs exactly {@code tasks}
         * attempts, and the task size is the granularity the point measures.
         */
        public MorselJob job(final int tasks, final long seed) {
            final long taskNanos = totalNanos / tasks;
            return MorselJob.of(WorkloadGenerator.generate(tasks, Skew.uniform(), taskNanos, workers, 0, 1, 0, seed),
                Math.max(1, (taskNanos + MorselJob.NANOS_PER_ROW - 1) / MorselJob.NANOS_PER_ROW));
        }
    }

    /**
     * The panels of a run. Default (about 10 s on a 2-core machine): spin costs at W = {@code cores}, 32 ms x W of
     * work in 8, 512 and 32,768 tasks (8 ms, 125 us, 2 us per task), the same work at W = 4 x cores (more threads
     * than cores, where a preempted thread may hold the shared queue), and sleep costs at W = 16, 16 x 4 ms in 64,
     * 512 and 4,096 tasks (1 ms, 125 us, 16 us). Full: 64 ms x W of spin work in 16 to 262,144 tasks at W =
     * cores and 4 x cores, and sleep costs at W = 16 and 64 in 128 to 32,768 tasks of 1 ms down to 4 us.
     */
    public static List<Panel> panels(final int cores, final boolean full) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores=" + cores + " must be >= 1");
        }
        final long ms = 1_000_000L;
        if (!full) {
            final List<Integer> spin = List.of(8, 512, 32_768);
            return List.of(
                new Panel(CostModel.SPIN, cores, 32 * ms * cores, spin),
                new Panel(CostModel.SPIN, 4 * cores, 32 * ms * cores, spin),
                new Panel(CostModel.SLEEP, 16, 16 * 4 * ms, List.of(64, 512, 4_096)));
        }
        final List<Integer> spin = List.of(16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144);
        final List<Integer> sleep = List.of(128, 512, 2_048, 8_192, 32_768);
        return List.of(
            new Panel(CostModel.SPIN, cores, 64 * ms * cores, spin),
            new Panel(CostModel.SPIN, 4 * cores, 64 * ms * cores, spin),
            new Panel(CostModel.SLEEP, 16, 16 * 8 * ms, sleep),
            new Panel(CostModel.SLEEP, 64, 64 * 2 * ms, sleep));
    }

    /** Recorded runs of {@code panels} (warm-ups not counted), for the progress counter. */
    public static int runsOf(final List<Panel> panels, final List<Contender> contenders, final int repetitions) {
        int points = 0;
        for (final Panel panel : panels) {
            points += panel.taskCounts().size();
        }
        return points * contenders.size() * repetitions;
    }

    /** The median of {@code values}; -1 if any is -1 (CPU time unknown). */
    static double medianOrUnknown(final List<Long> values) {
        final long[] v = values.stream().mapToLong(Long::longValue).toArray();
        return Arrays.stream(v).anyMatch(x -> x < 0) ? -1 : ComparisonTable.median(v);
    }

    /** The contenders' order in round {@code round} (1-based): rotated left by {@code round - 1}. */
    static List<Contender> turnOrder(final List<Contender> contenders, final int round) {
        final List<Contender> order = new ArrayList<>(contenders.size());
        for (int i = 0; i < contenders.size(); i++) {
            order.add(contenders.get((i + round - 1) % contenders.size()));
        }
        return order;
    }

    /**
     * Runs {@code job} under {@code contenders} taking turns: {@code repetitions} rounds of one run each on a fresh
     * pool (the first round after an unrecorded warm-up run), the order rotating by one each round ({@link
     * #turnOrder}); {@code onRun} sees each recorded run. Returns the runs in the order they ran.
     */
    static List<PolicyRunner.CpuTimedRun> takeTurns(final MorselJob job, final TaskCost cost,
                                                    final List<Contender> contenders, final int repetitions,
                                                    final long seed, final Consumer<RunRecord> onRun) {
        final PolicyRunner runner = new PolicyRunner(job, cost, seed);
        final List<PolicyRunner.CpuTimedRun> runs = new ArrayList<>();
        for (int round = 1; round <= repetitions; round++) {
            for (final Contender contender : turnOrder(contenders, round)) {
                final PolicyRunner.CpuTimedRun run = runner.once(contender, round, round == 1);
                runs.add(run);
                onRun.accept(run.record());
            }
        }
        return runs;
    }

    private final List<Contender> contenders;
    private final int repetitions;
    private final long seed;

    /** A sweep of {@code contenders}, {@code repetitions} recorded runs each per point; {@code seed} seeds stealing. */
    public GranularitySweep(final List<Contender> contenders, final int repetitions, final long seed) {
        if (contenders.isEmpty() || repetitions < 1) {
            throw new IllegalArgumentException("sweep contenders=" + contenders + " repetitions=" + repetitions
                + ": need some contenders and repetitions >= 1");
        }
        this.contenders = List.copyOf(contenders);
        this.repetitions = repetitions;
        this.seed = seed;
    }

    /**
     * Runs every point of {@code panel}; {@code onRun} sees each recorded run. A contender that fails a run throws
     * {@link StageFailedException}.
     */
    public List<GranularityTable.Point> run(final Panel panel, final Consumer<RunRecord> onRun) {
        final TaskCost cost = TaskCost.of(panel.cost());
        final List<GranularityTable.Point> points = new ArrayList<>();
        for (final int tasks : panel.taskCounts()) {
            final MorselJob job = panel.job(tasks, seed);
            final List<RunRecord> runs = new ArrayList<>();
            final Map<Contender, List<Long>> cpu = new EnumMap<>(Contender.class);
            for (final PolicyRunner.CpuTimedRun run : takeTurns(job, cost, contenders, repetitions, seed, onRun)) {
                runs.add(run.record());
                cpu.computeIfAbsent(run.record().policy(), c -> new ArrayList<>()).add(run.cpuNanos());
            }
            final Map<Contender, Double> medianCpu = new EnumMap<>(Contender.class);
            cpu.forEach((c, values) -> medianCpu.put(c, medianOrUnknown(values)));
            points.add(new GranularityTable.Point(panel, job.totalNanos(), job.halvingBoundNanos(),
                ComparisonTable.of(runs, job.halvingBoundNanos()), medianCpu));
        }
        return points;
    }
}
