package io.sluice.engine.stream.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator snapshots of a checkpoint folder (layout in {@link WalDescriptor}): validates them on open without
 * writing, cleans up what a crash left, writes a new snapshot atomically (temp folder, fsync, rename, pointer) and
 * deletes the older ones once the new one is durable. Used by the context's start and then by the job executor
 * thread only.
 */
final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final Path folder;
    private final Path snapshots;
    private final Path pointer;
    private final String operators;
    private final long rememberMillis;
    private final String checkpointId;
    private final List<Path> leftovers = new ArrayList<>();
    private long snapshotTime = Long.MIN_VALUE;

    /** A snapshot's metadata row. */
    private record Row(long batchTime, long rememberMillis, String operators, String checkpointId) {
    }

    private SnapshotStore(final Path folder, final List<String> operatorNames, final long rememberMillis, final String checkpointId) {
        this.folder = folder;
        this.snapshots = folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER);
        this.pointer = folder.resolve(WalDescriptor.SNAPSHOT_FILE);
        this.operators = String.join("\n", operatorNames.stream().sorted().toList());
        this.rememberMillis = rememberMillis;
        this.checkpointId = checkpointId;
    }

    /** For a folder being created: no snapshot yet. */
    static SnapshotStore create(final Path folder, final List<String> operatorNames, final long rememberMillis, final String checkpointId)
        throws IOException {
        final SnapshotStore store = new SnapshotStore(folder, operatorNames, rememberMillis, checkpointId);
        Files.createDirectories(store.snapshots);
        return store;
    }

    /**
     * Validates the snapshots of an existing folder for a context with {@code operatorNames} that remembers
     * {@code rememberMillis}, in the folder of {@code checkpointId}: the current snapshot's rows and every file its
     * manifest lists (size, CRC32C, batch time, checkpoint id; no file missing, none unlisted). Writes and deletes
     * nothing (see {@link #cleanUp()}). Throws {@link CheckpointException}.
     */
    static SnapshotStore validate(final Path folder, final List<String> operatorNames, final long rememberMillis,
                                  final String checkpointId, final BufferAllocator allocator) throws IOException {
        final SnapshotStore store = new SnapshotStore(folder, operatorNames, rememberMillis, checkpointId);
        store.check(allocator);
        return store;
    }

    private void check(final BufferAllocator allocator) throws IOException {
        if (!Files.isDirectory(snapshots)) {
            throw new CheckpointException(folder, "missing folder '" + WalDescriptor.SNAPSHOTS_FOLDER + "'");
        }
        final Row row = Files.exists(pointer) ? read(pointer, allocator) : newestCompleteSnapshot(allocator);
        if (row != null) {
            final Path current = snapshots.resolve(WalDescriptor.snapshotFolder(row.batchTime()));
            if (!Files.isDirectory(current)) {
                throw new CheckpointException(folder, WalDescriptor.SNAPSHOT_FILE + " points to snapshot batch time=" + row.batchTime()
                    + " but folder " + folder.relativize(current) + " is missing");
            }
            final Row inside = read(current.resolve(WalDescriptor.SNAPSHOT_FILE), allocator);
            for (final Row checked : List.of(row, inside)) {
                if (!checked.checkpointId().equals(checkpointId)) {
                    throw new CheckpointException(folder, "snapshot " + folder.relativize(current) + " belongs to checkpoint id="
                        + checked.checkpointId() + " but this folder is id=" + checkpointId + " (copied from another checkpoint folder?)");
                }
            }
            if (!inside.equals(row)) {
                throw new CheckpointException(folder, folder.relativize(current.resolve(WalDescriptor.SNAPSHOT_FILE)) + " says " + inside
                    + " but " + WalDescriptor.SNAPSHOT_FILE + " says " + row);
            }
            if (!row.operators().equals(operators)) {
                throw new CheckpointException(folder, "snapshot " + folder.relativize(current) + " holds operators ["
                    + row.operators().replace('\n', ',') + "] but this context has [" + operators.replace('\n', ',') + "]");
            }
            if (rememberMillis > row.rememberMillis()) {
                throw new CheckpointException(folder, "snapshot " + folder.relativize(current) + " kept input for remember="
                    + row.rememberMillis() + "ms but this context remembers " + rememberMillis + "ms");
            }
            for (final String name : operatorNames()) {
                if (!Files.isDirectory(current.resolve(name))) {
                    throw new CheckpointException(folder, "snapshot " + folder.relativize(current) + " has no folder for operator '"
                        + name + "'");
                }
            }
            checkFiles(current, row.batchTime(), allocator);
            snapshotTime = row.batchTime();
        }
        try (Stream<Path> entries = Files.list(snapshots)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final String name = entry.getFileName().toString();
                final long time = WalDescriptor.snapshotFolderTime(name);
                final boolean temp = name.endsWith(WalDescriptor.TEMP_SUFFIX)
                    && WalDescriptor.snapshotFolderTime(name.substring(0, name.length() - WalDescriptor.TEMP_SUFFIX.length())) >= 0;
                if (time >= 0 && Files.isDirectory(entry) || temp) {
                    if (time != snapshotTime) {
                        leftovers.add(entry);
                    }
                } else {
                    throw new CheckpointException(folder, "unexpected entry '" + WalDescriptor.SNAPSHOTS_FOLDER + "/" + name
                        + "': not written by a Sluice stream");
                }
            }
        }
    }

    /**
     * Without the pointer file (deleted by hand, or a crash between a first snapshot's rename and its pointer), the
     * newest complete snapshot folder is the state: a folder gets its final name only once every operator wrote it.
     * Its own metadata row stands in for the pointer's. Deleting it as a leftover would lose the only copy of the
     * state whose input the retention already deleted.
     */
    private Row newestCompleteSnapshot(final BufferAllocator allocator) throws IOException {
        long newest = -1;
        try (Stream<Path> entries = Files.list(snapshots)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final long time = WalDescriptor.snapshotFolderTime(entry.getFileName().toString());
                if (time >= 0 && Files.isDirectory(entry)) {
                    newest = Math.max(newest, time);
                }
            }
        }
        if (newest < 0) {
            return null;
        }
        final Path dir = snapshots.resolve(WalDescriptor.snapshotFolder(newest));
        final Row row = read(dir.resolve(WalDescriptor.SNAPSHOT_FILE), allocator);
        if (row.batchTime() != newest) {
            throw new CheckpointException(folder, folder.relativize(dir.resolve(WalDescriptor.SNAPSHOT_FILE)) + " says batch time="
                + row.batchTime() + " inside folder " + folder.relativize(dir));
        }
        LOG.warn("checkpoint folder {}: {} is missing; restoring the newest complete snapshot {}", folder, WalDescriptor.SNAPSHOT_FILE,
            folder.relativize(dir));
        return row;
    }

    private List<String> operatorNames() {
        return operators.isEmpty() ? List.of() : List.of(operators.split("\n"));
    }

    private Row read(final Path file, final BufferAllocator allocator) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(folder, "missing file " + folder.relativize(file));
        }
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(WalDescriptor.SNAPSHOT_SCHEMA)) {
                throw new CheckpointException(folder, folder.relativize(file) + " has schema " + reader.schema() + ", expected "
                    + WalDescriptor.SNAPSHOT_SCHEMA);
            }
            final List<Batch> batches = reader.readAll(allocator);
            try {
                if (batches.size() != 1 || batches.get(0).rowCount() != 1) {
                    throw new CheckpointException(folder, folder.relativize(file) + " must hold exactly one row");
                }
                final Batch batch = batches.get(0);
                return new Row(batch.int64Vector(0).get(0), batch.int64Vector(1).get(0), batch.utf8Vector(2).getString(0),
                    batch.utf8Vector(3).getString(0));
            } finally {
                batches.forEach(Batch::release);
            }
        } catch (final BatchFileException ex) {
            throw new CheckpointException(folder, "corrupt file " + folder.relativize(file) + ": " + ex.getMessage(), ex);
        }
    }

    /** Deletes temporary snapshot folders and snapshots other than the current one (after validation only). */
    void cleanUp() throws IOException {
        for (final Path leftover : leftovers) {
            LOG.info("checkpoint folder {}: deleting {} left by an interrupted or superseded snapshot", folder,
                folder.relativize(leftover));
            Folders.deleteTree(leftover);
        }
        leftovers.clear();
    }

    /** The batch time of the newest complete snapshot, or {@link Long#MIN_VALUE}. */
    long snapshotTime() {
        return snapshotTime;
    }

    /** The folder operator {@code name} wrote in the current snapshot. */
    Path operatorFolder(final String name) {
        return snapshots.resolve(WalDescriptor.snapshotFolder(snapshotTime)).resolve(name);
    }

    /**
     * Snapshots every operator as of the end of {@code batchTime}: each writes into its folder under a temporary
     * snapshot folder, which is forced to disk and renamed; then the pointer is replaced, then older snapshots are
     * deleted. A crash at any point leaves the previous snapshot current.
     */
    void write(final long batchTime, final List<Checkpointed> checkpointed, final BufferAllocator allocator) {
        final Path finalDir = snapshots.resolve(WalDescriptor.snapshotFolder(batchTime));
        final Path temp = snapshots.resolve(WalDescriptor.snapshotFolder(batchTime) + WalDescriptor.TEMP_SUFFIX);
        final long previous = snapshotTime;
        try {
            if (Files.exists(temp)) {
                Folders.deleteTree(temp);
            }
            Files.createDirectories(temp);
            for (final Checkpointed operator : checkpointed) {
                final Path dir = Files.createDirectory(temp.resolve(operator.checkpointName()));
                operator.snapshot(batchTime, dir);
            }
            writeRow(temp.resolve(WalDescriptor.SNAPSHOT_FILE), batchTime, allocator);
            writeFiles(temp, batchTime, allocator);
            forceTree(temp);
            Files.move(temp, finalDir, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(snapshots);
            writeRow(pointer, batchTime, allocator);
            forceDirectory(folder);
            snapshotTime = batchTime;
            if (previous != Long.MIN_VALUE && previous != batchTime) {
                Folders.deleteTree(snapshots.resolve(WalDescriptor.snapshotFolder(previous)));
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot write snapshot batch time=" + batchTime + " in " + snapshots + ": " + ex, ex);
        }
    }

    private void writeRow(final Path file, final long batchTime, final BufferAllocator allocator) {
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.SNAPSHOT_SCHEMA, 1)) {
            try (Batch row = builder.setInt64(0, batchTime).setInt64(1, rememberMillis).setUtf8(2, operators).setUtf8(3, checkpointId)
                .endRow().build();
                 BatchFileWriter writer = BatchFileWriter.create(file, WalDescriptor.SNAPSHOT_SCHEMA)) {
                writer.write(row);
            }
        }
    }

    /** The operators' files under snapshot folder {@code dir}, by path relative to it ('/'-separated), sorted. */
    private static TreeMap<String, Path> operatorFiles(final Path dir) throws IOException {
        final TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                final Path relative = dir.relativize(path);
                if (Files.isRegularFile(path) && relative.getNameCount() > 1) {
                    files.put(relative.toString().replace(path.getFileSystem().getSeparator(), "/"), path);
                }
            }
        }
        return files;
    }

    /** Lists every operator file of snapshot folder {@code dir} with its size and CRC32C in its manifest. */
    private void writeFiles(final Path dir, final long batchTime, final BufferAllocator allocator) throws IOException {
        final TreeMap<String, Path> files = operatorFiles(dir);
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.SNAPSHOT_FILES_SCHEMA, Math.max(1, files.size()))) {
            for (final var file : files.entrySet()) {
                final FileDigest digest = FileDigest.of(file.getValue());
                builder.setUtf8(0, file.getKey()).setInt64(1, digest.size()).setInt64(2, digest.crc()).setInt64(3, batchTime)
                    .setUtf8(4, checkpointId).endRow();
            }
            try (Batch rows = builder.build();
                 BatchFileWriter writer = BatchFileWriter.create(dir.resolve(WalDescriptor.SNAPSHOT_FILES),
                     WalDescriptor.SNAPSHOT_FILES_SCHEMA)) {
                writer.write(rows);
            }
        }
    }

    /**
     * Checks the operator files of snapshot folder {@code dir} against its manifest: every listed file is there with
     * its size and CRC32C, the manifest was written for this batch time and checkpoint id, and no file is unlisted.
     */
    private void checkFiles(final Path dir, final long batchTime, final BufferAllocator allocator) throws IOException {
        final Path manifest = dir.resolve(WalDescriptor.SNAPSHOT_FILES);
        final String name = folder.relativize(manifest).toString();
        if (!Files.isRegularFile(manifest)) {
            throw new CheckpointException(folder, "missing file " + name);
        }
        final TreeMap<String, Path> unlisted = operatorFiles(dir);
        try (BatchFileReader reader = BatchFileReader.open(manifest)) {
            if (!reader.schema().equals(WalDescriptor.SNAPSHOT_FILES_SCHEMA)) {
                throw new CheckpointException(folder, name + " has schema " + reader.schema() + ", expected "
                    + WalDescriptor.SNAPSHOT_FILES_SCHEMA);
            }
            final List<Batch> batches = reader.readAll(allocator);
            try {
                for (final Batch batch : batches) {
                    for (int row = 0; row < batch.rowCount(); row++) {
                        final String file = batch.utf8Vector(0).getString(row);
                        if (batch.int64Vector(3).get(row) != batchTime || !batch.utf8Vector(4).getString(row).equals(checkpointId)) {
                            throw new CheckpointException(folder, name + " was written for batch time=" + batch.int64Vector(3).get(row)
                                + " checkpoint id=" + batch.utf8Vector(4).getString(row) + ", expected batch time=" + batchTime + " id="
                                + checkpointId + " (copied from another snapshot or checkpoint folder?)");
                        }
                        final Path path = unlisted.remove(file);
                        if (path == null) {
                            throw new CheckpointException(folder, "snapshot file " + folder.relativize(dir) + "/" + file + " listed in "
                                + name + " is missing (deleted by hand?)");
                        }
                        final String mismatch = new FileDigest(batch.int64Vector(1).get(row), batch.int64Vector(2).get(row)).mismatch(path);
                        if (mismatch != null) {
                            throw new CheckpointException(folder, "snapshot file " + folder.relativize(path) + " " + mismatch + " " + name
                                + " (a file from another folder or an older copy?)");
                        }
                    }
                }
            } finally {
                batches.forEach(Batch::release);
            }
        } catch (final BatchFileException ex) {
            throw new CheckpointException(folder, "corrupt file " + name + ": " + ex.getMessage(), ex);
        }
        if (!unlisted.isEmpty()) {
            throw new CheckpointException(folder, "snapshot file " + folder.relativize(unlisted.firstEntry().getValue())
                + " is not listed in " + name + " (added by hand or from another snapshot?)");
        }
    }

    /** Forces every file and folder under {@code root} to disk (what an operator wrote may not be synced). */
    private static void forceTree(final Path root) throws IOException {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (final Path path : paths) {
            if (Files.isDirectory(path)) {
                forceDirectory(path);
            } else {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
    }

    /** Makes a rename in {@code dir} durable; a platform that cannot open a folder for sync skips it. */
    private static void forceDirectory(final Path dir) {
        if (!Folders.sync(dir)) {
            LOG.debug("cannot sync folder {} on this platform", dir);
        }
    }
}
