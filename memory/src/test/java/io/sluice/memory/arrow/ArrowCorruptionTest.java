package io.sluice.memory.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.sluice.memory.Batch;
import io.sluice.memory.Batches;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrow IPC has no checksums, so a corrupt byte may land in a value and go unseen. What the reader guarantees: every
 * corruption and truncation either throws an {@link ArrowFormatException} naming the input and an offset inside it,
 * or yields batches that are self-consistent (every value readable, and writing them again reads back the same).
 * Nothing half-read is kept, and the reader never reads outside the input.
 */
class ArrowCorruptionTest {
    private final BufferAllocator allocator = new BufferAllocator(256L << 20);

    @TempDir
    Path dir;
    private byte[] file;
    private byte[] stream;
    private int unchanged;

    @BeforeEach
    void writeSmallInputs() throws IOException {
        try (Batch first = Batches.sample(allocator, 10, true); Batch second = Batches.sample(allocator, 3, true);
             Batch slice = first.slice(3, 9)) {
            final Path path = dir.resolve("small.arrow");
            ArrowBatches.writeFile(path, first.schema(), List.of(first, second, slice));
            file = Files.readAllBytes(path);
            stream = ArrowBatches.writeStream(first.schema(), List.of(first, second));
        }
    }

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    /** Reads {@code bytes}: must throw a well-formed error or give self-consistent batches. */
    private void check(final byte[] bytes, final String what) {
        final ArrowTable table;
        try {
            table = ArrowIpcReader.read(new BytesChannel(bytes), "bad.arrow", allocator);
        } catch (final ArrowFormatException ex) {
            assertTrue(ex.getMessage().startsWith("arrow input bad.arrow offset=" + ex.offset() + ": "), what + ": " + ex.getMessage());
            assertTrue(ex.offset() >= 0 && ex.offset() <= bytes.length, what + ": offset " + ex.offset() + " of " + bytes.length);
            assertEquals(0, allocator.bytesOutstanding(), "nothing half-read is kept: " + what);
            return;
        } catch (final RuntimeException ex) {
            throw new AssertionError(what + ": not an ArrowFormatException", ex);
        }
        try (table) {
            final byte[] again;
            try {
                again = ArrowBatches.writeStream(table.schema(), table.batches());
            } catch (final RuntimeException ex) {
                throw new AssertionError(what + ": accepted batches cannot be written again", ex);
            }
            try (ArrowTable reread = ArrowIpcReader.readStream(Channels.newChannel(new ByteArrayInputStream(again)), "again",
                allocator)) {
                assertEquals(table.batches().size(), reread.batches().size(), what);
                for (int i = 0; i < table.batches().size(); i++) {
                    ArrowBatches.assertSameRows(table.batches().get(i), reread.batches().get(i));
                }
            }
            unchanged++;
        }
    }

    @Test
    void everySingleByteCorruptionOfAFileIsDetectedOrHarmless() {
        for (int i = 0; i < file.length; i++) {
            for (final int flip : new int[] {0xFF, 0x01}) {
                final byte[] corrupt = file.clone();
                corrupt[i] ^= (byte) flip;
                check(corrupt, "file byte " + i + " of " + file.length + " xor " + flip);
            }
        }
        assertTrue(unchanged < file.length * 2, "some corruptions must be detected");
    }

    @Test
    void everySingleByteCorruptionOfAStreamIsDetectedOrHarmless() {
        for (int i = 0; i < stream.length; i++) {
            for (final int flip : new int[] {0xFF, 0x01}) {
                final byte[] corrupt = stream.clone();
                corrupt[i] ^= (byte) flip;
                check(corrupt, "stream byte " + i + " of " + stream.length + " xor " + flip);
            }
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        for (final byte[] good : List.of(file, stream)) {
            for (int length = 0; length < good.length; length++) {
                try {
                    ArrowIpcReader.read(new BytesChannel(Arrays.copyOf(good, length)), "torn.arrow", allocator).close();
                    fail("truncated to " + length + " of " + good.length + " was accepted");
                } catch (final ArrowFormatException ex) {
                    assertTrue(ex.getMessage().contains("torn.arrow"), ex.getMessage());
                    assertEquals(0, allocator.bytesOutstanding());
                }
            }
            // A channel read forwards (no size known up front) detects the same truncations.
            for (int length = 0; length < good.length; length += 7) {
                final java.nio.channels.ReadableByteChannel channel = Channels.newChannel(
                    new ByteArrayInputStream(Arrays.copyOf(good, length)));
                assertThrows(ArrowFormatException.class, () -> ArrowIpcReader.readStream(channel, "torn stream", allocator).close(),
                    "truncated to " + length);
                assertEquals(0, allocator.bytesOutstanding());
            }
            // The path entry point reports the file's path.
            final Path torn = dir.resolve("torn.arrow");
            Files.write(torn, Arrays.copyOf(good, good.length - 1));
            final ArrowFormatException ex = assertThrows(ArrowFormatException.class, () -> ArrowIpcReader.read(torn, allocator));
            assertTrue(ex.getMessage().contains(torn.toString()), ex.getMessage());
        }
    }

    @Test
    void seededRandomFuzzOfTheReader() {
        final SplittableRandom random = new SplittableRandom(0x5EED_A770L);
        // -Dsluice.arrow.fuzzRounds=1000000 for a long run; the default takes about a second.
        final int rounds = Integer.getInteger("sluice.arrow.fuzzRounds", 4000);
        for (int round = 0; round < rounds; round++) {
            final byte[] good = round % 2 == 0 ? file : stream;
            final byte[] corrupt = good.clone();
            final int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                final int at = random.nextInt(corrupt.length);
                switch (random.nextInt(4)) {
                    case 0:
                        corrupt[at] = (byte) random.nextInt(256);
                        break;
                    case 1:
                        // Plausible integers where lengths and offsets live: small, negative, huge.
                        final int value = random.nextBoolean() ? random.nextInt(-8, 4096) : random.nextInt();
                        for (int k = 0; k < 4 && at + k < corrupt.length; k++) {
                            corrupt[at + k] = (byte) (value >>> (8 * k));
                        }
                        break;
                    case 2:
                        corrupt[at] = 0;
                        break;
                    default:
                        corrupt[at] = (byte) 0xFF;
                        break;
                }
            }
            final int length = random.nextInt(8) == 0 ? random.nextInt(corrupt.length + 1) : corrupt.length;
            check(Arrays.copyOf(corrupt, length), "round " + round + " seed 0x5EEDA770");
        }
    }
}
