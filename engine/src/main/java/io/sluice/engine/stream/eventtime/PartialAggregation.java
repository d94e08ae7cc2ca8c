package io.sluice.engine.stream.eventtime;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * What a {@link WindowPartial} reads (the window, the event-time, key and aggregate columns of the input schema) and
 * the stage that computes the partials on the workers: a batch is cut into up to two row ranges per worker of at least
 * {@link #MIN_TASK_ROWS} rows each, one whole task per range, so one large batch still spreads over the workers. The
 * ranges are not morsels the scheduler may split further: a part of a few thousand rows would spend more on
 * interning every key into its own index than on its rows. Immutable, so tasks share it.
 */
final class PartialAggregation {
    /** The fewest rows a task takes (unless the batch has fewer): each task interns every key it meets once. */
    static final int MIN_TASK_ROWS = 16_384;
    private static final int TASKS_PER_WORKER = 2;

    private final EventTimeWindow window;
    private final int timeColumn;
    private final int[] keyColumns;
    private final Schema keySchema;
    private final int[] aggColumns;
    private final Agg.Fn[] fns;
    private final boolean[] doubles;

    PartialAggregation(final EventTimeWindow window, final int timeColumn, final int[] keyColumns, final Schema keySchema,
                       final int[] aggColumns, final Agg.Fn[] fns, final boolean[] doubles) {
        this.window = window;
        this.timeColumn = timeColumn;
        this.keyColumns = keyColumns.clone();
        this.keySchema = keySchema;
        this.aggColumns = aggColumns.clone();
        this.fns = fns.clone();
        this.doubles = doubles.clone();
    }

    /**
     * The partials of every batch of {@code batches}, computed as one stage on {@code scheduler}: per batch one or
     * more partials of consecutive row ranges, in batch then row order (empty batches have none).
     */
    List<WindowPartial> run(final Scheduler scheduler, final String name, final List<Batch> batches, final long watermark,
                            final boolean keepLateRows) {
        final int maxTasks = TASKS_PER_WORKER * scheduler.config().workers();
        final List<Task<WindowPartial>> tasks = new ArrayList<>();
        for (final Batch batch : batches) {
            final int rows = batch.rowCount();
            final int parts = Math.max(1, Math.min(maxTasks, rows / MIN_TASK_ROWS));
            for (int i = 0; i < parts && rows > 0; i++) {
                final int from = (int) ((long) rows * i / parts);
                final int to = (int) ((long) rows * (i + 1) / parts);
                tasks.add(Task.of(tc -> WindowPartial.of(this, batch, from, to, watermark, keepLateRows)));
            }
        }
        return tasks.isEmpty() ? List.of() : scheduler.run(Stage.of(name, tasks)).results();
    }

    /** The partial of all of {@code batch}, computed on the calling thread. */
    WindowPartial one(final Batch batch, final long watermark, final boolean keepLateRows) {
        return WindowPartial.of(this, batch, 0, batch.rowCount(), watermark, keepLateRows);
    }

    EventTimeWindow window() {
        return window;
    }

    int timeColumn() {
        return timeColumn;
    }

    int[] keyColumns() {
        return keyColumns;
    }

    /** The key columns' schema; null without keys. */
    Schema keySchema() {
        return keySchema;
    }

    int aggs() {
        return fns.length;
    }

    /** The input column of aggregate {@code a}; -1 for COUNT(*). */
    int aggColumn(final int a) {
        return aggColumns[a];
    }

    Agg.Fn fn(final int a) {
        return fns[a];
    }

    /** Whether aggregate {@code a} accumulates a FLOAT64. */
    boolean isDouble(final int a) {
        return doubles[a];
    }
}
