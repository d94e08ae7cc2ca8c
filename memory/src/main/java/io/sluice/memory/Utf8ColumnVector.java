package io.sluice.memory;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** UTF8 vector: offsets[row] and offsets[row + 1] (absolute, int32) delimit a row's bytes in the data buffer. */
final class Utf8ColumnVector extends AbstractColumnVector implements Utf8Vector {
    private final UnsafeBuffer offsets;
    private final UnsafeBuffer bytes;

    Utf8ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.offsets = column.offsets.unsafeView();
        this.bytes = column.data.unsafeView();
    }

    private int start(final int row) {
        return offsets.getInt((rowOffset + row) << 2);
    }

    private int end(final int row) {
        return offsets.getInt((rowOffset + row + 1) << 2);
    }

    @Override
    public int length(final int row) {
        checkRow(row);
        return end(row) - start(row);
    }

    @Override
    public int getBytes(final int row, final byte[] dst, final int dstOffset) {
        checkRow(row);
        final int start = start(row);
        final int length = end(row) - start;
        if (dstOffset < 0 || dstOffset > dst.length - length) {
            throw new IndexOutOfBoundsException("column '" + field().name() + "' row " + row + ": value length=" + length
                + " does not fit dst length=" + dst.length + " at dstOffset=" + dstOffset);
        }
        bytes.getBytes(start, dst, dstOffset, length);
        return length;
    }

    @Override
    public int getBytes(final int row, final MutableDirectBuffer dst, final int dstOffset) {
        checkRow(row);
        final int start = start(row);
        final int length = end(row) - start;
        if (dstOffset < 0 || dstOffset > dst.capacity() - length) {
            throw new IndexOutOfBoundsException("column '" + field().name() + "' row " + row + ": value length=" + length
                + " does not fit dst capacity=" + dst.capacity() + " at dstOffset=" + dstOffset);
        }
        dst.putBytes(dstOffset, bytes, start, length);
        return length;
    }

    @Override
    public byte[] getBytes(final int row) {
        final byte[] result = new byte[length(row)];
        getBytes(row, result, 0);
        return result;
    }

    @Override
    public String getString(final int row) {
        return new String(getBytes(row), StandardCharsets.UTF_8);
    }

    @Override
    public int compareTo(final int row, final byte[] other) {
        checkRow(row);
        final int start = start(row);
        final int length = end(row) - start;
        final int common = Math.min(length, other.length);
        for (int i = 0; i < common; i++) {
            final int cmp = Integer.compare(bytes.getByte(start + i) & 0xFF, other[i] & 0xFF);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(length, other.length);
    }

    @Override
    public boolean equalsBytes(final int row, final byte[] other) {
        checkRow(row);
        final int start = start(row);
        if (end(row) - start != other.length) {
            return false;
        }
        for (int i = 0; i < other.length; i++) {
            if (bytes.getByte(start + i) != other[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int indexOf(final int row, final byte[] needle) {
        checkRow(row);
        final int start = start(row);
        final int end = end(row);
        final int n = needle.length;
        if (n == 0) {
            return 0;
        }
        // Candidate starts are [start, last]: past last the needle no longer fits in the value.
        final int last = end - n;
        // Second anchor: the last needle byte that differs from the first, so " said " is not anchored on two
        // spaces (frequent in text); the last byte when all bytes are equal.
        int second = n - 1;
        while (second > 0 && needle[second] == needle[0]) {
            second--;
        }
        if (second == 0) {
            second = n - 1;
        }
        final long firstBytes = broadcast(needle[0]);
        final long secondBytes = broadcast(needle[second]);
        int i = start;
        // Eight candidates at a time (Mula, "SIMD-friendly algorithms for substring searching"): a candidate at
        // i + k needs the needle's first byte there and its second anchor byte at i + k + second. Both words stay
        // inside the value because i + 7 <= last and second <= n - 1.
        for (; i + 7 <= last; i += 8) {
            long candidates = zeroBytes(bytes.getLong(i, ByteOrder.LITTLE_ENDIAN) ^ firstBytes)
                & zeroBytes(bytes.getLong(i + second, ByteOrder.LITTLE_ENDIAN) ^ secondBytes);
            while (candidates != 0) {
                final int at = i + (Long.numberOfTrailingZeros(candidates) >>> 3);
                if (regionEquals(at, needle)) {
                    return at - start;
                }
                candidates &= candidates - 1;
            }
        }
        for (; i <= last; i++) {
            if (bytes.getByte(i) == needle[0] && regionEquals(i, needle)) {
                return i - start;
            }
        }
        return -1;
    }

    /** {@code b} in each of the eight bytes of a long. */
    private static long broadcast(final byte b) {
        return (b & 0xFFL) * 0x0101010101010101L;
    }

    /**
     * The high bit set in every byte of {@code x} that is zero (the "haszero" trick). Never misses a zero byte; a
     * byte above a zero byte may be flagged too, which is why every candidate is verified.
     */
    private static long zeroBytes(final long x) {
        return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
    }

    @Override
    public boolean startsWith(final int row, final byte[] prefix) {
        checkRow(row);
        final int start = start(row);
        return end(row) - start >= prefix.length && regionEquals(start, prefix);
    }

    /** Whether the data bytes from {@code at} equal {@code expected}; the caller ensures they are in range. */
    private boolean regionEquals(final int at, final byte[] expected) {
        for (int j = 0; j < expected.length; j++) {
            if (bytes.getByte(at + j) != expected[j]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long hash(final int row) {
        return hash(row, 0L);
    }

    /** The xxHash64 of the row's bytes with {@code seed}; used to chain key columns. */
    long hash(final int row, final long seed) {
        checkRow(row);
        final int start = start(row);
        return Hashing.xxHash64(bytes, start, end(row) - start, seed);
    }
}
