package io.sluice.nexmark;

import org.agrona.MutableDirectBuffer;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnBuffers;
import io.sluice.memory.ColumnType;
import io.sluice.memory.OffHeapBuffer;
import io.sluice.memory.Schema;

/**
 * The generator's events written straight into off-heap column buffers, one row per event, then sealed into a batch
 * with {@link ColumnBuffers#wrap} (which checks the buffers): an INT64 value is one store at its row's slot, a string
 * one copy into its column's data and one offset. For the Nexmark schemas only: every field INT64 or UTF8, not
 * nullable, and every field written once per row. Not thread-safe; {@link #close()} releases what was not built.
 */
final class ColumnarEventWriter implements EventWriter, AutoCloseable {
    private static final long INITIAL_BYTES_PER_STRING = 32;
    /** A string column starts at most this large and doubles when full. */
    private static final long MAX_INITIAL_STRING_BYTES = 1L << 26;

    private final BufferAllocator allocator;
    private final Schema schema;
    private final int capacity;
    private final OffHeapBuffer[] data;
    private final OffHeapBuffer[] offsets;
    private final MutableDirectBuffer[] dataView;
    private final MutableDirectBuffer[] offsetView;
    /** Bytes of each UTF8 column's data written so far. */
    private final int[] used;
    private int rows;
    private int written;
    private boolean built;

    /** Room for {@code capacity} rows of {@code schema}. */
    ColumnarEventWriter(final BufferAllocator allocator, final Schema schema, final int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be > 0");
        }
        this.allocator = allocator;
        this.schema = schema;
        this.capacity = capacity;
        final int fields = schema.fieldCount();
        data = new OffHeapBuffer[fields];
        offsets = new OffHeapBuffer[fields];
        dataView = new MutableDirectBuffer[fields];
        offsetView = new MutableDirectBuffer[fields];
        used = new int[fields];
        try {
            for (int c = 0; c < fields; c++) {
                final ColumnType type = schema.field(c).type();
                if (schema.field(c).isNullable() || type != ColumnType.INT64 && type != ColumnType.UTF8) {
                    throw new IllegalArgumentException("field " + schema.field(c) + " at index=" + c
                        + ": only non-null INT64 and UTF8 fields are written");
                }
                if (type == ColumnType.INT64) {
                    data[c] = allocator.allocate((long) capacity * Long.BYTES);
                } else {
                    offsets[c] = allocator.allocate((capacity + 1L) * Integer.BYTES);
                    offsetView[c] = offsets[c].buffer();
                    data[c] = allocator.allocate(Math.min(capacity * INITIAL_BYTES_PER_STRING, MAX_INITIAL_STRING_BYTES));
                }
                dataView[c] = data[c].buffer();
            }
        } catch (final RuntimeException | Error ex) {
            close();
            throw ex;
        }
    }

    @Override
    public void int64(final int column, final long value) {
        checkRoom();
        dataView[column].putLong(rows << 3, value);
        written++;
    }

    @Override
    public void ascii(final int column, final byte[] bytes, final int length) {
        checkRoom();
        final int start = used[column];
        final int end = start + length;
        if (end > data[column].capacity()) {
            grow(column, end);
        }
        dataView[column].putBytes(start, bytes, 0, length);
        used[column] = end;
        offsetView[column].putInt((rows + 1) << 2, end);
        written++;
    }

    /** Completes the row; throws if it did not get exactly one value per field. */
    void endRow() {
        if (written != schema.fieldCount()) {
            throw new IllegalStateException("row " + rows + " got " + written + " values for " + schema.fieldCount() + " fields");
        }
        rows++;
        written = 0;
    }

    int rowCount() {
        return rows;
    }

    /** The rows written so far as a batch, which takes the buffers over; the writer is done after this. */
    Batch build() {
        if (built) {
            throw new IllegalStateException("already built");
        }
        if (written != 0) {
            throw new IllegalStateException("row " + rows + " is not complete: " + written + " values written");
        }
        final Batch batch = ColumnBuffers.wrap(schema, rows, new OffHeapBuffer[schema.fieldCount()], offsets.clone(), data.clone());
        built = true;
        return batch;
    }

    /** Releases the buffers unless {@link #build()} handed them over. */
    @Override
    public void close() {
        if (built) {
            return;
        }
        built = true;
        for (int c = 0; c < data.length; c++) {
            if (data[c] != null) {
                data[c].release();
            }
            if (offsets[c] != null) {
                offsets[c].release();
            }
        }
    }

    private void checkRoom() {
        if (rows >= capacity) {
            throw new IllegalStateException("writer is full: capacity=" + capacity + " rows");
        }
    }

    /** Moves column {@code column}'s string data to a buffer of at least {@code needed} bytes. */
    private void grow(final int column, final int needed) {
        final OffHeapBuffer larger = allocator.allocate(Math.max(needed, 2L * data[column].capacity()));
        larger.buffer().putBytes(0, dataView[column], 0, used[column]);
        data[column].release();
        data[column] = larger;
        dataView[column] = larger.buffer();
    }
}
