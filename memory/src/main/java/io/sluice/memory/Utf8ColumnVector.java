package io.sluice.memory;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/** UTF8 vector: offsets[row] and offsets[row + 1] (absolute, int32) delimit a row's bytes in the data buffer. */
final class Utf8ColumnVector extends AbstractColumnVector implements Utf8Vector {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer bytes;
    /** Absolute address of this vector's row-0 offset; offsets and bytes are read unchecked after {@link #checkRow}. */
    private final long offsetsAddress;
    /** Absolute address of the data buffer (offsets are absolute into it). */
    private final long bytesAddress;

    Utf8ColumnVector(final ColumnData column, final Batch owner, final int rowOffset, final int rowCount) {
        super(column, owner, rowOffset, rowCount);
        this.bytes = column.data.unsafeView();
        this.offsetsAddress = column.offsets.address() + ((long) rowOffset << 2);
        this.bytesAddress = column.data.address();
    }

    private int start(final int row) {
        return UnsafeApi.getInt(offsetsAddress + ((long) row << 2));
    }

    private int end(final int row) {
        return UnsafeApi.getInt(offsetsAddress + ((long) row << 2) + Integer.BYTES);
    }

    private byte byteAt(final int index) {
        return UnsafeApi.getByte(bytesAddress + index);
    }

    /** The eight bytes from {@code index}, the first in the low byte (little-endian on every platform). */
    private long wordAt(final int index) {
        final long word = UnsafeApi.getLong(bytesAddress + index);
        return LITTLE_ENDIAN ? word : Long.reverseBytes(word);
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
        UnsafeApi.copyMemory(null, bytesAddress + start, dst, BufferUtil.ARRAY_BASE_OFFSET + dstOffset, length);
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
            final int cmp = Integer.compare(byteAt(start + i) & 0xFF, other[i] & 0xFF);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(length, other.length);
    }

    @Override
    public boolean equalsBytes(final int row, final byte[] other, final int offset, final int length) {
        checkRow(row);
        if (offset < 0 || length < 0 || offset > other.length - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " other length=" + other.length);
        }
        final int start = start(row);
        if (end(row) - start != length) {
            return false;
        }
        // Eight bytes a compare, then the tail.
        final long from = bytesAddress + start;
        final long base = BufferUtil.ARRAY_BASE_OFFSET + offset;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if (UnsafeApi.getLong(from + i) != UnsafeApi.getLong(other, base + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (UnsafeApi.getByte(from + i) != other[offset + i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equalsBytes(final int row, final byte[] other) {
        checkRow(row);
        final int start = start(row);
        if (end(row) - start != other.length) {
            return false;
        }
        for (int i = 0; i < other.length; i++) {
            if (byteAt(start + i) != other[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int indexOf(final int row, final byte[] needle) {
        checkRow(row);
        final int start = start(row);
        if (needle.length == 0) {
            return 0;
        }
        final int at = search(start, end(row) - needle.length, needle, secondAnchor(needle));
        return at < 0 ? -1 : at - start;
    }

    @Override
    public int rowsContaining(final byte[] needle, final int[] rows) {
        checkLive();
        if (rows.length < rowCount) {
            throw new IndexOutOfBoundsException("rows length=" + rows.length + " < rowCount=" + rowCount);
        }
        if (rowCount == 0) {
            return 0;
        }
        if (needle.length == 0) {
            // Every value contains the empty string; a null row reads as zero bytes and does too.
            for (int r = 0; r < rowCount; r++) {
                rows[r] = r;
            }
            return rowCount;
        }
        // One scan over the column's bytes (the values are contiguous), not one per row: a match is mapped to its
        // row by walking the offsets forward, and kept only if it ends inside that row.
        final int second = secondAnchor(needle);
        final int limit = end(rowCount - 1);
        int found = 0;
        int row = 0;
        int from = start(0);
        while (row < rowCount) {
            final int at = search(from, limit - needle.length, needle, second);
            if (at < 0) {
                break;
            }
            while (end(row) <= at) {
                row++;
            }
            if (at + needle.length <= end(row)) {
                rows[found++] = row;
                row++;
                from = row < rowCount ? start(row) : limit;
            } else {
                from = at + 1;
            }
        }
        return found;
    }

    /**
     * The second anchor byte of a search: the last needle byte that differs from the first, so " said " is not
     * anchored on two spaces (frequent in text); the last byte when all bytes are equal.
     */
    private static int secondAnchor(final byte[] needle) {
        int second = needle.length - 1;
        while (second > 0 && needle[second] == needle[0]) {
            second--;
        }
        return second == 0 ? needle.length - 1 : second;
    }

    /** The first absolute data index in {@code [from, last]} where {@code needle} (non-empty) starts, or -1. */
    private int search(final int from, final int last, final byte[] needle, final int second) {
        final long firstBytes = broadcast(needle[0]);
        final long secondBytes = broadcast(needle[second]);
        int i = from;
        // Eight candidates at a time (Mula, "SIMD-friendly algorithms for substring searching"): a candidate at
        // i + k needs the needle's first byte there and its second anchor byte at i + k + second. Both words stay
        // inside the searched range because i + 7 <= last and second <= needle.length - 1.
        for (; i + 7 <= last; i += 8) {
            long candidates = zeroBytes(wordAt(i) ^ firstBytes)
                & zeroBytes(wordAt(i + second) ^ secondBytes);
            while (candidates != 0) {
                final int at = i + (Long.numberOfTrailingZeros(candidates) >>> 3);
                if (regionEquals(at, needle)) {
                    return at;
                }
                candidates &= candidates - 1;
            }
        }
        for (; i <= last; i++) {
            if (byteAt(i) == needle[0] && regionEquals(i, needle)) {
                return i;
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
            if (byteAt(at + j) != expected[j]) {
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
        return Hashing.xxHash64(null, bytesAddress + start, end(row) - start, seed);
    }
}
