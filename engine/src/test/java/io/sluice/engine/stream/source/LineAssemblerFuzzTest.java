package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Utf8Validation;
import io.sluice.memory.Utf8Vector;
import org.slf4j.LoggerFactory;

/**
 * Fuzz target for the TCP and text-file line assembler: whatever bytes arrive, in whatever pieces, every line is
 * either kept exactly (valid UTF-8, at most the limit, a trailing CR dropped) or counted as rejected, the lines
 * kept and rejected add up to the lines sent, and nothing leaks. Replays the committed inputs under
 * {@code src/test/resources/io/sluice/engine/stream/source/LineAssemblerFuzzTestInputs/} in every build;
 * {@code scripts/fuzz engine:io.sluice.engine.stream.source.LineAssemblerFuzzTest#anyBytesInAnyPieces} fuzzes it.
 */
class LineAssemblerFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void anyBytesInAnyPieces(final FuzzedDataProvider data) {
        final int maxLineBytes = data.consumeInt(1, 64);
        final boolean cleanEnd = data.consumeBoolean();
        final int[] pieces = data.consumeInts(8);
        final byte[] input = data.consumeRemainingAsBytes();
        final RejectCounter rejects = new RejectCounter(LoggerFactory.getLogger(LineAssemblerFuzzTest.class), "fuzz");
        final List<byte[]> kept = new ArrayList<>();
        try (BufferAllocator allocator = new BufferAllocator()) {
            try (LineAssembler assembler = new LineAssembler(allocator, maxLineBytes, 4, rejects)) {
                assembler.beginInput("fuzz");
                int at = 0;
                for (int i = 0; at < input.length; i++) {
                    final int piece = pieces.length == 0 ? input.length : Math.floorMod(pieces[i % pieces.length], 17) + 1;
                    final int n = Math.min(piece, input.length - at);
                    assembler.accept(input, at, n);
                    at += n;
                    if (assembler.rows() >= 3) {
                        take(assembler, kept);
                    }
                }
                assembler.endInput(cleanEnd);
                take(assembler, kept);
            }
            assertEquals(0, allocator.bytesOutstanding());
        }
        final List<byte[]> sent = lines(input, cleanEnd);
        assertEquals(sent.size(), kept.size() + rejects.count(), "every line kept or rejected");
        int k = 0;
        for (final byte[] line : sent) {
            final boolean good = line.length <= maxLineBytes && Utf8Validation.firstInvalid(line, 0, line.length) < 0;
            if (good) {
                assertTrue(k < kept.size(), "a good line was lost");
                assertArrayEquals(line, kept.get(k++));
            }
        }
        assertEquals(kept.size(), k, "only good lines are kept");
    }

    private static void take(final LineAssembler assembler, final List<byte[]> kept) {
        final Batch block = assembler.takeBlock();
        if (block == null) {
            return;
        }
        try (block) {
            final Utf8Vector vector = block.utf8Vector(0);
            for (int row = 0; row < block.rowCount(); row++) {
                kept.add(vector.getBytes(row));
            }
        }
    }

    /** The reference split: lines end at '\n', a trailing '\r' is dropped, a last unterminated line counts. */
    private static List<byte[]> lines(final byte[] input, final boolean cleanEnd) {
        final List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (final byte b : input) {
            if (b == '\n') {
                lines.add(trimCr(line.toByteArray()));
                line = new ByteArrayOutputStream();
            } else {
                line.write(b);
            }
        }
        if (line.size() > 0) {
            // A clean end keeps the last line like any other; a cut connection rejects it (an always-bad marker).
            lines.add(cleanEnd ? trimCr(line.toByteArray()) : new byte[] {(byte) 0xFF});
        }
        return lines;
    }

    private static byte[] trimCr(final byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
    }
}
