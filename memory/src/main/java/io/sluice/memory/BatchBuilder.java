package io.sluice.memory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.MutableDirectBuffer;

/**
 * Builds one {@link Batch}: append rows with the typed setters (one value per column, then {@link #endRow()}), or
 * whole columns from arrays or from another batch's vectors. Each column grows geometrically, so a million-row
 * batch is built without quadratic copying. {@link #build()} seals the batch and hands it the buffers; closing a
 * builder that was never built releases them. Single-threaded.
 */
public final class BatchBuilder implements AutoCloseable {
    /** Rows reserved up front when the caller gives no hint. */
    public static final int DEFAULT_INITIAL_ROWS = 1024;

    private final Schema schema;
    private final ColumnBuilder[] columns;
    private int rows;
    private boolean finished;

    public BatchBuilder(final BufferAllocator allocator, final Schema schema) {
        this(allocator, schema, DEFAULT_INITIAL_ROWS);
    }

    /** A builder reserving room for {@code initialRows} rows (a hint; columns grow past it). */
    public BatchBuilder(final BufferAllocator allocator, final Schema schema, final int initialRows) {
        if (initialRows < 0) {
            throw new IllegalArgumentException("initialRows=" + initialRows + " must be >= 0");
        }
        this.schema = schema;
        this.columns = new ColumnBuilder[schema.fieldCount()];
        try {
            for (int i = 0; i < columns.length; i++) {
                columns[i] = new ColumnBuilder(schema.field(i), allocator, Math.max(initialRows, 1));
            }
        } catch (final RuntimeException ex) {
            close();
            throw ex;
        }
    }

    public Schema schema() {
        return schema;
    }

    /** After a whole-column append: once every column has the same length, that is the completed row count. */
    private BatchBuilder syncRows() {
        final int count = columns[0].count();
        for (final ColumnBuilder column : columns) {
            if (column.count() != count) {
                return this;
            }
        }
        rows = count;
        return this;
    }

    /** Rows completed: by {@link #endRow()}, or by column appends that left every column the same length. */
    public int rowCount() {
        return rows;
    }

    private ColumnBuilder column(final int index) {
        if (finished) {
            throw new IllegalStateException("builder already built or closed");
        }
        if (index < 0 || index >= columns.length) {
            throw new IndexOutOfBoundsException("column index=" + index + " out of range [0, " + columns.length + ")");
        }
        return columns[index];
    }

    private ColumnBuilder rowColumn(final int index) {
        final ColumnBuilder column = column(index);
        if (column.count() != rows) {
            throw new IllegalStateException("column '" + column.field().name() + "' already has a value for row " + rows
                + " (count=" + column.count() + ")");
        }
        return column;
    }

    public BatchBuilder setBoolean(final int column, final boolean value) {
        rowColumn(column).appendBoolean(value);
        return this;
    }

    public BatchBuilder setInt32(final int column, final int value) {
        rowColumn(column).appendInt(value);
        return this;
    }

    public BatchBuilder setInt64(final int column, final long value) {
        rowColumn(column).appendLong(value);
        return this;
    }

    public BatchBuilder setFloat64(final int column, final double value) {
        rowColumn(column).appendDouble(value);
        return this;
    }

    /** Sets a UTF8 value; a null {@code value} sets null. */
    public BatchBuilder setUtf8(final int column, final String value) {
        if (value == null) {
            return setNull(column);
        }
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        rowColumn(column).appendUtf8(bytes, 0, bytes.length);
        return this;
    }

    /** Sets a UTF8 value from already-encoded bytes (not validated as UTF-8). */
    public BatchBuilder setUtf8(final int column, final byte[] utf8, final int offset, final int length) {
        rowColumn(column).appendUtf8(utf8, offset, length);
        return this;
    }

    /** Sets null; throws if the field is not nullable. */
    public BatchBuilder setNull(final int column) {
        rowColumn(column).appendNull();
        return this;
    }

    /** Completes the current row; throws naming any column without a value. */
    public BatchBuilder endRow() {
        for (final ColumnBuilder column : columns) {
            if (column.count() != rows + 1) {
                throw new IllegalStateException("row " + rows + " incomplete: column '" + column.field().name() + "' has count="
                    + column.count() + ", expected " + (rows + 1));
            }
        }
        rows++;
        return this;
    }

    public BatchBuilder appendBooleanColumn(final int column, final boolean[] values) {
        final ColumnBuilder builder = column(column);
        for (final boolean value : values) {
            builder.appendBoolean(value);
        }
        return syncRows();
    }

    public BatchBuilder appendInt32Column(final int column, final int[] values) {
        final ColumnBuilder builder = column(column);
        for (final int value : values) {
            builder.appendInt(value);
        }
        return syncRows();
    }

