package io.sluice.memory;

import org.agrona.concurrent.UnsafeBuffer;

/** BOOLEAN vector: one bit per row. */
final class BooleanColumnVector extends AbstractColumnVector implements BooleanVector {
    private final UnsafeBuffer bits;

    BooleanColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.bits = column.data.unsafeView();
    }

    @Override
    public boolean get(final int row) {
        checkRow(row);
        return bit(bits, rowOffset + row);
    }
}
