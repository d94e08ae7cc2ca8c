package io.sluice.nexmark;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * An order-independent digest of a multiset of rows: the row count and the sum of a 64-bit hash per row. Two
 * engines' outputs with equal digests hold the same rows with the same multiplicities (up to hash collisions), in
 * whatever order they came. The hash is defined on values, not on how they are stored: a Sluice batch (read in
 * place, no allocation) and a Flink record (through {@link #longValue} / {@link #doubleValue} / {@link #asciiValue},
 * column by column in schema order) give the same hash for the same row. Strings are hashed as their chars, which
 * equals their UTF-8 bytes for the ASCII text Nexmark generates. Not thread-safe; merge per-thread digests.
 */
public final class RowDigest {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private byte[] bytes = new byte[256];
    private long rows;
    private long sum;
    private long current;

    /** Adds every row of {@code batch}. */
    public void addAll(final Batch batch) {
        final Schema schema = batch.schema();
        for (int row = 0; row < batch.rowCount(); row++) {
            current = 0;
            for (int c = 0; c < schema.fieldCount(); c++) {
                final ColumnType type = schema.field(c).type();
                if (type == ColumnType.INT64) {
                    longValue(batch.int64Vector(c).get(row));
                } else if (type == ColumnType.FLOAT64) {
                    doubleValue(batch.float64Vector(c).get(row));
                } else if (type == ColumnType.INT32) {
                    longValue(batch.int32Vector(c).get(row));
                } else if (type == ColumnType.UTF8) {
                    final Utf8Vector vector = batch.utf8Vector(c);
                    final int length = vector.length(row);
                    if (length > bytes.length) {
                        bytes = new byte[Math.max(length, bytes.length * 2)];
                    }
                    vector.getBytes(row, bytes, 0);
                    long h = FNV_OFFSET;
                    for (int i = 0; i < length; i++) {
                        h = (h ^ (bytes[i] & 0xFF)) * FNV_PRIME;
                    }
                    mix(h);
                } else {
                    throw new IllegalArgumentException("column '" + schema.field(c).name() + "' of type " + type
                        + " is not digested");
                }
            }
            endRow();
        }
    }

    public RowDigest longValue(final long value) {
        mix(value);
        return this;
    }

    public RowDigest doubleValue(final double value) {
        mix(Double.doubleToLongBits(value));
        return this;
    }

    /** An ASCII string, hashed as its chars (FNV-1a), like {@link #addAll} hashes UTF-8 bytes. */
    public RowDigest asciiValue(final String value) {
        long h = FNV_OFFSET;
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ (value.charAt(i) & 0xFF)) * FNV_PRIME;
        }
        mix(h);
        return this;
    }

    /** Completes a row given value by value. */
    public void endRow() {
        sum += current;
        rows++;
        current = 0;
    }

    /** Adds {@code other}'s rows. */
    public void merge(final RowDigest other) {
        rows += other.rows;
        sum += other.sum;
    }

    public long rows() {
        return rows;
    }

    public long sum() {
        return sum;
    }

    private void mix(final long value) {
        current = stafford(current * 31 + stafford(value));
    }

    /** SplitMix64's finalizer (Stafford variant 13). */
    private static long stafford(final long x) {
        long z = x;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "rows=" + rows + " digest=" + Long.toHexString(sum);
    }
}
