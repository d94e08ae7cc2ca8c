package io.sluice.memory;

import org.agrona.DirectBuffer;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. The one check every
 * text input of Sluice applies (text lines, queued strings, UTF8 columns of batch files).
 */
public final class Utf8Validation {
    private Utf8Validation() {
    }

    /**
     * The index of the first byte of the first invalid sequence in {@code [offset, offset + length)}, or -1. Reads the
     * array itself (no wrapper object): text sources call this once per record.
     */
    public static int firstInvalid(final byte[] bytes, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " bytes length=" + bytes.length);
        }
        return firstInvalid(bytes, null, offset, length);
    }

    /** The index of the first byte of the first invalid sequence in {@code [offset, offset + length)}, or -1. */
    public static int firstInvalid(final DirectBuffer bytes, final int offset, final int length) {
        return firstInvalid(null, bytes, offset, length);
    }

    /** Byte {@code i} of {@code array}, or of {@code buffer} when {@code array} is null. */
    private static int byteAt(final byte[] array, final DirectBuffer buffer, final int i) {
        return (array != null ? array[i] : buffer.getByte(i)) & 0xFF;
    }

    /** The check over {@code array}, or over {@code buffer} when {@code array} is null. */
    private static int firstInvalid(final byte[] array, final DirectBuffer bytes, final int offset, final int length) {
        final int end = offset + length;
        int i = offset;
        while (i < end) {
            final int b0 = byteAt(array, bytes, i);
            if (b0 < 0x80) {
                i++;
                continue;
            }
            final int needed;
            final int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                needed = 1;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                needed = 2;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                needed = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + needed >= end) {
                return i;
            }
            int codePoint = b0 & (0x3F >> needed);
            for (int k = 1; k <= needed; k++) {
                final int b = byteAt(array, bytes, i + k);
                if ((b & 0xC0) != 0x80) {
                    return i;
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return i;
            }
            i += needed + 1;
        }
        return -1;
    }
}
