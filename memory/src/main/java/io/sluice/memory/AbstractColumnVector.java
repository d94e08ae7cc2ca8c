package io.sluice.memory;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Shared state of the column vectors: the column's buffers, the row window {@code [rowOffset, rowOffset + rowCount)}
 * into them (non-zero for slices), and the owning batch, whose reference count every checked access consults.
 */
abstract class AbstractColumnVector implements ColumnVector {
    final ColumnData column;
    final Batch owner;
    final int rowOffset;
    final int rowCount;
    private final UnsafeBuffer validity;

    AbstractColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        this.column = column;
        this.owner = owner;
        this.rowOffset = rowOffset;
        this.rowCount = rowCount;
        this.validity = column.validity == null ? null : column.validity.unsafeView();
    }

    /** The vector for {@code column} over rows {@code [rowOffset, rowOffset + rowCount)} of its buffers. */
    static AbstractColumnVector create(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        switch (column.field.type()) {
            case BOOLEAN:
                return new BooleanColumnVector(column, owner, rowOffset, rowCount);
            case INT32:
                return new Int32ColumnVector(column, owner, rowOffset, rowCount);
            case INT64:
                return new Int64ColumnVector(column, owner, rowOffset, rowCount);
            case FLOAT64:
                return new Float64ColumnVector(column, owner, rowOffset, rowCount);
            case UTF8:
                return new Utf8ColumnVector(column, owner, rowOffset, rowCount);
            default:
                throw new IllegalArgumentException("unsupported column type=" + column.field.type());
        }
    }

    /** A vector over rows {@code [from, from + count)} of this one, guarded by {@code sliceOwner}. */
    final AbstractColumnVector slice(final Batch sliceOwner, final int from, final int count) {
        return create(column, sliceOwner, rowOffset + from, count);
    }

    @Override
    public final Field field() {
        return column.field;
    }

    @Override
    public final int rowCount() {
        return rowCount;
    }

    @Override
    public final boolean isNull(final int row) {
        checkRow(row);
        return validity != null && !bit(validity, rowOffset + row);
    }

    /** Whether bit {@code absoluteRow} of a bit-packed buffer is set. */
    static boolean bit(final UnsafeBuffer bits, final int absoluteRow) {
        return (bits.getByte(absoluteRow >>> 3) & (1 << (absoluteRow & 7))) != 0;
    }

    /**
     * Throws if the batch was released or {@code row} is outside this vector (only with bounds checks on). Both
     * checks are shaped for the JIT to take them out of a counted loop over rows: the liveness read is plain (loop
     * invariant, so hoisted) and the range test is one unsigned compare against a final field (range-check
     * elimination), so a checked {@code get(row)} loop costs about what an array loop does.
     */
    final void checkRow(final int row) {
        if (BoundsChecks.ENABLED) {
            owner.checkLivePlain();
            if (row < 0 || row >= rowCount) {
                throw rowOutOfRange(row);
            }
        }
    }

    /** Throws if the batch was released or {@code [from, from + count)} is not inside this vector (checks on). */
    final void checkRange(final int from, final int count) {
        if (BoundsChecks.ENABLED) {
            owner.checkLive();
            if (from < 0 || count < 0 || from > rowCount - count) {
                throw new IndexOutOfBoundsException("column '" + column.field.name() + "' rows [" + from + ", "
                    + ((long) from + count) + ") out of range [0, " + rowCount + ")");
            }
        }
    }

    private IndexOutOfBoundsException rowOutOfRange(final int row) {
        return new IndexOutOfBoundsException("column '" + column.field.name() + "' row " + row
            + " out of range [0, " + rowCount + ")");
    }

    /** The absolute address of this vector's row 0 in a fixed-width data buffer of {@code width} bytes a row. */
    final long dataAddress(final int width) {
        return column.data.address() + (long) rowOffset * width;
    }

    final void checkLive() {
        if (BoundsChecks.ENABLED) {
            owner.checkLive();
        }
    }

    /**
     * With bounds checks on, takes a reference for a whole-column scan (throwing if the batch was released), so a
     * racing last release cannot free the memory under the scan; {@link #endScan()} drops it. No-op with checks off.
     */
    final void beginScan() {
        if (BoundsChecks.ENABLED) {
            owner.retain();
        }
    }

    final void endScan() {
        if (BoundsChecks.ENABLED) {
            owner.release();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + column.field + " rows=" + rowCount + "]";
    }
}
