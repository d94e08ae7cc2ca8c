package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.List;

import io.sluice.bench.TaskCost;
import io.sluice.bench.Workload;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;
import io.sluice.engine.sched.TaskContext;

/**
 * A {@link Workload} as a stage of splittable morsel tasks: task i covers {@code round(cost_i / NANOS_PER_ROW)} rows,
 * a morsel of r rows on worker w costs {@code r x NANOS_PER_ROW x slowdown(w)}, so a dynamic policy may split a big
 * partition over many workers. Immutable; the stage it builds may run any number of times.
 */
public final class MorselJob {
    /** Cost of one row at normal speed. */
    public static final long NANOS_PER_ROW = 100;
    /**
     * A morsel claims its rows in chunks of about this much of its worker's time ({@link TaskCost#runChunks}), so
     * an idle worker can split off the rows not claimed yet: 1,000 rows on a normal worker, 125 on one 8x slower.
     */
    public static final long CHUNK_NANOS = 100_000;
    /** Smallest morsel the policies split down to: 16,384 rows = 1.6 ms, long against the park timer's slack. */
    public static final long MIN_MORSEL_ROWS = 1L << 14;

    private final Workload workload;
    private final long[] rows;
    private final long minMorselRows;

    private MorselJob(final Workload workload, final long minMorselRows) {
        if (minMorselRows < 1) {
            throw new IllegalArgumentException("minMorselRows=" + minMorselRows + " must be >= 1");
        }
        this.workload = workload;
        this.minMorselRows = minMorselRows;
        this.rows = new long[workload.tasks()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Math.round(workload.taskNanos(i) / (double) NANOS_PER_ROW);
        }
    }

    /** The job of {@code workload} with the default minimum morsel. */
    public static MorselJob of(final Workload workload) {
        return new MorselJob(workload, MIN_MORSEL_ROWS);
    }

    /** The job of {@code workload} split down to {@code minMorselRows}. */
    public static MorselJob of(final Workload workload, final long minMorselRows) {
        return new MorselJob(workload, minMorselRows);
    }

    public Workload workload() {
        return workload;
    }

    public int tasks() {
        return rows.length;
    }

    public int workers() {
        return workload.workers();
    }

    public long minMorselRows() {
        return minMorselRows;
    }

    /** Rows of task {@code task}. */
    public long rows(final int task) {
        return rows[task];
    }

    /** Rows of every task (a copy). */
    public long[] rows() {
        return rows.clone();
    }

    /** Sum of all rows x NANOS_PER_ROW: the work at normal speed. */
    public long totalNanos() {
        long sum = 0;
        for (final long r : rows) {
            sum += r;
        }
        return sum * NANOS_PER_ROW;
    }

    /**
     * The stage: one splittable task per partition; a morsel sleeps or spins its cost times its worker's slowdown,
     * chunk by chunk ({@link #CHUNK_NANOS}), so work stealing may split it while it runs.
     * The first morsel (row 0) of a task marked as failing throws after doing its work on attempt 1, so the work is
     * lost and recomputed by a retry.
     */
    public Stage<Long> stage(final TaskCost cost) {
        final List<Task<Long>> tasks = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            tasks.add(Task.splittable(0, rows[i], ctx -> runMorsel(ctx, cost), Long::sum));
        }
        return Stage.of("compare-scheduling", tasks);
    }

    private Long runMorsel(final TaskContext ctx, final TaskCost cost) {
        final long morselRows = cost.runChunks(ctx, NANOS_PER_ROW,
            workload.workerSlowdown(ctx.worker() % workload.workers()), CHUNK_NANOS);
        if (ctx.attempt() == 1 && ctx.from() == 0 && workload.firstAttemptFails(ctx.taskId())) {
            throw new IllegalStateException("injected failure task=" + ctx.taskId() + " attempt=1 (work lost, retried)");
        }
        return morselRows;
    }

    /**
     * The lower bound of any schedule of this job, in nanos: the fluid bound. Every task claims its rows in chunks
     * ({@link TaskCost#runChunks}), so work stealing splits a running morsel down to about one chunk; the work can
     * then spread over all workers, and no schedule ends before the larger of (all work / total speed of the
     * workers) and (the largest piece no policy can split, on the fastest worker: one chunk, or a whole task
     * smaller than a chunk). Only the W workers count: compare-scheduling runs its stages with caller-runs off
     * ({@link PolicyRunner}), so the calling thread only waits.
     */
    public double lowerBoundNanos() {
        return Math.max(totalNanos() / totalSpeed(), (double) largestUnsplittableRows() * NANOS_PER_ROW / fastestSpeed());
    }

    /**
     * The bound compare-scheduling used before running morsels could be split: the larger of (all work / total
     * speed) and (the largest piece the halving rule leaves of any task, on a worker of normal speed). It is the
     * bound of policies that only halve a morsel when it is taken (the {@code -no-split} variants, central queue),
     * not of work stealing, which splits running morsels below that piece (the sweep measured it at 0.80-0.91x
     * of this bound): reports keep it as a column.
     */
    public double halvingBoundNanos() {
        long largestPiece = 0;
        for (final long r : rows) {
            largestPiece = Math.max(largestPiece, largestPiece(r, minMorselRows));
        }
        return Math.max(totalNanos() / totalSpeed(), (double) largestPiece * NANOS_PER_ROW);
    }

    /** Sum over the workers of 1 / slowdown: rows of normal-speed work done per normal row time. */
    private double totalSpeed() {
        double speed = 0;
        for (int w = 0; w < workload.workers(); w++) {
            speed += 1.0 / workload.workerSlowdown(w);
        }
        return speed;
    }

    private double fastestSpeed() {
        double fastest = 0;
        for (int w = 0; w < workload.workers(); w++) {
            fastest = Math.max(fastest, 1.0 / workload.workerSlowdown(w));
        }
        return fastest;
    }

    /** Rows of the largest piece that no split can cut: a chunk on the fastest worker, or a smaller whole task. */
    private long largestUnsplittableRows() {
        final long chunk = TaskCost.chunkRows(NANOS_PER_ROW, 1.0 / fastestSpeed(), CHUNK_NANOS);
        long largest = 0;
        for (final long r : rows) {
            largest = Math.max(largest, Math.min(r, chunk));
        }
        return largest;
    }

    /**
     * Rows of the largest piece a range of {@code rows} rows ends in when halved while it has at least
     * {@code 2 x minMorselRows} rows (the policies' rule: keep the lower half, queue the upper, larger half).
     */
    public static long largestPiece(final long rows, final long minMorselRows) {
        long r = rows;
        while (r >= 2 * minMorselRows) {
            r -= r / 2;
        }
        return r;
    }
}
