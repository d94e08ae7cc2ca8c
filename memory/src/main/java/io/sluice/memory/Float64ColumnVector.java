package io.sluice.memory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** FLOAT64 vector: 8 bytes per row; {@link #dataBuffer()} is a zero-copy window starting at this vector's row 0. */
final class Float64ColumnVector extends AbstractColumnVector implements Float64Vector {
    private final UnsafeBuffer values;

    Float64ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.values = new UnsafeBuffer(column.data.unsafeView(), rowOffset << 3, rowCount << 3);
    }

    @Override
    public double get(final int row) {
        checkRow(row);
        return values.getDouble(row << 3);
    }

    @Override
    public DirectBuffer dataBuffer() {
        checkLive();
        return values;
    }
}
