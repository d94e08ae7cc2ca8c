package io.sluice.memory;

import org.agrona.DirectBuffer;

/** Read-only INT64 column. */
public interface Int64Vector extends ColumnVector {
    /** The value at {@code row}; 0 for a null row. */
    long get(int row);

    /**
     * The values as a buffer: row {@code r} at byte index {@code 8 * r}, native (little-endian) order, exactly
     * {@code 8 * rowCount()} bytes. For hot loops: the caller does one liveness check (obtaining the vector) and
     * then scans without per-row checks. Not checked for release: valid only while the batch is retained.
     */
    DirectBuffer dataBuffer();

    /**
     * Sum of the non-null values (null rows hold 0), wrapping on overflow. With bounds checks on the scan holds a
     * reference to the batch for its duration (throwing {@link IllegalStateException} if the batch is already
     * released), so a release racing it on another thread cannot free the memory under it.
     */
    long sum();

    @Override
    default Object getObject(final int row) {
        return isNull(row) ? null : get(row);
    }
}