    public BatchBuilder appendInt64Column(final int column, final long[] values) {
        column(column).appendLongs(values, values.length);
        return syncRows();
    }

    /**
     * Appends {@code rows} non-null values to fixed-width (INT32, INT64, FLOAT64) column {@code column}, written by the
     * caller through the returned view: value i at byte {@code i * width} in native order. Every value must be written
     * before the builder is used again (another append may move the buffer); an empty column's buffer is not zeroed
     * first, so a value left unwritten reads as whatever the memory held. For a producer that computes a column
     * row by row: no intermediate array, no copy.
     */
    public MutableDirectBuffer appendUnwritten(final int column, final int rows) {
        final MutableDirectBuffer view = column(column).appendUnwritten(rows);
        syncRows();
        return view;
    }

    public BatchBuilder appendFloat64Column(final int column, final double[] values) {
        final ColumnBuilder builder = column(column);
        for (final double value : values) {
            builder.appendDouble(value);
        }
        return syncRows();
    }

    /** Appends UTF8 values; null elements become nulls. */
    public BatchBuilder appendUtf8Column(final int column, final String[] values) {
        final ColumnBuilder builder = column(column);
        for (final String value : values) {
            if (value == null) {
                builder.appendNull();
            } else {
                final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                builder.appendUtf8(bytes, 0, bytes.length);
            }
        }
        return syncRows();
    }

    /**
     * Appends {@code rows} non-null values to UTF8 column {@code column}, packed in {@code utf8}: value {@code i} is
     * bytes {@code [ends[i - 1], ends[i])} (the first starts at 0). One bulk copy for the whole run.
     */
    public BatchBuilder appendUtf8Values(final int column, final byte[] utf8, final int[] ends, final int rows) {
        column(column).appendUtf8Values(utf8, ends, rows);
        return syncRows();
    }

    /** Appends every row of {@code source} (same type; nulls kept) to column {@code column}. */
    public BatchBuilder appendColumn(final int column, final ColumnVector source) {
        column(column).appendAll((AbstractColumnVector) source);
        return syncRows();
    }

    /** Appends row {@code row} of {@code source} (same type; null kept) to column {@code column}. */
    public BatchBuilder appendValue(final int column, final ColumnVector source, final int row) {
        column(column).appendFrom((AbstractColumnVector) source, row);
        return syncRows();
    }

    /**
     * Appends to column {@code column} the values of {@code source} (same type) at rows {@code rows[0, count)}, in
     * that order; a negative row appends null (the column must be nullable). One bulk growth and a typed loop.
     */
    public BatchBuilder appendGathered(final int column, final ColumnVector source, final int[] rows, final int count) {
        column(column).appendGathered((AbstractColumnVector) source, rows, count);
        return syncRows();
    }

    /** Appends row {@code row} of {@code source}, which must have this builder's schema, as a complete row. */
    public BatchBuilder appendRow(final Batch source, final int row) {
        for (int i = 0; i < columns.length; i++) {
            rowColumn(i).appendFrom(source.columnVector(i), row);
        }
        return endRow();
    }

