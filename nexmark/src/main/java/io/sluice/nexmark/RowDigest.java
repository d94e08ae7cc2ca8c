package io.sluice.nexmark;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Hashing;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * An order-independent digest of a multiset of rows: the row count and the sum of a 64-bit hash per row. Two
 * engines' outputs with equal digests hold the same rows with the same multiplicities (up to hash collisions), in
 * whatever order they came. The hash is defined on values, not on how they are stored: a Sluice batch (read in
 * place, no allocation) and a Flink record (through {@link #longValue} / {@link #doubleValue} / {@link #asciiValue},
 * column by column in schema order) give the same hash for the same row. Strings are hashed as their UTF-8 bytes
 * (xxHash64, {@link Utf8Vector#hash}); a Flink string's chars are those bytes for the ASCII text Nexmark generates.
 * Not thread-safe; merge per-thread digests.
 */
public final class RowDigest {
    private byte[] bytes = new byte[256];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private long[] hashes = new long[1024];
    private long rows;
    private long sum;
    private long current;

    /**
     * Adds every row of {@code batch}, a column at a time: each column's vector is looked up once and its values
     * folded into every row's hash, strings hashed in place (no copy).
     */
    public void addAll(final Batch batch) {
        final Schema schema = batch.schema();
        final int n = batch.rowCount();
        if (hashes.length < n) {
            hashes = new long[Math.max(n, hashes.length * 2)];
        }
        Arrays.fill(hashes, 0, n, 0L);
        for (int c = 0; c < schema.fieldCount(); c++) {
            final ColumnType type = schema.field(c).type();
            if (type == ColumnType.INT64) {
                final Int64Vector vector = batch.int64Vector(c);
                for (int row = 0; row < n; row++) {
                    hashes[row] = mix(hashes[row], vector.get(row));
                }
            } else if (type == ColumnType.FLOAT64) {
                final Float64Vector vector = batch.float64Vector(c);
                for (int row = 0; row < n; row++) {
                    hashes[row] = mix(hashes[row], Double.doubleToLongBits(vector.get(row)));
                }
            } else if (type == ColumnType.INT32) {
                final Int32Vector vector = batch.int32Vector(c);
                for (int row = 0; row < n; row++) {
                    hashes[row] = mix(hashes[row], vector.get(row));
                }
            } else if (type == ColumnType.UTF8) {
                final Utf8Vector vector = batch.utf8Vector(c);
                for (int row = 0; row < n; row++) {
                    hashes[row] = mix(hashes[row], vector.hash(row));
                }
            } else {
                throw new IllegalArgumentException("column '" + schema.field(c).name() + "' of type " + type
                    + " is not digested");
            }
        }
        for (int row = 0; row < n; row++) {
            sum += hashes[row];
        }
        rows += n;
    }

    public RowDigest longValue(final long value) {
        current = mix(current, value);
        return this;
    }

    public RowDigest doubleValue(final double value) {
        current = mix(current, Double.doubleToLongBits(value));
        return this;
    }

    /** An ASCII string, hashed as its chars' bytes with {@link Utf8Vector#hash}'s xxHash64, as {@link #addAll} does. */
    public RowDigest asciiValue(final String value) {
        final int length = value.length();
        if (length > bytes.length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            buffer.wrap(bytes);
        }
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) value.charAt(i);
        }
        current = mix(current, Hashing.xxHash64(buffer, 0, length, 0L));
        return this;
    }

    /** Completes a row given value by value. */
    public void endRow() {
        sum += current;
        rows++;
        current = 0;
    }

    /** Forgets every row. */
    public void clear() {
        rows = 0;
        sum = 0;
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

    /** A row's hash so far with one more value folded in. */
    private static long mix(final long rowHash, final long value) {
        return stafford(rowHash * 31 + stafford(value));
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
