package io.sluice.engine.stream.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
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
            return new ArrayList<>(reader.readAll(allocator));
        } catch (final BatchFileException ex) {
            throw new CheckpointException(dir, label + ": corrupt snapshot file " + ex.file() + " at offset="
                + ex.offset() + ": " + ex.getMessage(), ex);
        }
    }
}
