package io.sluice.engine.stream.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.sluice.engine.stream.StreamInput;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Field;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Vector;

/**
 * The identity file of a checkpoint folder ({@link WalDescriptor#IDENTITY_FILE}): which stream wrote it (format
 * version, batch interval, every input's index, name and schema), so a context never writes into a folder of
 * another stream; and the folder's checkpoint id, drawn once at creation, which every manifest repeats so a file from
 * another folder of a stream of the same shape is noticed.
 */
final class StreamIdentity {
    /** The identity of format version 2, before the checkpoint id: recognised only to refuse it clearly. */
    private static final Schema VERSION_2 = Schema.of(WalDescriptor.IDENTITY_SCHEMA.fields().subList(0,
        WalDescriptor.IDENTITY_SCHEMA.fields().size() - 1).toArray(new Field[0]));

    private StreamIdentity() {
    }

    /** A new random checkpoint id. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Writes the identity of a stream with this interval, these inputs and checkpoint {@code id} into {@code folder}. */
    static void write(final Path folder, final String id, final long intervalMillis, final List<StreamInput> inputs,
                      final BufferAllocator allocator) {
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.IDENTITY_SCHEMA, inputs.size())) {
            for (final StreamInput input : inputs) {
                builder.setUtf8(0, WalDescriptor.FORMAT).setInt32(1, WalDescriptor.VERSION).setInt64(2, intervalMillis)
                    .setInt32(3, input.index()).setUtf8(4, input.name()).setUtf8(5, input.schema().toString())
                    .setUtf8(6, id).endRow();
            }
            try (Batch identity = builder.build();
                 BatchFileWriter writer = BatchFileWriter.create(folder.resolve(WalDescriptor.IDENTITY_FILE),
                     WalDescriptor.IDENTITY_SCHEMA)) {
                writer.write(identity);
            }
        }
    }

    /** Checks that {@code file} is the identity of a stream with this interval and these inputs; returns its checkpoint id. */
    static String check(final Path folder, final Path file, final long intervalMillis, final List<StreamInput> inputs,
                      final BufferAllocator allocator) {
        final List<Batch> batches;
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (reader.schema().equals(VERSION_2)) {
                throw new CheckpointException(folder, file.getFileName() + " is of format version 2, which has no checkpoint id and"
                    + " no file checksums; this version reads version " + WalDescriptor.VERSION + " only: start from a new folder");
            }
            if (!reader.schema().equals(WalDescriptor.IDENTITY_SCHEMA)) {
                throw new CheckpointException(folder, file.getFileName() + " has schema " + reader.schema() + ", not a stream identity");
            }
            batches = reader.readAll(allocator);
        }
        try {
            final StringBuilder found = new StringBuilder();
            String id = null;
            int rows = 0;
            for (final Batch batch : batches) {
                final Utf8Vector format = batch.utf8Vector(0);
                final Int32Vector version = batch.int32Vector(1);
                final Int64Vector interval = batch.int64Vector(2);
                for (int row = 0; row < batch.rowCount(); row++, rows++) {
                    if (!format.getString(row).equals(WalDescriptor.FORMAT) || version.get(row) != WalDescriptor.VERSION) {
                        throw new CheckpointException(folder, "identity format=" + format.getString(row) + " version=" + version.get(row)
                            + ", expected " + WalDescriptor.FORMAT + " version=" + WalDescriptor.VERSION);
                    }
                    if (interval.get(row) != intervalMillis) {
                        throw new CheckpointException(folder, "written with batch interval=" + interval.get(row)
                            + "ms, this context has " + intervalMillis + "ms");
                    }
                    final String rowId = batch.utf8Vector(6).getString(row);
                    if (id != null && !id.equals(rowId) || rowId.isEmpty()) {
                        throw new CheckpointException(folder, file.getFileName() + " has checkpoint ids '" + id + "' and '" + rowId + "'");
                    }
                    id = rowId;
                    found.append(batch.int32Vector(3).get(row)).append(':').append(batch.utf8Vector(4).getString(row)).append(' ')
                        .append(batch.utf8Vector(5).getString(row)).append(';');
                }
            }
            final StringBuilder expected = new StringBuilder();
            for (final StreamInput input : inputs) {
                expected.append(input.index()).append(':').append(input.name()).append(' ').append(input.schema()).append(';');
            }
            if (!found.toString().equals(expected.toString())) {
                throw new CheckpointException(folder, "written for inputs [" + found + "] but this context has [" + expected + "]");
            }
            if (id == null) {
                throw new CheckpointException(folder, file.getFileName() + " lists no input, so no checkpoint id");
            }
            return id;
        } finally {
            for (final Batch batch : batches) {
                batch.release();
            }
        }
    }
}