    /**
     * Appends rows {@code [from, from + count)} of {@code source}, which must have this builder's schema, as complete
     * rows, copying each column's values in bulk. Every column must be at a row boundary.
     */
    public BatchBuilder appendRows(final Batch source, final int from, final int count) {
        if (from < 0 || count < 0 || from > source.rowCount() - count) {
            throw new IndexOutOfBoundsException("rows from=" + from + " count=" + count + " out of source range [0, "
                + source.rowCount() + ")");
        }
        for (int i = 0; i < columns.length; i++) {
            rowColumn(i);
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i].appendRange(source.columnVector(i), from, count);
        }
        rows += count;
        return this;
    }

    /**
     * A new batch of every row of {@code parts}, each of schema {@code schema}, in order, copied a column range at a
     * time; the parts stay owned by the caller.
     */
    public static Batch concat(final BufferAllocator allocator, final Schema schema, final List<Batch> parts) {
        long rows = 0;
        for (int i = 0; i < parts.size(); i++) {
            final Batch part = parts.get(i);
            if (!part.schema().equals(schema)) {
                throw new IllegalArgumentException("cannot concatenate part index=" + i + " of schema=" + part.schema()
                    + " into " + schema);
            }
            rows += part.rowCount();
        }
        if (rows > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("concatenation too large: rows=" + rows + " in parts=" + parts.size());
        }
        if (parts.size() > 1 && rows > 0) {
            return concatSharing(allocator, schema, parts, (int) rows);
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, (int) rows)) {
            for (final Batch part : parts) {
                builder.appendRows(part, 0, part.rowCount());
            }
            return builder.build();
        }
    }

    /**
     * {@link #concat} of two or more parts: a column whose parts are consecutive row windows of the same buffers (the
     * parts of a split task each holding a slice of one input column, shared through a projection) is shared as one
     * window, not copied; the other columns are copied.
     */
    private static Batch concatSharing(final BufferAllocator allocator, final Schema schema, final List<Batch> parts,
                                       final int rows) {
        final int fields = schema.fieldCount();
        final boolean[] shared = new boolean[fields];
        final List<Field> copiedFields = new ArrayList<>();
        for (int c = 0; c < fields; c++) {
            shared[c] = consecutiveWindows(parts, c);
            if (!shared[c]) {
                copiedFields.add(schema.field(c));
            }
        }
        final Batch copied;
        if (copiedFields.isEmpty()) {
            copied = null;
        } else {
            final Schema copiedSchema = new Schema(copiedFields);
            try (BatchBuilder builder = new BatchBuilder(allocator, copiedSchema, rows)) {
                for (final Batch part : parts) {
                    int k = 0;
                    for (int c = 0; c < fields; c++) {
                        if (!shared[c]) {
                            builder.rowColumn(k++).appendRange(part.columnVector(c), 0, part.rowCount());
                        }
                    }
                    builder.rows += part.rowCount();
                }
                copied = builder.build();
            }
        }
        final ColumnData[] columns = new ColumnData[fields];
        final int[] rowOffsets = new int[fields];
        int done = 0;
        try {
            int k = 0;
            for (; done < fields; done++) {
                final AbstractColumnVector from = shared[done] ? parts.get(0).columnVector(done) : copied.columnVector(k++);
                columns[done] = from.column.share(schema.field(done));
                rowOffsets[done] = from.rowOffset;
            }
            return new Batch(schema, rows, columns, rowOffsets);
        } finally {
            if (done < fields) {
                for (int c = 0; c < done; c++) {
                    columns[c].release();
                }
            }
            if (copied != null) {
                copied.release();
            }
        }
    }

    /** Whether column {@code c} of every part is the rows right after the previous part's in the same buffers. */
    private static boolean consecutiveWindows(final List<Batch> parts, final int c) {
        AbstractColumnVector previous = parts.get(0).columnVector(c);
        for (int i = 1; i < parts.size(); i++) {
            final AbstractColumnVector next = parts.get(i).columnVector(c);
            if (next.column.data != previous.column.data || next.column.validity != previous.column.validity
                || next.column.offsets != previous.column.offsets || next.rowOffset != previous.rowOffset + previous.rowCount) {
                return false;
            }
            previous = next;
        }
        return true;
    }

    /** An empty batch of {@code schema}. */
    public static Batch empty(final BufferAllocator allocator, final Schema schema) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, 0)) {
            return builder.build();
        }
    }

    /**
     * One batch holding the rows of {@code blocks} in order, taking the blocks over: the result is the single block
     * itself, or a copy after which the blocks are released. On failure every block is released.
     */
    public static Batch concatAndRelease(final BufferAllocator allocator, final Schema schema, final List<Batch> blocks) {
        if (blocks.isEmpty()) {
            return empty(allocator, schema);
        }
        if (blocks.size() == 1) {
            return blocks.get(0);
        }
        try {
            return concat(allocator, schema, blocks);
        } finally {
            Batch.releaseAll(blocks);
        }
    }

    /**
     * Completes row {@code row} of a builder filled by a mix of value copies and setters: a copy into the last
     * column already completed the row (the builder syncs on whole-column appends), otherwise end it here.
     */
    public void finishRow(final int row) {
        if (rows == row) {
            endRow();
        }
    }

    /**
     * Seals and returns the batch. Every column must hold the same number of values (whether appended by rows or
     * by columns). The builder cannot be used afterwards.
     */
    public Batch build() {
        if (finished) {
            throw new IllegalStateException("builder already built or closed");
        }
        final int count = columns[0].count();
        for (final ColumnBuilder column : columns) {
            if (column.count() != count) {
                throw new IllegalStateException("columns differ in length: '" + columns[0].field().name() + "' count=" + count
                    + " but '" + column.field().name() + "' count=" + column.count());
            }
        }
        final ColumnData[] data = new ColumnData[columns.length];
        for (int i = 0; i < columns.length; i++) {
            data[i] = columns[i].finish();
        }
        finished = true;
        return new Batch(schema, count, data);
    }

    /** Releases the buffers if the batch was not built; idempotent. */
    @Override
    public void close() {
        finished = true;
        for (final ColumnBuilder column : columns) {
            if (column != null) {
                column.release();
            }
        }
    }
}
