package io.sluice.engine.stream.checkpoint;

import java.nio.file.Path;
import java.util.List;

import io.sluice.engine.stream.StreamInput;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Utf8Vector;

/**
 * The identity file of a checkpoint folder ({@link WalDescriptor#IDENTITY_FILE}): which stream wrote it (format
 * version, batch interval, every input's index, name and schema), so a context never writes into a folder of
 * another stream.
 */
final class StreamIdentity {
    private StreamIdentity() {
    }

    /** Writes the identity of a stream with this interval and these inputs into {@code folder}. */
    static void write(final Path folder, final long intervalMillis, final List<StreamInput> inputs, final BufferAllocator allocator) {
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.IDENTITY_SCHEMA, inputs.size())) {
            for (final StreamInput input : inputs) {
                builder.setUtf8(0, WalDescriptor.FORMAT).setInt32(1, WalDescriptor.VERSION).setInt64(2, intervalMillis)
                    .setInt32(3, input.index()).setUtf8(4, input.name()).setUtf8(5, input.schema().toString()).endRow();
            }
            try (Batch identity = builder.build();
                 BatchFileWriter writer = BatchFileWriter.create(folder.resolve(WalDescriptor.IDENTITY_FILE),
                     WalDescriptor.IDENTITY_SCHEMA)) {
                writer.write(identity);
            }
        }
    }

    /** Checks that {@code file} is the identity of a stream with this interval and these inputs. */
    static void check(final Path folder, final Path file, final long intervalMillis, final List<StreamInput> inputs,
                      final BufferAllocator allocator) {
        final List<Batch> batches;
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(WalDescriptor.IDENTITY_SCHEMA)) {
                throw new CheckpointException(folder, file.getFileName() + " has schema " + reader.schema() + ", not a stream identity");
            }
            batches = reader.readAll(allocator);
        }
        try {
            final StringBuilder found = new StringBuilder();
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
        } finally {
            for (final Batch batch : batches) {
                batch.release();
            }
        }
    }
}
