package io.sluice.engine.stream.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * Snapshot files of window operators: one batch file per batch time, named {@code <prefix><batchTime>.sbf}
 * (written under a temporary name and renamed by {@link BatchFileWriter}).
 *
 * <p>Internal: public only for the other stream packages, not part of the user API.
 */
public final class OperatorFiles {
    private static final String SUFFIX = BatchFolderDescriptor.EXTENSION;

    private OperatorFiles() {
    }

    public static void write(final Path dir, final String prefix, final long batchTime, final Schema schema, final List<Batch> batches) {
        try (BatchFileWriter writer = BatchFileWriter.create(dir.resolve(prefix + batchTime + SUFFIX), schema)) {
            for (final Batch batch : batches) {
                writer.write(batch);
            }
        }
    }

    /** Every {@code <prefix><time>.sbf} in {@code dir}, by batch time; checks the schema. The caller owns the batches. */
    public static TreeMap<Long, List<Batch>> read(final Path dir, final String prefix, final Schema schema, final BufferAllocator allocator)
        throws IOException {
        final TreeMap<Long, List<Batch>> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*" + SUFFIX)) {
            for (final Path file : files) {
                final String name = file.getFileName().toString();
                final long time;
                try {
                    time = Long.parseLong(name.substring(prefix.length(), name.length() - SUFFIX.length()));
                } catch (final NumberFormatException ex) {
                    throw new IllegalStateException("snapshot file=" + file + " does not end in a batch time", ex);
                }
                try (BatchFileReader reader = BatchFileReader.open(file)) {
                    if (!reader.schema().equals(schema)) {
                        throw new IllegalStateException("snapshot file=" + file + " has schema=" + reader.schema() + ", expected "
                            + schema);
                    }
                    out.put(time, reader.readAll(allocator));
                }
            }
        } catch (final IOException | RuntimeException ex) {
            out.values().forEach(batches -> batches.forEach(Batch::release));
            throw ex;
        }
        return out;
    }
}
