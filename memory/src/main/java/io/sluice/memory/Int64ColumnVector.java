package io.sluice.memory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** INT64 vector: 8 bytes per row; {@link #dataBuffer()} is a zero-copy window starting at this vector's row 0. */
final class Int64ColumnVector extends AbstractColumnVector implements Int64Vector {
    private final UnsafeBuffer values;

    Int64ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.values = new UnsafeBuffer(column.data.unsafeView(), rowOffset << 3, rowCount << 3);
    }

    @Override
    public long get(final int row) {
        checkRow(row);
        return values.getLong(row << 3);
    }

    @Override
    public DirectBuffer dataBuffer() {
        checkLive();
        return values;
    }

    @Override
    public long sum() {
        beginScan();
        try {
            final UnsafeBuffer buffer = values;
            final int end = rowCount << 3;
            long sum = 0;
            for (int index = 0; index < end; index += Long.BYTES) {
                sum += buffer.getLong(index);
            }
            return sum;
        } finally {
            endScan();
        }
    }
}
