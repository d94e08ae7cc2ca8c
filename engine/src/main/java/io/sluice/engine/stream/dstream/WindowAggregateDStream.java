package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.collections.IntArrayList;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.OperatorFiles;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.eventtime.WindowAggregation;
import io.sluice.engine.stream.eventtime.WindowPartial;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * An event-time window aggregation ({@link DStream#groupByWindow}): rows window_start, window_end, the keys, then
 * the aggregates. Each batch time's rows are judged by the watermark before it: rows only for closed windows are
 * late (dropped, counted in {@link #lateRecords()}, and sent to {@link #lateRows()} if that stream is used); the
 * rest are aggregated per (pane, key) by a stage on the workers, and those partials update the off-heap state of
 * their (window, key) on the job thread. Then, under the watermark after it, append mode emits the
 * windows it closes and update mode the windows the batch changed; closed windows leave the state. A batch time
 * that emits nothing has no dataset. Checkpointed as {@code "groupByWindow-<n>"}; the state is freed when the graph
 * stops.
 */
public final class WindowAggregateDStream extends CheckpointedWindowDStream {
    private static final String STATE = "state-";
    private static final String LATE = "late-";
    private static final Schema LATE_SCHEMA = Schema.of(Field.notNull("late_records", ColumnType.INT64));

    private final WatermarkedDStream watermark;
    private final WindowAggregation aggregation;
    private final EventTimeWindow window;
    private final OutputMode mode;
    private final List<String> keys;
    private final List<Agg> aggs;
    private LateRowsDStream late;
    private final List<Batch> lateBatches = new ArrayList<>();
    private long lateTime = Long.MIN_VALUE;
    private boolean closed;

    WindowAggregateDStream(final DStream parent, final WatermarkedDStream watermark, final EventTimeWindow window,
                           final List<String> keys, final List<Agg> aggs, final OutputMode mode) {
        this(parent, watermark, new WindowAggregation(parent.graph().executionContext().allocator(), parent.schema(), window,
            keys, aggs, mode), window, keys, aggs, mode);
    }

    /** The aggregation allocates nothing before its first row, so a failing registration leaks nothing. */
    private WindowAggregateDStream(final DStream parent, final WatermarkedDStream watermark, final WindowAggregation aggregation,
                                   final EventTimeWindow window, final List<String> keys, final List<Agg> aggs,
                                   final OutputMode mode) {
        super(parent, aggregation.outputSchema(), 0, parent.slideMillis(), "groupByWindow");
        this.watermark = watermark;
        this.window = window;
        this.mode = mode;
        this.keys = List.copyOf(keys);
        this.aggs = List.copyOf(aggs);
        this.aggregation = aggregation;
        graph().onStop(this::close);
        graph().registerLateCounter(aggregation::lateRecords);
    }

    @Override
    void take(final long batchTime, final Dataset in) {
        final long before = watermark.watermarkBefore(batchTime);
        lateBatches.clear();
        lateTime = batchTime;
        List<Batch> batches = parent == watermark ? watermark.batchesAt(batchTime) : null;
        if (batches == null) {
            batches = DatasetBatches.materialize(in);
            batches.forEach(graph()::releaseAfterBatch);
        }
        final List<WindowPartial> partials = aggregation.addAll(graph().executionContext().scheduler(), checkpointName(),
            batches, before, late != null);
        if (late == null) {
            return;
        }
        for (final WindowPartial partial : partials) {
            final IntArrayList lateRows = partial.lateRows();
            if (lateRows.isEmpty()) {
                continue;
            }
            try (BatchBuilder builder = new BatchBuilder(graph().executionContext().allocator(), partial.batch().schema(),
                lateRows.size())) {
                for (int i = 0; i < lateRows.size(); i++) {
                    builder.appendRow(partial.batch(), lateRows.getInt(i));
                }
                lateBatches.add(graph().releaseAfterBatch(builder.build()));
            }
        }
    }

    @Override
    Dataset emit(final long batchTime) {
        final Batch out = aggregation.emit(watermark.watermarkAfter(batchTime));
        return out == null ? null : graph().borrow(schema(), List.of(graph().releaseAfterBatch(out)));
    }

    /** Rows dropped as late so far (restored with a checkpoint). */
    public synchronized long lateRecords() {
        return aggregation.lateRecords();
    }

    /** (window, key) entries held in state. */
    public synchronized int stateEntries() {
        return aggregation.entries();
    }

    /** Off-heap bytes the state holds. */
    public synchronized long stateBytes() {
        return aggregation.stateBytes();
    }

    public EventTimeWindow window() {
        return window;
    }

    public OutputMode outputMode() {
        return mode;
    }

    /**
     * The side output of late rows: per batch time, the input rows this aggregation dropped as late (input schema);
     * no dataset when there were none. Ask for it before the stream starts.
     */
    public synchronized DStream lateRows() {
        if (late == null) {
            late = new LateRowsDStream(this);
        }
        return late;
    }

    /** The late rows of {@code batchTime} (after this stream's dataset of that time was computed), or null. */
    synchronized Dataset lateAt(final long batchTime) {
        at(batchTime);
        if (lateTime != batchTime || lateBatches.isEmpty()) {
            return null;
        }
        return graph().borrow(parent.schema(), lateBatches);
    }

    @Override
    void snapshotState(final long batchTimeMillis, final Path dir) {
        try (Batch state = aggregation.snapshot()) {
            OperatorFiles.write(dir, STATE, batchTimeMillis, aggregation.snapshotSchema(), List.of(state));
        }
        try (BatchBuilder builder = new BatchBuilder(graph().executionContext().allocator(), LATE_SCHEMA, 1)) {
            builder.setInt64(0, aggregation.lateRecords()).endRow();
            try (Batch batch = builder.build()) {
                OperatorFiles.write(dir, LATE, batchTimeMillis, LATE_SCHEMA, List.of(batch));
            }
        }
    }

    @Override
    void restoreState(final Path dir) throws IOException {
        final TreeMap<Long, List<Batch>> state = OperatorFiles.read(dir, STATE, aggregation.snapshotSchema(),
            graph().executionContext().allocator());
        try {
            final TreeMap<Long, List<Batch>> lateFile = OperatorFiles.read(dir, LATE, LATE_SCHEMA, graph().executionContext().allocator());
            try {
                if (state.size() != 1 || lateFile.size() != 1 || lateFile.firstEntry().getValue().get(0).rowCount() != 1) {
                    throw new CheckpointException(dir, this + ": expected one state and one late-count file in " + dir);
                }
                aggregation.restore(state.firstEntry().getValue(), lateFile.firstEntry().getValue().get(0).int64Vector(0).get(0));
            } finally {
                release(lateFile);
            }
        } finally {
            release(state);
        }
    }

    private static void release(final TreeMap<Long, List<Batch>> files) {
        for (final Map.Entry<Long, List<Batch>> e : files.entrySet()) {
            e.getValue().forEach(Batch::release);
        }
    }

    private synchronized void close() {
        if (!closed) {
            closed = true;
            aggregation.close();
        }
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.windowAggregate(parent, window, keys, aggs, mode);
    }

    @Override
    public String toString() {
        return checkpointName() + "(" + parent + ", " + window + ", " + mode + ")";
    }

    /** The late rows of a window aggregation, per batch time. */
    static final class LateRowsDStream extends DStream {
        private final WindowAggregateDStream owner;

        LateRowsDStream(final WindowAggregateDStream owner) {
            super(owner.graph(), owner.parent.schema(), owner.slideMillis());
            this.owner = owner;
        }

        @Override
        Dataset compute(final long batchTime) {
            return owner.lateAt(batchTime);
        }

        @Override
        public String toString() {
            return "lateRows(" + owner + ")";
        }
    }
}
