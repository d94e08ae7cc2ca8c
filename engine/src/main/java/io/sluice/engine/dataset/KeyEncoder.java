package io.sluice.engine.dataset;

import java.util.Arrays;

import io.sluice.memory.Batch;
import io.sluice.memory.BooleanVector;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Utf8Vector;

/**
 * Encodes a row's key columns into a reusable byte probe ({@link Key}), so a hash map keyed by arbitrary
 * column tuples is probed without allocating; only a new group copies its key. Single-threaded. Public so the
 * keyed state of {@code io.sluice.engine.stream} indexes its keys the same way.
 */
public final class KeyEncoder {
    /** A byte-string key; the probe instance is mutable, stored copies are not mutated. */
    public static final class Key {
        byte[] bytes;
        int length;
        int hash;

        Key(final byte[] bytes, final int length, final int hash) {
            this.bytes = bytes;
            this.length = length;
            this.hash = hash;
        }

        /** An immutable copy, to store in a map (the probe itself is reused by the next encode). */
        public Key copy() {
            return new Key(Arrays.copyOf(bytes, length), length, hash);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(final Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            final Key other = (Key) o;
            return length == other.length && hash == other.hash
                && Arrays.equals(bytes, 0, length, other.bytes, 0, other.length);
        }
    }

    private final int[] columns;
    private final Key probe = new Key(new byte[64], 0, 0);
    private ColumnVector[] vectors;
    private boolean anyNull;

    /** An encoder of the columns at indexes {@code columns} of the batches it is {@link #reset} to. */
    public KeyEncoder(final int[] columns) {
        this.columns = columns;
    }

    /** Binds the encoder to {@code batch}'s key columns; call before encoding its rows. */
    public void reset(final Batch batch) {
        vectors = new ColumnVector[columns.length];
        for (int i = 0; i < columns.length; i++) {
            vectors[i] = batch.vector(columns[i]);
        }
    }

    /** Whether the last encoded row had a null in some key column. */
    public boolean anyNull() {
        return anyNull;
    }

    /** Encodes row {@code row} into the shared probe and returns it (valid until the next call). */
    public Key encode(final int row) {
        probe.length = 0;
        anyNull = false;
        for (final ColumnVector v : vectors) {
            if (v.isNull(row)) {
                anyNull = true;
                putByte((byte) 0);
                continue;
            }
            putByte((byte) 1);
            switch (v.type()) {
                case INT32:
                    putLong(((Int32Vector) v).get(row));
                    break;
                case INT64:
                    putLong(((Int64Vector) v).get(row));
                    break;
                case FLOAT64:
                    putLong(Double.doubleToLongBits(((Float64Vector) v).get(row) + 0.0)); // -0.0 and 0.0: one key
                    break;
                case BOOLEAN:
                    putByte((byte) (((BooleanVector) v).get(row) ? 1 : 0));
                    break;
                default: {
                    final Utf8Vector u = (Utf8Vector) v;
                    final int len = u.length(row);
                    putLong(len);
                    ensure(probe.length + len);
                    u.getBytes(row, probe.bytes, probe.length);
                    probe.length += len;
                    break;
                }
            }
        }
        int h = 1;
        for (int i = 0; i < probe.length; i++) {
            h = 31 * h + probe.bytes[i];
        }
        probe.hash = h ^ (h >>> 16);
        return probe;
    }

    private void ensure(final int capacity) {
        if (capacity > probe.bytes.length) {
            probe.bytes = Arrays.copyOf(probe.bytes, Math.max(capacity, probe.bytes.length * 2));
        }
    }

    private void putByte(final byte b) {
        ensure(probe.length + 1);
        probe.bytes[probe.length++] = b;
    }

    private void putLong(final long v) {
        ensure(probe.length + 8);
        for (int i = 0; i < 8; i++) {
            probe.bytes[probe.length++] = (byte) (v >>> (8 * i));
        }
    }
}
