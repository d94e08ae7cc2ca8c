package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Sluice's generator against Apache Beam's own: {@code beam-golden.tsv} holds events that Beam's Nexmark
 * {@code Generator} produced (scripts/nexmark-golden; default configuration, base time 2026-01-01T00:00:00Z), and
 * every field of every one must match.
 */
class NexmarkGoldenTest {
    @Test
    void everyFieldMatchesBeamsGenerator() throws IOException {
        final List<String> lines;
        try (InputStream in = NexmarkGoldenTest.class.getResourceAsStream("/beam-golden.tsv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertEquals(3_500, lines.size());
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(2_000_000));
        for (final String line : lines) {
            final String[] golden = line.split("\t", -1);
            final EventKind kind = EventKind.valueOf(golden[0]);
            final long id = Long.parseLong(golden[1]);
            assertEquals(kind, EventKind.of(id), "kind of event id=" + id);
            final String[] ours = new String[NexmarkSchemas.of(kind).fieldCount()];
            generator.write(kind, id, new EventWriter() {
                @Override
                public void int64(final int column, final long value) {
                    ours[column] = Long.toString(value);
                }

                @Override
                public void ascii(final int column, final byte[] bytes, final int length) {
                    ours[column] = new String(bytes, 0, length, StandardCharsets.US_ASCII);
                }
            });
            assertArrayEquals(Arrays.copyOfRange(golden, 2, golden.length), ours, "event id=" + id);
        }
    }
}
