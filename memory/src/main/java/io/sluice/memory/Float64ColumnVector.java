package io.sluice.memory;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/** FLOAT64 vector: 8 bytes per row; {@link #dataBuffer()} is a zero-copy window starting at this vector's row 0. */
final class Float64ColumnVector extends AbstractColumnVector implements Float64Vector {
    private final UnsafeBuffer values;
    /** Absolute address of row 0: rows are read with one unchecked load after {@link #checkRow}. */
    private final long address;

    Float64ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.values = new UnsafeBuffer(column.data.unsafeView(), rowOffset << 3, rowCount << 3);
        this.address = dataAddress(8);
    }

    @Override
    public double get(final int row) {
        checkRow(row);
        return UnsafeApi.getDouble(address + ((long) row << 3));
    }

    @Override
    public DirectBuffer dataBuffer() {
        checkLive();
        return values;
    }
}
