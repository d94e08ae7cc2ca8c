package io.sluice.memory;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/** INT64 vector: 8 bytes per row; {@link #dataBuffer()} is a zero-copy window starting at this vector's row 0. */
final class Int64ColumnVector extends AbstractColumnVector implements Int64Vector {
    private final UnsafeBuffer values;
    /** Absolute address of row 0: rows are read with one unchecked load after {@link #checkRow}. */
    private final long address;

    Int64ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.values = new UnsafeBuffer(column.data.unsafeView(), rowOffset << 3, rowCount << 3);
        this.address = dataAddress(8);
    }

    @Override
    public long get(final int row) {
        checkRow(row);
        return UnsafeApi.getLong(address + ((long) row << 3));
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
            // One check for the whole scan (the reference held keeps the memory alive against a racing last
            // release), then unchecked loads (Agrona's UnsafeBuffer would check each one).
            final long base = address;
            final int rows = rowCount;
            long sum = 0;
            for (int row = 0; row < rows; row++) {
                sum += UnsafeApi.getLong(base + ((long) row << 3));
            }
            return sum;
        } finally {
            endScan();
        }
    }
}
