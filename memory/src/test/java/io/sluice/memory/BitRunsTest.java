package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BitRuns} against a bit-by-bit model, over every bit of the buffer, on backgrounds of zeros and of mixed bits. */
class BitRunsTest {
    private static final int[] BACKGROUNDS = {0x00, 0x5A, 0xA5};

    private final BufferAllocator allocator = new BufferAllocator(1 << 20);

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    /** Byte {@code i} of a background: {@code 0x00} everywhere, or a pattern that differs from byte to byte. */
    private static byte background(final int seed, final int i) {
        return (byte) (seed == 0 ? 0 : seed ^ i * 0x3B);
    }

    private static boolean backgroundBit(final int seed, final int bit) {
        return (background(seed, bit >>> 3) & (1 << (bit & 7))) != 0;
    }

    private static void paint(final MutableDirectBuffer bits, final int seed) {
        for (int i = 0; i < bits.capacity(); i++) {
            bits.putByte(i, background(seed, i));
        }
    }

    private static boolean bit(final MutableDirectBuffer bits, final int bit) {
        return (bits.getByte(bit >>> 3) & (1 << (bit & 7))) != 0;
    }

    @Test
    void setRangeSetsExactlyTheRunAndLeavesEveryOtherBit() {
        final OffHeapBuffer buffer = allocator.allocate(16);
        try {
            final MutableDirectBuffer bits = buffer.buffer();
            final int capacityBits = bits.capacity() * 8;
            for (final int seed : BACKGROUNDS) {
                for (int from = 0; from <= 16; from++) {
                    for (int count = 0; count <= 80; count++) {
                        paint(bits, seed);
                        BitRuns.setRange(bits, from, count);
                        for (int b = 0; b < capacityBits; b++) {
                            final boolean expected = b >= from && b < from + count || backgroundBit(seed, b);
                            if (bit(bits, b) != expected) {
                                assertEquals(expected, bit(bits, b), "background=" + seed + " from=" + from + " count="
                                    + count + " bit=" + b);
                            }
                        }
                    }
                }
            }
        } finally {
            buffer.release();
        }
    }

    @Test
    void setWholeBytesFillsTheBytesHoldingTheRunAndNoMore() {
        final OffHeapBuffer buffer = allocator.allocate(16);
        try {
            final MutableDirectBuffer bits = buffer.buffer();
            for (final int seed : BACKGROUNDS) {
                for (int count = 0; count <= 80; count++) {
                    paint(bits, seed);
                    BitRuns.setWholeBytes(bits, count);
                    final int filled = (count + 7) / 8;
                    for (int i = 0; i < bits.capacity(); i++) {
                        assertEquals(i < filled ? (byte) 0xFF : background(seed, i), bits.getByte(i),
                            "background=" + seed + " count=" + count + " byte=" + i);
                    }
                }
            }
        } finally {
            buffer.release();
        }
    }

    @Test
    void runEndingAtTheLastBitOfTheBufferFitsOnePastThrowsNamingTheRun() {
        assertTrue(BoundsChecks.ENABLED, "tests run with bounds checks on");
        final OffHeapBuffer buffer = allocator.allocate(16);
        try {
            final MutableDirectBuffer bits = buffer.buffer();
            final int capacityBits = bits.capacity() * 8;
            BitRuns.setRange(bits, 3, capacityBits - 3);
            assertEquals((byte) 0xF8, bits.getByte(0));
            assertEquals((byte) 0xFF, bits.getByte(bits.capacity() - 1));
            BitRuns.setWholeBytes(bits, capacityBits);
            assertEquals((byte) 0xFF, bits.getByte(0));
            paint(bits, 0x5A);
            final IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class,
                () -> BitRuns.setRange(bits, 3, capacityBits - 2));
            assertEquals("bit run from=3 count=" + (capacityBits - 2) + " needs bytes=" + (bits.capacity() + 1)
                + ", buffer capacity=" + bits.capacity(), past.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> BitRuns.setWholeBytes(bits, capacityBits + 1));
            assertThrows(IndexOutOfBoundsException.class, () -> BitRuns.setRange(bits, -1, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> BitRuns.setRange(bits, 4, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> BitRuns.setWholeBytes(bits, -1));
            for (int i = 0; i < bits.capacity(); i++) {
                assertEquals(background(0x5A, i), bits.getByte(i), "a refused run wrote byte " + i);
            }
        } finally {
            buffer.release();
        }
    }
}
