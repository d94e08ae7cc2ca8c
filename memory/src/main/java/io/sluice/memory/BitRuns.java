package io.sluice.memory;

import org.agrona.MutableDirectBuffer;

/**
 * Runs of set bits in a bit-packed buffer (a validity bitmap, BOOLEAN values): bit {@code i} is bit {@code i % 8} of
 * byte {@code i / 8}, as {@link BatchFileDescriptor#bitmapLength} sizes it. Whole bytes are filled at once, only the
 * partial bytes at either end are read and rewritten.
 *
 * <p>Two contracts for the bits outside the run: {@link #setRange} leaves every one of them as it was (appending to
 * or writing into the middle of a bitmap), {@link #setWholeBytes} sets the rest of the run's last byte too (a fresh
 * all-valid bitmap in one fill, whatever the buffer held). Both check, when {@link BoundsChecks#ENABLED}, that the
 * buffer holds the bytes they write.
 */
public final class BitRuns {
    private BitRuns() {
    }

    /**
     * Sets bits {@code [from, from + count)} of {@code bits}; every other bit keeps its value.
     *
     * @throws IndexOutOfBoundsException if {@code from} or {@code count} is negative or the run ends past the buffer
     */
    public static void setRange(final MutableDirectBuffer bits, final int from, final int count) {
        if (BoundsChecks.ENABLED) {
            check(bits, from, count);
        }
        if (count <= 0) {
            return;
        }
        final int end = from + count;
        final int first = from >>> 3;
        final int last = (end - 1) >>> 3;
        final int head = 0xFF << (from & 7);
        final int tail = 0xFF >>> (7 - ((end - 1) & 7));
        if (first == last) {
            orByte(bits, first, head & tail);
            return;
        }
        orByte(bits, first, head);
        if (last - first > 1) {
            bits.setMemory(first + 1, last - first - 1, (byte) 0xFF);
        }
        orByte(bits, last, tail);
    }

    /**
     * Sets bits {@code [0, count)} a whole byte at a time: bytes {@code [0, bitmapLength(count))} all become
     * {@code 0xFF}, so the bits past {@code count} in the last of them are set too; later bytes are left as they were.
     *
     * @throws IndexOutOfBoundsException if {@code count} is negative or the bytes end past the buffer
     */
    public static void setWholeBytes(final MutableDirectBuffer bits, final int count) {
        if (BoundsChecks.ENABLED) {
            check(bits, 0, count);
        }
        if (count > 0) {
            bits.setMemory(0, (int) BatchFileDescriptor.bitmapLength(count), (byte) 0xFF);
        }
    }

    private static void orByte(final MutableDirectBuffer bits, final int index, final int mask) {
        bits.putByte(index, (byte) (bits.getByte(index) | mask));
    }

    private static void check(final MutableDirectBuffer bits, final int from, final int count) {
        final long bytes = BatchFileDescriptor.bitmapLength((long) from + count);
        if (from < 0 || count < 0 || bytes > bits.capacity()) {
            throw new IndexOutOfBoundsException("bit run from=" + from + " count=" + count + " needs bytes=" + bytes
                + ", buffer capacity=" + bits.capacity());
        }
    }
}
