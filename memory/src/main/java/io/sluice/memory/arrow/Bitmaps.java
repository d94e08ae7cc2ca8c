package io.sluice.memory.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/** Bit-packed buffers (validity, BOOLEAN values): bit i is bit {@code i % 8} of byte {@code i / 8}, as in Arrow. */
final class Bitmaps {
    private Bitmaps() {
    }

    static boolean get(final UnsafeBuffer bits, final int index) {
        return (bits.getByte(index >>> 3) & (1 << (index & 7))) != 0;
    }

    /** Set bits among {@code [from, from + count)}; reads whole words where it can. */
    static int countSet(final UnsafeBuffer bits, final int from, final int count) {
        final int end = from + count;
        int set = 0;
        int i = from;
        while (i < end && (i & 63) != 0) {
            set += get(bits, i) ? 1 : 0;
            i++;
        }
        for (; end - i >= 64; i += 64) {
            set += Long.bitCount(bits.getLong(i >>> 3));
        }
        for (; i < end; i++) {
            set += get(bits, i) ? 1 : 0;
        }
        return set;
    }

    /**
     * The first clear bit at or after {@code from} and below {@code count}, or -1. Reads whole words: {@code bits}
     * must hold a multiple of 8 bytes covering {@code count} bits (every Sluice buffer does: capacities are multiples
     * of 64 bytes).
     */
    static int nextClear(final UnsafeBuffer bits, final int from, final int count) {
        int i = from;
        while (i < count) {
            final int word = i >>> 6;
            final long clear = ~bits.getLong(word << 3) & (-1L << (i & 63));
            if (clear != 0) {
                final int index = (word << 6) + Long.numberOfTrailingZeros(clear);
                return index < count ? index : -1;
            }
            i = (word + 1) << 6;
        }
        return -1;
    }

    /**
     * Bits {@code [from, from + count)} of {@code bits} shifted to start at bit 0: a zero-copy view when {@code from} is a
     * multiple of 8, else a new heap buffer. Bits past {@code count} in the last byte are unspecified, as Arrow allows.
     */
    static ByteBuffer window(final ByteBuffer bits, final int from, final int count) {
        final int length = (int) ArrowIpcDescriptor.bitmapLength(count);
        final int firstByte = from >>> 3;
        if ((from & 7) == 0) {
            return bits.duplicate().limit(firstByte + length).position(firstByte).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        final int shift = from & 7;
        final int capacity = bits.limit();
        final byte[] out = new byte[length];
        for (int j = 0; j < length; j++) {
            final int low = (bits.get(firstByte + j) & 0xFF) >>> shift;
            final int next = firstByte + j + 1;
            final int high = next < capacity ? (bits.get(next) & 0xFF) << (8 - shift) : 0;
            out[j] = (byte) (low | high);
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }
}
