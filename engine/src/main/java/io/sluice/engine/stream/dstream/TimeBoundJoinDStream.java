package io.sluice.engine.stream.dstream;

import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.checkpoint.OperatorFiles;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * An event-time inner join of two watermarked streams within a time bound ({@link DStream#joinWithinTime}): a left
 * row and a right row match when their keys are equal and {@code right.ts - before <= left.ts <= right.ts + after}.
 * Each side keeps its rows off-heap until no row the other side may still send can match them: with the other
 * side's watermark {@code W}, a left row leaves when {@code left.ts + before < W_right}, a right row when
 * {@code right.ts + after < W_left}. A row older than its own side's watermark (before the batch) is late: dropped
 * and counted. Per batch time the stream yields the new matches: new left rows with every right row held or new,
 * and new right rows with the left rows held. Output columns as {@link Dataset#join}. Checkpointed as
 * {@code "joinWithinTime-<n>"}; state freed when the graph stops.
 */
public final class TimeBoundJoinDStream extends DStream implements Checkpointed {
    private static final String LATE_FILE = "late-";
    private static final Schema LATE_SCHEMA = Schema.of(Field.notNull("late_records", ColumnType.INT64));

    private final Side left;
    private final Side right;
    private final List<String> leftKeys;
    private final List<String> rightKeys;
    private final long before;
    private final long after;
    private final String name;
    private long lateRecords;
    private long restoredTime = Long.MIN_VALUE;

    /** One input of the join: its stream, watermark, event-time column and the rows held. */
    private static final class Side {
        final DStream stream;
        final WatermarkedDStream watermark;
        final int timeColumn;
        final String prefix;
        final List<Batch> held = new ArrayList<>();

        Side(final DStream stream, final WatermarkedDStream watermark, final String prefix) {
            this.stream = stream;
            this.watermark = watermark;
            this.timeColumn = stream.schema().indexOf(watermark.column());
            this.prefix = prefix;
        }
    }

    TimeBoundJoinDStream(final DStream leftStream, final DStream rightStream, final List<String> leftKeys,
                         final List<String> rightKeys, final long before, final long after) {
        super(leftStream.graph(), joinSchema(leftStream, rightStream, leftKeys, rightKeys), leftStream.slideMillis());
        final String label = graph().peekOperatorName("joinWithinTime");
        this.left = new Side(leftStream, requireWatermark(label, "left", leftStream), "left-");
        this.right = new Side(rightStream, requireWatermark(label, "right", rightStream), "right-");
        if (before < 0 || after < 0 || before > Long.MAX_VALUE / 4 || after > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException(label + ": time bound before=" + before + "ms after=" + after
                + "ms must be >= 0 and finite");
        }
        this.leftKeys = List.copyOf(leftKeys);
        this.rightKeys = List.copyOf(rightKeys);
        this.before = before;
        this.after = after;
        this.name = graph().operatorName("joinWithinTime");
        graph().registerCheckpointed(this);
        graph().registerLateCounter(this::lateRecords);
        graph().onStop(this::releaseHeld);
    }

    private static Schema joinSchema(final DStream l, final DStream r, final List<String> lk, final List<String> rk) {
        if (l.graph() != r.graph()) {
            throw new IllegalArgumentException("joinWithinTime: the streams belong to different graphs");
        }
        return l.graph().empty(l.schema()).join(r.graph().empty(r.schema()), lk, rk, JoinType.INNER).schema();
    }

    private static WatermarkedDStream requireWatermark(final String label, final String side, final DStream stream) {
        final WatermarkedDStream w = stream.watermarkSource();
        if (w == null) {
            throw new IllegalStateException(label + ": the " + side + " input " + stream + " has no watermark, so its join state"
                + " could never be evicted; call withWatermark(column, allowedLateness) on it");
        }
        if (!stream.schema().contains(w.column()) || stream.schema().field(w.column()).type() != ColumnType.INT64) {
            throw new IllegalArgumentException(label + ": the " + side + " input " + stream + " lost its event-time column '"
                + w.column() + "'");
        }
        return w;
    }

    @Override
    synchronized Dataset compute(final long batchTime) {
        final Dataset l = left.stream.at(batchTime);
        final Dataset r = right.stream.at(batchTime);
        if (batchTime <= restoredTime) {
            return null;
        }
        final BufferAllocator allocator = graph().executionContext().allocator();
        final List<Batch> newLeft = onTime(allocator, left, l, left.watermark.watermarkBefore(batchTime));
        final List<Batch> newRight;
        try {
            newRight = onTime(allocator, right, r, right.watermark.watermarkBefore(batchTime));
        } catch (final RuntimeException | Error ex) {
            Batch.releaseAll(newLeft);
            throw ex;
        }
        final Schema ls = left.stream.schema();
        final Schema rs = right.stream.schema();
        final List<Batch> rightAll = new ArrayList<>(right.held);
        rightAll.addAll(newRight);
        final List<Batch> out;
        try {
            final Dataset matches = within(graph().borrow(ls, newLeft), graph().borrow(rs, rightAll))
                .union(within(graph().borrow(ls, left.held), graph().borrow(rs, newRight)));
            out = DatasetBatches.materialize(matches);
        } catch (final RuntimeException | Error ex) {
            Batch.releaseAll(newLeft);
            Batch.releaseAll(newRight);
            throw ex;
        }
        for (final Batch batch : out) {
            graph().releaseAfterBatch(batch);
        }
        left.held.addAll(newLeft);
        right.held.addAll(newRight);
        evict(allocator, left, right.watermark.watermarkAfter(batchTime), before);
        evict(allocator, right, left.watermark.watermarkAfter(batchTime), after);
        return graph().borrow(schema(), out);
    }

    private Dataset within(final Dataset l, final Dataset r) {
        final String lt = left.watermark.column();
        final String rt = right.watermark.column();
        return l.join(r, leftKeys, rightKeys, JoinType.INNER)
            .filter(col(lt).ge(col(rt).minus(lit(before))).and(col(lt).le(col(rt).plus(lit(after)))));
    }

    /**
     * The rows of {@code in} at or after {@code watermark}, at least one batch (the caller owns them); counts the rest
     * as late. A batch with no late row is kept as it is, without a copy.
     */
    private List<Batch> onTime(final BufferAllocator allocator, final Side side, final Dataset in, final long watermark) {
        // a copy: each batch is taken out of it once kept or released (the list materialize returns may be fixed)
        final List<Batch> batches = new ArrayList<>(DatasetBatches.materialize(in));
        final List<Batch> kept = new ArrayList<>(batches.size() + 1);
        try {
            for (int i = 0; i < batches.size(); i++) {
                final Batch batch = batches.get(i);
                final Int64Vector ts = batch.int64Vector(side.timeColumn);
                int late = 0;
                for (int row = 0; row < batch.rowCount(); row++) {
                    if (ts.isNull(row)) {
                        throw new IllegalArgumentException(name + ": event-time column '" + side.watermark.column()
                            + "' is null at row " + row + " of the " + side.prefix + " input");
                    }
                    late += ts.get(row) < watermark ? 1 : 0;
                }
                lateRecords += late;
                batches.set(i, null);
                final Batch onTime = late == 0 ? batch : keepRows(allocator, batch, side.timeColumn, watermark);
                if (onTime != null) {
                    kept.add(onTime);
                }
            }
            if (kept.isEmpty()) {
                kept.add(BatchBuilder.empty(allocator, side.stream.schema()));
            }
            return kept;
        } catch (final RuntimeException | Error ex) {
            Batch.releaseAll(kept);
            throw ex;
        } finally {
            for (final Batch batch : batches) {
                if (batch != null) {
                    batch.release();
                }
            }
        }
    }

    /**
     * The rows of {@code batch} whose time column is at least {@code from}, taking the batch over (released or kept):
     * the batch itself when every row is, a zero-copy slice when they are one run of rows, else the runs copied in bulk;
     * null when none is.
     */
    private static Batch keepRows(final BufferAllocator allocator, final Batch batch, final int timeColumn, final long from) {
        try {
            final Int64Vector ts = batch.int64Vector(timeColumn);
            final int n = batch.rowCount();
            final int[] runs = new int[n + 1];
            int bounds = 0;
            int kept = 0;
            boolean inRun = false;
            for (int row = 0; row < n; row++) {
                final boolean keep = ts.get(row) >= from;
                if (keep != inRun) {
                    runs[bounds++] = row;
                    inRun = keep;
                }
                kept += keep ? 1 : 0;
            }
            if (inRun) {
                runs[bounds++] = n;
            }
            if (kept == n) {
                return batch.retain();
            }
            if (kept == 0) {
                return null;
            }
            if (bounds == 2) {
                return batch.slice(runs[0], runs[1]);
            }
            try (BatchBuilder builder = new BatchBuilder(allocator, batch.schema(), kept)) {
                for (int i = 0; i < bounds; i += 2) {
                    builder.appendRows(batch, runs[i], runs[i + 1] - runs[i]);
                }
                return builder.build();
            }
        } finally {
            batch.release();
        }
    }

    /** Drops the rows of {@code side} with {@code ts + bound < otherWatermark}: no future row of the other side matches them. */
    private static void evict(final BufferAllocator allocator, final Side side, final long otherWatermark, final long bound) {
        // ts + bound >= otherWatermark, without overflow for the extreme watermarks (bound <= Long.MAX_VALUE / 4)
        final long from = otherWatermark < Long.MIN_VALUE + bound ? Long.MIN_VALUE : otherWatermark - bound;
        final List<Batch> kept = new ArrayList<>();
        final List<Batch> held = new ArrayList<>(side.held);
        side.held.clear();
        try {
            for (int i = 0; i < held.size(); i++) {
                final Batch batch = held.get(i);
                held.set(i, null);
                final Batch rest = keepRows(allocator, batch, side.timeColumn, from);
                if (rest != null && rest.rowCount() > 0) {
                    kept.add(rest);
                } else if (rest != null) {
                    rest.release();
                }
            }
        } finally {
            for (final Batch batch : held) {
                if (batch != null) {
                    batch.release();
                }
            }
            side.held.addAll(kept);
        }
    }

    /** Rows dropped as late on either side so far. */
    public synchronized long lateRecords() {
        return lateRecords;
    }

    /** Rows held in state (both sides). */
    public synchronized long heldRows() {
        long rows = 0;
        for (final Batch batch : left.held) {
            rows += batch.rowCount();
        }
        for (final Batch batch : right.held) {
            rows += batch.rowCount();
        }
        return rows;
    }

    @Override
    public String checkpointName() {
        return name;
    }

    @Override
    public synchronized void snapshot(final long batchTimeMillis, final Path dir) {
        OperatorFiles.write(dir, left.prefix, batchTimeMillis, left.stream.schema(), left.held);
        OperatorFiles.write(dir, right.prefix, batchTimeMillis, right.stream.schema(), right.held);
        try (BatchBuilder builder = new BatchBuilder(graph().executionContext().allocator(), LATE_SCHEMA, 1)) {
            builder.setInt64(0, lateRecords).endRow();
            try (Batch batch = builder.build()) {
                OperatorFiles.write(dir, LATE_FILE, batchTimeMillis, LATE_SCHEMA, List.of(batch));
            }
        }
    }

    @Override
    public synchronized void restore(final long batchTimeMillis, final Path dir) throws IOException {
        final BufferAllocator allocator = graph().executionContext().allocator();
        final TreeMap<Long, List<Batch>> l = OperatorFiles.read(dir, left.prefix, left.stream.schema(), allocator);
        final TreeMap<Long, List<Batch>> r = OperatorFiles.read(dir, right.prefix, right.stream.schema(), allocator);
        final TreeMap<Long, List<Batch>> late = OperatorFiles.read(dir, LATE_FILE, LATE_SCHEMA, allocator);
        try {
            if (l.size() != 1 || r.size() != 1 || late.size() != 1 || late.firstEntry().getValue().get(0).rowCount() != 1) {
                throw new CheckpointException(dir, name + ": expected one left, right and late-count file in " + dir);
            }
            lateRecords = late.firstEntry().getValue().get(0).int64Vector(0).get(0);
        } catch (final RuntimeException ex) {
            release(l);
            release(r);
            throw ex;
        } finally {
            release(late);
        }
        releaseHeld();
        left.held.addAll(l.firstEntry().getValue());
        right.held.addAll(r.firstEntry().getValue());
        restoredTime = batchTimeMillis;
    }

    private static void release(final TreeMap<Long, List<Batch>> files) {
        for (final Map.Entry<Long, List<Batch>> e : files.entrySet()) {
            e.getValue().forEach(Batch::release);
        }
    }

    private synchronized void releaseHeld() {
        left.held.forEach(Batch::release);
        left.held.clear();
        right.held.forEach(Batch::release);
        right.held.clear();
    }

    @Override
    public String toString() {
        return name + "(" + left.stream + ", " + right.stream + " on " + leftKeys + "=" + rightKeys + ", " + right.watermark.column()
            + " - " + before + "ms <= " + left.watermark.column() + " <= " + right.watermark.column() + " + " + after + "ms)";
    }
}
