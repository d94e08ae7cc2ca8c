package io.sluice.memory.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Schema;

/** Helpers for the Arrow tests: write batches in either format, compare batches value by value. */
final class ArrowBatches {
    private ArrowBatches() {
    }

    static void writeFile(final Path file, final Schema schema, final List<Batch> batches) {
        try (ArrowIpcWriter writer = ArrowIpcWriter.file(file, schema)) {
            for (final Batch batch : batches) {
                writer.write(batch);
            }
        }
    }

    static byte[] writeStream(final Schema schema, final List<Batch> batches) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowIpcWriter writer = ArrowIpcWriter.stream(Channels.newChannel(out), schema)) {
            for (final Batch batch : batches) {
                writer.write(batch);
            }
        }
        return out.toByteArray();
    }

    /** Same schema, same rows, same values (nulls included). */
    static void assertSameRows(final Batch expected, final Batch actual) {
        assertEquals(expected.schema(), actual.schema());
        assertEquals(expected.rowCount(), actual.rowCount());
        for (int c = 0; c < expected.columnCount(); c++) {
            final ColumnVector e = expected.vector(c);
            final ColumnVector a = actual.vector(c);
            for (int row = 0; row < expected.rowCount(); row++) {
                assertEquals(e.getObject(row), a.getObject(row), "column " + c + " row " + row);
            }
        }
    }
}
