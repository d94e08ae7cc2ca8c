package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8ValidationTest {
    private static int check(final int... bytes) {
        final byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            array[i] = (byte) bytes[i];
        }
        return Utf8Validation.firstInvalid(array, 0, array.length);
    }

    @Test
    void acceptsWellFormedTextOfEveryLength() {
        final byte[] text = "a\u00e9\u20ac\uD83D\uDE00z".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, Utf8Validation.firstInvalid(text, 0, text.length));
        assertEquals(-1, check());
    }

    @Test
    void rejectsOverlongSurrogateTruncatedAndOutOfRangeSequences() {
        assertEquals(0, check(0xC0, 0xAF));
        assertEquals(1, check('a', 0xE0, 0x80, 0xAF));
        assertEquals(0, check(0xED, 0xA0, 0x80));
        assertEquals(0, check(0xF4, 0x90, 0x80, 0x80));
        assertEquals(1, check('a', 0xE2, 0x82));
        assertEquals(0, check(0x80));
        assertEquals(0, check(0xC3, 0x28));
        assertEquals(0, check(0xFF));
    }
}
