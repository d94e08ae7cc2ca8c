package io.sluice.engine.stream.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/** Reading a keyed state's snapshot file back: the checks every state's restore makes before it rebuilds. */
final class StateSnapshots {
    private StateSnapshots() {
    }

    /**
     * The batches of snapshot file {@code fileName} in checkpoint folder {@code dir}, which must hold
     * {@code schema}; the caller releases them. A missing, corrupt or foreign file throws a
     * {@link CheckpointException} naming {@code label} (the state) and the file.
     */
    static List<Batch> read(final BufferAllocator allocator, final Path dir, final String fileName, final Schema schema,
                            final String label) throws IOException {
        final Path file = dir.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir, label + ": snapshot file " + file + " is missing");
        }
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(schema)) {
                throw new CheckpointException(dir, label + ": snapshot file " + file + " has schema=" + reader.schema()
                    + ", expected " + schema);
            }
            // readAll releases what it read if it fails partway; a failing close must not lose the batches either.
            return closeOrRelease(reader.readAll(allocator), reader::close);
        } catch (final BatchFileException ex) {
            throw new CheckpointException(dir, label + ": corrupt snapshot file " + ex.file() + " at offset="
                + ex.offset() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * A copy of {@code batches} once {@code close} (the reader's, idempotent) ran; if it throws, releases the batches
     * and rethrows, so a snapshot that failed to close leaks nothing.
     */
    static List<Batch> closeOrRelease(final List<Batch> batches, final Runnable close) {
        Batch.releaseAllIfThrows(batches, close);
        return new ArrayList<>(batches);
    }

    /** Writes one batch of INT64 {@code columns} (equal lengths, in {@code schema}'s order) as snapshot {@code file}. */
    static void write(final BufferAllocator allocator, final Path file, final Schema schema, final long[]... columns)
        throws IOException {
        try (BatchBuilder out = new BatchBuilder(allocator, schema, Math.max(1, columns[0].length))) {
            for (int c = 0; c < columns.length; c++) {
                out.appendInt64Column(c, columns[c]);
            }
            try (Batch batch = out.build(); BatchFileWriter writer = BatchFileWriter.create(file, schema)) {
                writer.write(batch);
            }
        }
    }

    /**
     * The INT64 columns of snapshot file {@code fileName} (every batch of it, in order) as arrays, read as
     * {@link #read} reads it; the batches are released.
     */
    static long[][] readInt64(final BufferAllocator allocator, final Path dir, final String fileName, final Schema schema,
                              final String label) throws IOException {
        final List<Batch> parts = read(allocator, dir, fileName, schema, label);
        try (Batch all = BatchBuilder.concatAndRelease(allocator, schema, parts)) {
            final long[][] columns = new long[schema.fieldCount()][all.rowCount()];
            for (int c = 0; c < columns.length; c++) {
                for (int r = 0; r < columns[c].length; r++) {
                    columns[c][r] = all.int64Vector(c).get(r);
                }
            }
            return columns;
        }
    }
}
