package io.sluice.memory.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BooleanVector;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

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

    /** The value of {@code row} of {@code vector} as a Java object (null for null). */
    static Object value(final ColumnVector vector, final int row) {
        if (vector.isNull(row)) {
            return null;
        }
        switch (vector.type()) {
            case BOOLEAN:
                return ((BooleanVector) vector).get(row);
            case INT32:
                return ((Int32Vector) vector).get(row);
            case INT64:
                return ((Int64Vector) vector).get(row);
            case FLOAT64:
                return ((Float64Vector) vector).get(row);
            case UTF8:
                return ((Utf8Vector) vector).getString(row);
            default:
                throw new IllegalArgumentException("type " + vector.type());
        }
    }

    /** Same schema, same rows, same values (nulls included). */
    static void assertSameRows(final Batch expected, final Batch actual) {
        assertEquals(expected.schema(), actual.schema());
        assertEquals(expected.rowCount(), actual.rowCount());
        for (int c = 0; c < expected.columnCount(); c++) {
            final ColumnVector e = expected.vector(c);
            final ColumnVector a = actual.vector(c);
            for (int row = 0; row < expected.rowCount(); row++) {
                assertEquals(value(e, row), value(a, row), "column " + c + " row " + row);
            }
        }
    }
}
