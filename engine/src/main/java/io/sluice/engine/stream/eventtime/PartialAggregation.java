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
 * the stage that computes one partial per input batch on the workers: a batch of at least {@link #MIN_SPLIT_ROWS}
 * rows is a splittable morsel task whose parts combine in row order, so one large batch still spreads over idle
 * workers. Immutable, so tasks share it.
 */
final class PartialAggregation {
    /** Batches smaller than this run as one task: a part costs a partial (and a combine) of its own. */
    static final int MIN_SPLIT_ROWS = 8192;

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

    /** One partial per batch of {@code batches} (empty ones included), computed as one stage on {@code scheduler}. */
    List<WindowPartial> run(final Scheduler scheduler, final String name, final List<Batch> batches, final long watermark,
                            final boolean keepLateRows) {
        final List<Task<WindowPartial>> tasks = new ArrayList<>(batches.size());
        for (final Batch batch : batches) {
            final int rows = batch.rowCount();
            if (rows >= MIN_SPLIT_ROWS) {
                tasks.add(Task.splittable(0, rows, tc -> WindowPartial.of(this, batch, (int) tc.from(), (int) tc.to(), watermark,
                    keepLateRows), WindowPartial::combine));
            } else {
                tasks.add(Task.of(tc -> WindowPartial.of(this, batch, 0, rows, watermark, keepLateRows)));
            }
        }
        return scheduler.run(Stage.of(name, tasks)).results();
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
