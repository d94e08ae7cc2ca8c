package io.sluice.memory;

import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * xxHash64 (Yann Collet's XXH64 algorithm) over off-heap bytes and primitive values. Pure functions with fixed
 * constants, so hashes (and therefore hash partitions) are identical across runs, JVMs and machines; never
 * {@code Object.hashCode}. Multi-byte words are read little-endian, as XXH64 specifies.
 */
public final class Hashing {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private Hashing() {
    }

    /** XXH64 of {@code length} bytes of {@code buffer} from {@code offset}. */
    public static long xxHash64(final DirectBuffer buffer, final int offset, final int length, final long seed) {
        // One range check for the whole input, then unchecked reads (the buffer's own getters check every read).
        buffer.boundsCheck(offset, length);
        return xxHash64(buffer.byteArray(), buffer.addressOffset() + offset, length, seed);
    }

    /**
     * XXH64 of {@code bytes[offset, offset + length)}: the same value as over the same bytes off-heap (so a key read
     * from a heap copy hashes as its column row does, {@link Utf8Vector#hash}).
     */
    public static long xxHash64(final byte[] bytes, final int offset, final int length, final long seed) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length + " array length=" + bytes.length);
        }
        return xxHash64(bytes, BufferUtil.ARRAY_BASE_OFFSET + offset, length, seed);
    }

    /**
     * XXH64 of {@code length} bytes at {@code address} of {@code base} (null for off-heap memory, where the address
     * is absolute; else the array, with the address counted from the object's start). Unchecked: the caller has
     * checked that the range is readable.
     */
    static long xxHash64(final Object base, final long address, final int length, final long seed) {
        final long end = address + length;
        long index = address;
        long hash;
        if (length >= 32) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            final long limit = end - 32;
            do {
                v1 = round(v1, word(base, index));
                v2 = round(v2, word(base, index + 8));
                v3 = round(v3, word(base, index + 16));
                v4 = round(v4, word(base, index + 24));
                index += 32;
            } while (index <= limit);
            hash = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            hash = mergeRound(hash, v1);
            hash = mergeRound(hash, v2);
            hash = mergeRound(hash, v3);
            hash = mergeRound(hash, v4);
        } else {
            hash = seed + P5;
        }
        hash += length;
        while (index + 8 <= end) {
            hash ^= round(0, word(base, index));
            hash = Long.rotateLeft(hash, 27) * P1 + P4;
            index += 8;
        }
        if (index + 4 <= end) {
            hash ^= (intWord(base, index) & 0xFFFFFFFFL) * P1;
            hash = Long.rotateLeft(hash, 23) * P2 + P3;
            index += 4;
        }
        while (index < end) {
            hash ^= (UnsafeApi.getByte(base, index) & 0xFFL) * P5;
            hash = Long.rotateLeft(hash, 11) * P1;
            index++;
        }
        return avalanche(hash);
    }

    private static long word(final Object base, final long address) {
        final long word = UnsafeApi.getLong(base, address);
        return LITTLE_ENDIAN ? word : Long.reverseBytes(word);
    }

    private static int intWord(final Object base, final long address) {
        final int word = UnsafeApi.getInt(base, address);
        return LITTLE_ENDIAN ? word : Integer.reverseBytes(word);
    }

    /** XXH64 of the 8 little-endian bytes of {@code value}. */
    public static long xxHash64(final long value, final long seed) {
        long hash = seed + P5 + 8;
        hash ^= round(0, value);
        hash = Long.rotateLeft(hash, 27) * P1 + P4;
        return avalanche(hash);
    }

    /** XXH64 of the 4 little-endian bytes of {@code value}. */
    public static long xxHash64(final int value, final long seed) {
        long hash = seed + P5 + 4;
        hash ^= (value & 0xFFFFFFFFL) * P1;
        hash = Long.rotateLeft(hash, 23) * P2 + P3;
        return avalanche(hash);
    }

    private static long round(final long acc, final long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long mergeRound(final long acc, final long value) {
        return (acc ^ round(0, value)) * P1 + P4;
    }

    private static long avalanche(final long h) {
        long hash = h;
        hash ^= hash >>> 33;
        hash *= P2;
        hash ^= hash >>> 29;
        hash *= P3;
        hash ^= hash >>> 32;
        return hash;
    }
}
