package io.sluice.memory;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/** INT32 vector: 4 bytes per row; {@link #dataBuffer()} is a zero-copy window starting at this vector's row 0. */
final class Int32ColumnVector extends AbstractColumnVector implements Int32Vector {
    private final UnsafeBuffer values;
    /** Absolute address of row 0: rows are read with one unchecked load after {@link #checkRow}. */
    private final long address;

    Int32ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.values = new UnsafeBuffer(column.data.unsafeView(), rowOffset << 2, rowCount << 2);
        this.address = dataAddress(4);
    }

    @Override
    public int get(final int row) {
        checkRow(row);
        return UnsafeApi.getInt(address + ((long) row << 2));
    }

    @Override
    public DirectBuffer dataBuffer() {
        checkLive();
        return values;
    }
}
