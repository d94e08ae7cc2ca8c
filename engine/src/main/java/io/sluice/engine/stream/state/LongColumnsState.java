package io.sluice.engine.stream.state;

import static io.sluice.engine.dataset.KeySlotIndex.mix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Keyed state of several INT64 columns per INT64 key, held off-heap and updated in place: the many-column sibling of
 * {@link LongKeyedState}, for per-key records such as (category, start, expiry, highest price). A batch costs
 * O(rows): each row finds its key's slot of a {@link LongStateTable} (key, update time and the state columns in one
 * 64-byte line for up to five columns) and a {@link LongColumnsFold} reads the row's INT64 values and reads and
 * writes the key's state columns through a {@link LongColumnsRow} cursor, with no object per row; it may emit a row of
 * the spec's output columns, or defer the row (held off-heap, folded again later: a join's row that came before its
 * partner).
 *
 * <p>Keys idle for longer than a timeout, and rows deferred for longer, are dropped by {@link #evictUpdatedBefore}.
 * Implements {@link Checkpointed}: the snapshot is two batch files, {@value #SNAPSHOT_FILE} of (key, state columns,
 * update time) and {@value #DEFERRED_FILE} of the deferred rows (key, values, batch time deferred at). {@link #close()}
 * frees every off-heap byte. Single-threaded; null keys and values are rejected.
 */
public final class LongColumnsState implements Checkpointed, AutoCloseable {
    /** The key table's snapshot file name inside the folder given to {@link #snapshot}. */
    public static final String SNAPSHOT_FILE = "long-columns-state.sbf";
    /** The deferred rows' snapshot file name inside the folder given to {@link #snapshot}. */
    public static final String DEFERRED_FILE = "long-columns-deferred.sbf";

    private static final int KEY = LongStateTable.KEY;
    private static final int UPDATED = LongStateTable.UPDATED;
    private static final int HELD = LongStateTable.HELD;
    private static final int STATE = LongStateTable.STATE;
    private static final int CHUNK = 64;

    private final String name;
    private final BufferAllocator allocator;
    private final LongColumnsSpec spec;
    private final LongColumnsFold fold;
    private final int values;
    private final LongStateTable table;
    private final LongColumnsRow cursor;
    private final Schema snapshotSchema;
    private final Schema keysAndStates;
    /** Deferred rows: key, the values, the batch time they were first deferred at. */
    private final Schema deferredSchema;
    private final OffHeapBuffer scratch; // a new key's state columns while its first row is folded
    private Batch deferred; // rows held for a later batch time, null if none
    private int[] deferredRows = new int[CHUNK];
    private int deferredCount;
    private long touched; // where the look-ahead loads go, so the JIT keeps them

    /**
     * An empty state named {@code name} folding rows of {@code values} INT64 values (1 to 64) as {@code spec} says; the
     * table comes from {@code allocator}.
     */
    public LongColumnsState(final String name, final BufferAllocator allocator, final int values, final LongColumnsSpec spec) {
        this.name = Objects.requireNonNull(name, "name");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.spec = Objects.requireNonNull(spec, "spec");
        final String label = "long columns state '" + name + "'";
        if (values < 1 || values > Long.SIZE) {
            throw new IllegalArgumentException(label + ": values=" + values + " out of range [1, " + Long.SIZE + "]");
        }
        this.fold = spec.fold();
        this.values = values;
        final List<String> states = spec.stateSchema().fields().stream().map(Field::name).toList();
        this.snapshotSchema = LongStateTable.snapshotSchema(states);
        this.keysAndStates = withKey(spec.stateSchema());
        final Field[] held = new Field[values + 2];
        held[0] = Field.notNull("key", ColumnType.INT64);
        for (int v = 0; v < values; v++) {
            held[v + 1] = Field.notNull("value" + v, ColumnType.INT64);
        }
        held[values + 1] = Field.notNull("deferred_at", ColumnType.INT64);
        this.deferredSchema = Schema.of(held);
        this.cursor = new LongColumnsRow(label, values, states.size(), spec.outputSchema().fieldCount());
        this.table = new LongStateTable(label, allocator, new long[states.size()]);
        try {
            this.scratch = allocator.allocate(8L * states.size());
        } catch (final RuntimeException ex) {
            table.close();
            throw ex;
        }
    }

    private static Schema withKey(final Schema states) {
        final List<Field> fields = new ArrayList<>();
        fields.add(Field.notNull("key", ColumnType.INT64));
        fields.addAll(states.fields());
        return new Schema(fields);
    }

    @Override
    public String checkpointName() {
        return name;
    }

    public LongColumnsSpec spec() {
        return spec;
    }

    /** Keys held. */
    public int size() {
        return table.size();
    }

    /** Slots of the table (a power of two, at most 2/3 held): for tests and inspection. */
    public int capacity() {
        return table.capacity();
    }

    /** Rows deferred, waiting for a later batch time. */
    public int deferredRows() {
        table.checkOpen();
        return deferred == null ? 0 : deferred.rowCount();
    }

    /** The batch time of the last {@link #update} or restored snapshot ({@link Long#MIN_VALUE} before either). */
    public long lastBatchTime() {
        return table.lastBatchTime();
    }

    /** The schema of {@link #stateSnapshot()}: key, then the state columns. */
    public Schema snapshotSchema() {
        return keysAndStates;
    }

    /** State column {@code column} of {@code key}, or {@code absent} if the key is not held. */
    public long get(final long key, final int column, final long absent) {
        table.checkOpen();
        final int at = table.find(key);
        return at < 0 ? absent : table.state(at, column);
    }

    /**
     * Folds the rows of batch time {@code batchTimeMillis} (after the last update's; it becomes the update time of
     * every key a row folds into): every row of {@code inputs} (a dataset's partitions, read where they are) in order,
     * its key in INT64 column {@code keyColumn} and its values in INT64 columns {@code valueColumns}; then the rows
     * deferred before, and those deferred now, once more. Returns the emitted rows (of the spec's output schema), in
     * batches the caller releases, none empty. Every input is checked for nulls before any row is folded. Changed in
     * place: if the fold throws, the rows before stay applied and its row leaves no new key (recover by restoring the
     * last snapshot and replaying); deferring more than the spec's most fails the same way.
     */
    public List<Batch> update(final long batchTimeMillis, final List<Batch> inputs, final int keyColumn,
                              final int... valueColumns) {
        if (valueColumns.length != values) {
            throw new IllegalArgumentException(table.label() + ": valueColumns=" + Arrays.toString(valueColumns)
                + " but the state folds values=" + values);
        }
        table.checkUpdate(batchTimeMillis);
        LongStateBatches.checkInputs(table.label(), inputs, keyColumn, valueColumns);
        final List<Batch> outputs = new ArrayList<>();
        final List<Batch> retry = new ArrayList<>();
        table.beginUpdate(batchTimeMillis);
        cursor.activate(true);
        try {
            Batch.releaseAllIfThrows(outputs, () -> {
                for (final Batch input : inputs) {
                    addIfAny(outputs, foldBatch(input, keyColumn, valueColumns, batchTimeMillis));
                    if (deferredCount > 0) {
                        retry.add(deferredOf(input, keyColumn, valueColumns, batchTimeMillis));
                    }
                }
                if (deferred != null) {
                    retry.add(0, deferred);
                    deferred = null; // released with the retried rows; a failure below loses them (restore the snapshot)
                }
                deferred = retryDeferred(retry, batchTimeMillis, outputs);
            });
        } finally {
            cursor.activate(false);
            table.endUpdate(batchTimeMillis);
            Batch.releaseAll(retry);
        }
        return outputs;
    }

    private static void addIfAny(final List<Batch> outputs, final Batch out) {
        if (out != null) {
            outputs.add(out);
        }
    }

    /** Folds the retried rows (in order) once; returns those deferred again (null if none), emitted rows to {@code outputs}. */
    private Batch retryDeferred(final List<Batch> retry, final long time, final List<Batch> outputs) {
        if (retry.isEmpty()) {
            return null;
        }
        final int[] valueColumns = new int[values];
        Arrays.setAll(valueColumns, v -> v + 1);
        try (BatchBuilder again = new BatchBuilder(allocator, deferredSchema, 0)) {
            for (final Batch rows : retry) {
                addIfAny(outputs, foldBatch(rows, 0, valueColumns, time));
                for (int c = 0; c < deferredSchema.fieldCount(); c++) {
                    again.appendGathered(c, rows.vector(c), deferredRows, deferredCount);
                }
            }
            if (again.rowCount() > spec.maxDeferredRows()) {
                throw new IllegalStateException(table.label() + ": deferred rows=" + again.rowCount() + " exceed maxDeferredRows="
                    + spec.maxDeferredRows() + " at batchTime=" + time);
            }
            return again.rowCount() == 0 ? null : again.build();
        }
    }

    /** The rows of {@code input} the last {@link #foldBatch} deferred, as deferred rows of batch time {@code time}. */
    private Batch deferredOf(final Batch input, final int keyColumn, final int[] valueColumns, final long time) {
        try (BatchBuilder out = new BatchBuilder(allocator, deferredSchema, deferredCount)) {
            out.appendGathered(0, input.vector(keyColumn), deferredRows, deferredCount);
            for (int v = 0; v < values; v++) {
                out.appendGathered(v + 1, input.vector(valueColumns[v]), deferredRows, deferredCount);
            }
            final MutableDirectBuffer at = out.appendUnwritten(values + 1, deferredCount);
            for (int r = 0; r < deferredCount; r++) {
                at.putLong(r << 3, time);
            }
            return out.build();
        }
    }

    /**
     * Folds every row of {@code input}; returns its emitted rows (null if none) and leaves the indexes of the rows it
     * deferred in {@code deferredRows[0, deferredCount)}.
     */
    private Batch foldBatch(final Batch input, final int keyColumn, final int[] valueColumns, final long time) {
        final int rows = input.rowCount();
        deferredCount = 0;
        if (rows == 0) {
            return null;
        }
        final DirectBuffer keys = input.int64Vector(keyColumn).dataBuffer();
        final long[] valueAddresses = new long[values];
        for (int v = 0; v < values; v++) {
            final DirectBuffer column = input.int64Vector(valueColumns[v]).dataBuffer();
            LongStateBatches.checkRows(table.label(), rows, column);
            valueAddresses[v] = column.addressOffset();
        }
        LongStateBatches.checkRows(table.label(), rows, keys);
        cursor.bindValues(valueAddresses);
        final Schema outSchema = spec.outputSchema();
        try (Batch held = input.retain(); BatchBuilder out = new BatchBuilder(allocator, outSchema, rows)) {
            final long[] outAddresses = new long[outSchema.fieldCount()];
            for (int c = 0; c < outAddresses.length; c++) {
                final MutableDirectBuffer column = out.appendUnwritten(c, rows);
                LongStateBatches.checkRows(table.label(), rows, column);
                outAddresses[c] = column.addressOffset();
            }
            cursor.bindOutput(outAddresses);
            final int emitted = foldRows(keys.addressOffset(), held.rowCount(), time);
            if (emitted == 0) {
                return null;
            }
            try (Batch all = out.build()) {
                return all.slice(0, emitted);
            }
        }
    }

    /**
     * Folds {@code rows} rows whose keys are at address {@code keys} (values and output bound to the cursor); returns
     * how many rows were emitted. Reads and writes the table by address as {@link LongStateTable} allows (the table
     * and its address are reloaded after an insert, which may grow it).
     */
    private int foldRows(final long keys, final int rows, final long time) {
        final LongColumnsFold f = fold;
        final LongColumnsRow row = cursor;
        final int shift = table.shift();
        final int columns = table.columns();
        final long fresh = scratch.address();
        final ExpiryLog expiry = table.log();
        long t = table.address();
        int m = table.mask();
        int emitted = 0;
        for (int from = 0; from < rows; from += CHUNK) {
            final int to = Math.min(rows, from + CHUNK);
            if (LongStateTable.prefetch(m, shift)) {
                touched += LongStateTable.touchHomes(keys, from, to, t, m, shift);
            }
            for (int r = from; r < to; r++) {
                final long key = UnsafeApi.getLong(keys + ((long) r << 3));
                long at = 0;
                int code;
                for (int pos = (int) mix(key) & m; ; pos = (pos + 1) & m) {
                    final long slot = t + ((long) pos << shift);
                    if (UnsafeApi.getLong(slot + HELD) == 0) {
                        // fold on a scratch state first: a deferred row, or a throwing fold, enters no key
                        for (int c = 0; c < columns; c++) {
                            UnsafeApi.putLong(fresh + ((long) c << 3), 0L);
                        }
                        row.moveTo(r, key, fresh, true, emitted);
                        code = check(f.apply(row), key);
                        if (code != LongColumnsFold.DEFER) {
                            final int entered = table.insert(pos << shift, key, time);
                            t = table.address();
                            m = table.mask();
                            at = t + entered;
                            for (int c = 0; c < columns; c++) {
                                UnsafeApi.putLong(at + STATE + ((long) c << 3), UnsafeApi.getLong(fresh + ((long) c << 3)));
                            }
                        }
                        break;
                    }
                    if (UnsafeApi.getLong(slot + KEY) == key) {
                        row.moveTo(r, key, slot + STATE, false, emitted);
                        code = check(f.apply(row), key);
                        at = slot;
                        break;
                    }
                }
                if (code == LongColumnsFold.DEFER) {
                    defer(r);
                    continue;
                }
                if (code == LongColumnsFold.EMIT) {
                    emitted++;
                }
                if (expiry != null && UnsafeApi.getLong(at + UPDATED) != time) {
                    expiry.append(time, key);
                }
                UnsafeApi.putLong(at + UPDATED, time);
            }
        }
        return emitted;
    }

    /** {@code code} if it is one of the fold's, with every output column written for an emit; else throws naming the key. */
    private int check(final int code, final long key) {
        if (code == LongColumnsFold.EMIT && !cursor.outputComplete()) {
            throw new IllegalStateException(table.label() + ": the fold emitted a row for key=" + key + " without output column '"
                + spec.outputSchema().field(cursor.firstUnwritten()).name() + "'");
        }
        if (code != LongColumnsFold.KEEP && code != LongColumnsFold.EMIT && code != LongColumnsFold.DEFER) {
            throw new IllegalStateException(table.label() + ": the fold returned code=" + code + " for key=" + key
                + ", not KEEP (0), EMIT (1) or DEFER (2)");
        }
        return code;
    }

    private void defer(final int row) {
        if (deferredCount == deferredRows.length) {
            deferredRows = Arrays.copyOf(deferredRows, deferredRows.length * 2);
        }
        deferredRows[deferredCount++] = row;
    }

    /**
     * Drops every key last updated before {@code cutoffMillis}, and every row deferred before it; returns how many
     * keys. Reads only the keys updated since the last call (see {@link LongKeyedState#evictUpdatedBefore}).
     */
    public int evictUpdatedBefore(final long cutoffMillis) {
        final int evicted = table.evictUpdatedBefore(cutoffMillis);
        if (deferred != null) {
            final Int64Vector since = deferred.int64Vector(values + 1);
            deferredCount = 0;
            int kept = 0;
            for (int r = 0; r < deferred.rowCount(); r++) {
                if (since.get(r) >= cutoffMillis) {
                    defer(r); // reuses the row list: kept rows
                    kept++;
                }
            }
            deferredCount = kept;
            if (kept < deferred.rowCount()) {
                final Batch old = deferred;
                deferred = null;
                try (old; BatchBuilder out = new BatchBuilder(allocator, deferredSchema, kept)) {
                    for (int c = 0; c < deferredSchema.fieldCount(); c++) {
                        out.appendGathered(c, old.vector(c), deferredRows, kept);
                    }
                    deferred = kept == 0 ? null : out.build();
                }
            }
            deferredCount = 0;
        }
        return evicted;
    }

    /** Every key held with its state columns (the caller releases the batch): {@link #snapshotSchema()}. */
    public Batch stateSnapshot() {
        return table.keysAndStates(keysAndStates);
    }

    @Override
    public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
        table.snapshot(dir.resolve(SNAPSHOT_FILE), snapshotSchema);
        try (BatchFileWriter writer = BatchFileWriter.create(dir.resolve(DEFERRED_FILE), deferredSchema)) {
            if (deferred != null) {
                writer.write(deferred);
            }
        }
    }

    /** {@inheritDoc} A missing, corrupt or foreign file throws a {@link CheckpointException} and leaves the state empty. */
    @Override
    public void restore(final long batchTimeMillis, final Path dir) throws IOException {
        table.checkOpen();
        table.checkNotFolding("changed");
        if (deferred != null) {
            deferred.release();
            deferred = null;
        }
        table.restore(batchTimeMillis, dir, SNAPSHOT_FILE, snapshotSchema);
        final Batch rows;
        try {
            rows = BatchBuilder.concatAndRelease(allocator, deferredSchema,
                StateSnapshots.read(allocator, dir, DEFERRED_FILE, deferredSchema, table.label()));
        } catch (final IOException | RuntimeException ex) {
            table.clear();
            throw ex;
        }
        if (rows.rowCount() == 0) {
            rows.release();
        } else {
            deferred = rows;
        }
    }

    /** Frees the table and the deferred rows; idempotent. Throws {@link IllegalStateException} if called from inside the fold. */
    @Override
    public void close() {
        table.checkNotFolding("closed");
        if (deferred != null) {
            deferred.release();
            deferred = null;
        }
        if (!scratch.isReleased()) {
            scratch.release();
        }
        table.close();
    }
}
