package io.sluice.memory;

import org.agrona.MutableDirectBuffer;

/** Read-only UTF8 column: int32 offsets into a byte buffer. A null row reads as zero bytes. */
public interface Utf8Vector extends ColumnVector {
    /** Length in bytes of the value at {@code row}. */
    int length(int row);

    /** Copies the value's bytes into {@code dst} at {@code dstOffset}; returns the length. */
    int getBytes(int row, byte[] dst, int dstOffset);

    /** Copies the value's bytes into {@code dst} at {@code dstOffset}; returns the length. */
    int getBytes(int row, MutableDirectBuffer dst, int dstOffset);

    /** The value's bytes as a new array (allocates). */
    byte[] getBytes(int row);

    /** The value decoded as a String (allocates). */
    String getString(int row);

    /** Lexicographic comparison of the value's bytes, unsigned, with {@code other}: &lt;0, 0 or &gt;0. */
    int compareTo(int row, byte[] other);

    /** Whether the value's bytes equal {@code other}. */
    boolean equalsBytes(int row, byte[] other);

    /** Whether the value's bytes equal {@code other[offset, offset + length)}. Reads in place, allocates nothing. */
    boolean equalsBytes(int row, byte[] other, int offset, int length);

    /**
     * Byte index of the first occurrence of {@code needle} in the value's bytes, or -1; an empty needle is found at
     * 0. Reads the bytes in place (no copy, no allocation).
     */
    int indexOf(int row, byte[] needle);

    /**
     * The rows whose value contains {@code needle}, ascending, written to {@code rows} (at least {@link #rowCount()}
     * long); returns how many. One scan over the whole column's bytes instead of one search per row. A null row
     * reads as zero bytes, so it contains only the empty needle.
     */
    int rowsContaining(byte[] needle, int[] rows);

    /** Whether the value's bytes begin with {@code prefix} (an empty prefix always matches). Reads in place. */
    boolean startsWith(int row, byte[] prefix);

    /** A 64-bit hash of the value's bytes, {@link Hashing#xxHash64} with seed 0: stable across runs and JVMs. */
    long hash(int row);

    @Override
    default Object getObject(final int row) {
        return isNull(row) ? null : getString(row);
    }
}
