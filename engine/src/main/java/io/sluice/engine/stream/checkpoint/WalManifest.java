package io.sluice.engine.stream.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BufferAllocator;

/**
 * Reads and checks the manifests of a checkpoint folder's {@code received/} (layout in {@link WalDescriptor}): each
 * binds a logged batch's input files to the folder (checkpoint id) and the batch time, with every file's size and
 * CRC32C. Reads only; used on open, before anything is written or deleted.
 */
final class WalManifest {
    private final Path folder;
    private final Path received;
    private final int inputs;
    private final String checkpointId;

    /** What a checked manifest says: per input the rows and the source offset after the batch; the previous logged time. */
    record Entry(long[] rows, String[] offsets, long previousBatchTime) {
    }

    /** What {@code completed.sbf} says: the completed batch time and the source offsets after it, per input. */
    record Completed(long batchTime, String[] offsets) {
    }

    WalManifest(final Path folder, final int inputs, final String checkpointId) {
        this.folder = folder;
        this.received = folder.resolve(WalDescriptor.RECEIVED_FOLDER);
        this.inputs = inputs;
        this.checkpointId = checkpointId;
    }

    /** Throws unless {@code found}, read from {@code file}, is this folder's checkpoint id. */
    void checkId(final String file, final String found) {
        if (!found.equals(checkpointId)) {
            throw new CheckpointException(folder, file + " belongs to checkpoint id=" + found + " but this folder is id=" + checkpointId
                + " (a file copied from another checkpoint folder?)");
        }
    }

    /**
     * Checks the manifest of batch {@code time} (its batch time, checkpoint id, one row per input naming that input's
     * file) and every input file it lists (present, size and CRC32C as listed). Throws {@link CheckpointException}
     * naming the file.
     */
    Entry check(final long time, final BufferAllocator allocator) {
        final Path manifest = received.resolve(WalDescriptor.manifestFile(time));
        final String name = WalDescriptor.RECEIVED_FOLDER + "/" + manifest.getFileName();
        try (BatchFileReader reader = BatchFileReader.open(manifest)) {
            if (!reader.schema().equals(WalDescriptor.MANIFEST_SCHEMA)) {
                throw new CheckpointException(folder, "manifest " + name + " has schema " + reader.schema() + ", expected "
                    + WalDescriptor.MANIFEST_SCHEMA);
            }
            final List<Batch> rows = reader.readAll(allocator);
            try {
                long count = 0;
                for (final Batch batch : rows) {
                    count += batch.rowCount();
                }
                if (count != inputs || rows.size() != 1) {
                    throw new CheckpointException(folder, "manifest " + name + " lists inputs=" + count + ", expected " + inputs);
                }
                return entry(time, name, rows.get(0));
            } finally {
                rows.forEach(Batch::release);
            }
        } catch (final BatchFileException ex) {
            throw new CheckpointException(folder, "corrupt file " + name + ": " + ex.getMessage(), ex);
        }
    }

    private Entry entry(final long time, final String name, final Batch manifest) {
        final long[] rowCounts = new long[inputs];
        final String[] offsets = new String[inputs];
        long previous = Long.MIN_VALUE;
        for (int row = 0; row < inputs; row++) {
            checkId(name, manifest.utf8Vector(8).getString(row));
            final long rowTime = manifest.int64Vector(7).get(row);
            if (rowTime != time) {
                throw new CheckpointException(folder, "manifest " + name + " was written for batch time=" + rowTime
                    + " (renamed or swapped?)");
            }
            final String dataFile = WalDescriptor.dataFile(time, row);
            if (manifest.int32Vector(0).get(row) != row || !manifest.utf8Vector(4).getString(row).equals(dataFile)) {
                throw new CheckpointException(folder, "manifest " + name + " row " + row + " lists input="
                    + manifest.int32Vector(0).get(row) + " file=" + manifest.utf8Vector(4).getString(row) + ", expected input=" + row
                    + " file=" + dataFile);
            }
            final Path data = received.resolve(dataFile);
            if (!Files.isRegularFile(data)) {
                throw new CheckpointException(folder, "batch time=" + time + " has a manifest but no file " + WalDescriptor.RECEIVED_FOLDER
                    + "/" + dataFile);
            }
            final FileDigest listed = new FileDigest(manifest.int64Vector(5).get(row), manifest.int64Vector(6).get(row));
            final String mismatch = listed.mismatch(data);
            if (mismatch != null) {
                throw new CheckpointException(folder, WalDescriptor.RECEIVED_FOLDER + "/" + dataFile + " " + mismatch + " " + name
                    + " (a file from another folder, an older copy, or another batch time's file?)");
            }
            rowCounts[row] = manifest.int64Vector(2).get(row);
            offsets[row] = manifest.utf8Vector(3).getString(row);
            previous = manifest.int64Vector(9).get(row);
        }
        return new Entry(rowCounts, offsets, previous);
    }

    /** Reads {@code completed.sbf}: one row per input, one batch time, this folder's checkpoint id. */
    Completed readCompleted(final Path file, final BufferAllocator allocator) {
        final String name = file.getFileName().toString();
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(WalDescriptor.COMPLETED_SCHEMA) || reader.batchCount() != 1) {
                throw new CheckpointException(folder, name + " has schema " + reader.schema() + " and batches=" + reader.batchCount()
                    + ", expected " + WalDescriptor.COMPLETED_SCHEMA + " and 1");
            }
            final List<Batch> batches = reader.readAll(allocator);
            try {
                final Batch batch = batches.get(0);
                if (batch.rowCount() != inputs) {
                    throw new CheckpointException(folder, name + " has rows=" + batch.rowCount() + ", expected one per input=" + inputs);
                }
                final long time = batch.int64Vector(0).get(0);
                final String[] offsets = new String[inputs];
                for (int row = 0; row < inputs; row++) {
                    checkId(name, batch.utf8Vector(3).getString(row));
                    if (batch.int32Vector(1).get(row) != row || batch.int64Vector(0).get(row) != time) {
                        throw new CheckpointException(folder, name + " row " + row + " has input=" + batch.int32Vector(1).get(row)
                            + " batch time=" + batch.int64Vector(0).get(row) + ", expected input=" + row + " batch time=" + time);
                    }
                    offsets[row] = batch.utf8Vector(2).getString(row);
                }
                return new Completed(time, offsets);
            } finally {
                batches.forEach(Batch::release);
            }
        }
    }
}
