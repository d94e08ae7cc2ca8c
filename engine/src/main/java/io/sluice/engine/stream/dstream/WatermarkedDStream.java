package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.checkpoint.OperatorFiles;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * {@link DStream#withWatermark}: passes its parent's rows through unchanged and tracks the event-time watermark of
 * an INT64 epoch-millis column. After batch time t the watermark is {@code max(previous, max event time seen up to
 * t - allowed lateness)}: it never moves backwards, and stays {@link Long#MIN_VALUE} until a row was seen. Operators
 * downstream judge batch t's rows by the watermark before it ({@link #watermarkBefore}) and close what the
 * watermark after it passed ({@link #watermarkAfter}). Checkpointed (the watermark and the max event time), so a
 * restarted stream continues with the same watermarks. Evaluated on the job executor thread only.
 */
public final class WatermarkedDStream extends DStream implements Checkpointed {
    private static final String FILE = "watermark-";
    private static final Schema SNAPSHOT = Schema.of(Field.notNull("watermark", ColumnType.INT64),
        Field.notNull("max_event_time", ColumnType.INT64));

    private final DStream parent;
    private final String column;
    private final int columnIndex;
    private final long latenessMillis;
    private final String name;
    private long maxSeen = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long before = Long.MIN_VALUE;
    private long computedTime = Long.MIN_VALUE;
    private long restoredTime = Long.MIN_VALUE;
    private List<Batch> computedBatches = List.of();

    WatermarkedDStream(final DStream parent, final String column, final long latenessMillis) {
        super(parent.graph(), parent.schema(), parent.slideMillis());
        this.parent = parent;
        this.column = column;
        if (!parent.schema().contains(column)) {
            throw new IllegalArgumentException("withWatermark: event-time column '" + column + "' not in schema="
                + parent.schema());
        }
        this.columnIndex = parent.schema().indexOf(column);
        if (parent.schema().field(columnIndex).type() != ColumnType.INT64) {
            throw new IllegalArgumentException("withWatermark: event-time column '" + column + "' has type="
                + parent.schema().field(columnIndex).type() + ", expected INT64 epoch millis");
        }
        if (parent.slideMillis() != graph().batchIntervalMillis()) {
            throw new IllegalArgumentException("withWatermark needs a stream with one dataset per batch interval, not "
                + parent + " (slide=" + parent.slideMillis() + "ms)");
        }
        if (latenessMillis < 0) {
            throw new IllegalArgumentException("withWatermark: allowedLateness=" + latenessMillis + "ms must be >= 0");
        }
        this.latenessMillis = latenessMillis;
        this.name = graph().operatorName("watermark");
        graph().registerCheckpointed(this);
        graph().registerWatermark(this);
    }

    @Override
    Dataset compute(final long batchTime) {
        final Dataset in = parent.at(batchTime);
        if (in == null || batchTime <= restoredTime) {
            return in;    // at or before the restored snapshot: its rows are already in the watermark
        }
        final List<Batch> batches = DatasetBatches.materialize(in);
        for (final Batch batch : batches) {
            graph().releaseAfterBatch(batch);
        }
        long max = maxSeen;
        for (final Batch batch : batches) {
            final Int64Vector ts = batch.int64Vector(columnIndex);
            for (int r = 0; r < batch.rowCount(); r++) {
                if (ts.isNull(r)) {
                    throw new IllegalArgumentException("withWatermark: event-time column '" + column + "' is null at row " + r
                        + " of batch time " + batchTime);
                }
                max = Math.max(max, ts.get(r));
            }
        }
        before = watermark;
        maxSeen = max;
        if (max != Long.MIN_VALUE) {
            watermark = Math.max(watermark, Math.max(max, Long.MIN_VALUE + latenessMillis) - latenessMillis);
        }
        computedTime = batchTime;
        computedBatches = batches;
        return graph().borrow(schema(), batches);
    }

    /** The event-time column. */
    public String column() {
        return column;
    }

    public long allowedLatenessMillis() {
        return latenessMillis;
    }

    /** The current watermark (after the last batch time evaluated); {@link Long#MIN_VALUE} before any row. */
    public long watermark() {
        return watermark;
    }

    /** The watermark batch {@code batchTime}'s rows are judged by (call after {@code at(batchTime)}). */
    long watermarkBefore(final long batchTime) {
        check(batchTime);
        return before;
    }

    /**
     * The batches of {@code batchTime}'s dataset, already computed (they live until the batch ends), or null if this
     * stream did not compute that batch time: an operator right below reads them instead of computing them again.
     */
    List<Batch> batchesAt(final long batchTime) {
        return computedTime == batchTime ? computedBatches : null;
    }

    /** The watermark after batch {@code batchTime}. */
    long watermarkAfter(final long batchTime) {
        check(batchTime);
        return watermark;
    }

    private void check(final long batchTime) {
        if (computedTime != batchTime) {
            throw new IllegalStateException(this + ": watermark of batchTime=" + batchTime + " asked, last computed="
                + computedTime);
        }
    }

    @Override
    public String checkpointName() {
        return name;
    }

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) {
        try (BatchBuilder builder = new BatchBuilder(graph().executionContext().allocator(), SNAPSHOT, 1)) {
            builder.setInt64(0, watermark).setInt64(1, maxSeen).endRow();
            try (Batch batch = builder.build()) {
                OperatorFiles.write(dir, FILE, batchTimeMillis, SNAPSHOT, List.of(batch));
            }
        }
    }

    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        final TreeMap<Long, List<Batch>> files = OperatorFiles.read(dir, FILE, SNAPSHOT, graph().executionContext().allocator());
        try {
            if (files.size() != 1 || files.firstEntry().getValue().size() != 1
                || files.firstEntry().getValue().get(0).rowCount() != 1) {
                throw new CheckpointException(dir, this + ": expected one snapshot row in " + dir + ", found files " + files.keySet());
            }
            final Batch batch = files.firstEntry().getValue().get(0);
            watermark = batch.int64Vector(0).get(0);
            maxSeen = batch.int64Vector(1).get(0);
            before = watermark;
            restoredTime = batchTimeMillis;
            computedTime = Long.MIN_VALUE;
            computedBatches = List.of();
        } finally {
            for (final Map.Entry<Long, List<Batch>> e : files.entrySet()) {
                e.getValue().forEach(Batch::release);
            }
        }
    }

    @Override
    WatermarkedDStream watermarkSource() {
        return this;
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.watermark(parent, column, latenessMillis);
    }

    @Override
    public String toString() {
        return "withWatermark(" + parent + ", " + column + ", lateness=" + latenessMillis + "ms)";
    }
}
