package io.sluice.engine.stream.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;

import io.sluice.engine.stream.StreamInput;
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
 * The write-ahead log of received input in a checkpoint folder (layout in {@link WalDescriptor}): a micro-batch
 * with records (or after which a replayable source's offset moved) is written, one batch file per input plus a
 * manifest with the source offsets, before it is queued, and marked completed after its jobs finish. Logged
 * batches are kept until they fall out of retention (before the last snapshot minus the remembered duration); a
 * context restarted on the folder replays every batch time after that, then seeks its sources past the newest
 * logged offsets. {@link #open} validates the folder before writing anything. Written by the job generator
 * ({@link #writeReceived}) and the job executor (the rest); those touch different files.
 *
 * <p>Internal: public only for the other stream packages, not part of the user API.
 */
public final class WriteAheadLog {
    /**
     * Set to {@code true} only to measure what durability costs: the commit path then skips the folder fsync after
     * its renames, which keeps the log safe against kill -9 but not against power loss. Read when a log is opened.
     */
    public static final String UNSAFE_NO_FOLDER_SYNC = "sluice.checkpoint.unsafeNoFolderSync";
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    private final Path folder;
    private final Path received;
    private final List<StreamInput> inputs;
    private final List<String> operatorNames;
    private final long rememberMillis;
    private final boolean syncFolders = !Boolean.getBoolean(UNSAFE_NO_FOLDER_SYNC);
    /** Logged and not yet completed: batch time to the source offsets after it. */
    private final Map<Long, String[]> logged = new ConcurrentHashMap<>();
    /** Logged batch times whose files are on disk (until retention deletes them). */
    private final ConcurrentSkipListSet<Long> onDisk = new ConcurrentSkipListSet<>();
    private final List<Long> replay = new ArrayList<>();
    private SnapshotStore snapshots;
    private String[] newestOffsets;
    private volatile long lastCompleted = Long.MIN_VALUE;
    /** The folder's id from its identity file; every manifest repeats it. */
    private String checkpointId;
    private WalManifest manifests;
    /** The newest batch time logged (written by the job generator only, after open). */
    private long lastLogged = Long.MIN_VALUE;

    private WriteAheadLog(final Path folder, final List<StreamInput> inputs, final List<String> operatorNames, final long rememberMillis) {
        this.folder = folder;
        this.received = folder.resolve(WalDescriptor.RECEIVED_FOLDER);
        this.inputs = inputs;
        this.operatorNames = List.copyOf(operatorNames);
        this.rememberMillis = rememberMillis;
    }

    /**
     * Opens (or, if absent or empty, creates) the checkpoint folder for a stream with {@code inputs}, snapshotted
     * operators named {@code operatorNames} and input remembered for {@code rememberMillis}. Throws
     * {@link CheckpointException}, having written nothing, if the folder holds anything else or is corrupt.
     */
    public static WriteAheadLog open(final Path folder, final long intervalMillis, final List<StreamInput> inputs,
                              final BufferAllocator allocator, final List<String> operatorNames, final long rememberMillis) {
        final WriteAheadLog wal = new WriteAheadLog(folder, inputs, operatorNames, rememberMillis);
        try {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new CheckpointException(folder, "is not a directory");
            }
            if (!Files.exists(folder) || WalFolder.isEmptyOrCreationInterrupted(folder)) {
                wal.create(intervalMillis, allocator);
            } else {
                wal.recover(intervalMillis, allocator);
            }
        } catch (final IOException ex) {
            throw new CheckpointException(folder, "I/O error: " + ex, ex);
        } catch (final BatchFileException ex) {
            throw new CheckpointException(folder, "corrupt file: " + ex.getMessage(), ex);
        }
        return wal;
    }

    private void create(final long intervalMillis, final BufferAllocator allocator) throws IOException {
        // The identity comes last: a folder without it but with these empty folders is a creation a kill interrupted.
        Files.createDirectories(received);
        checkpointId = StreamIdentity.newId();
        snapshots = SnapshotStore.create(folder, operatorNames, rememberMillis, checkpointId);
        StreamIdentity.write(folder, checkpointId, intervalMillis, inputs, allocator);
        LOG.info("created checkpoint folder {} for inputs={}", folder, inputs.size());
    }

    /**
     * Opens an existing folder: checks what it holds (identity, entries, snapshots, manifests) before it deletes
     * anything, then removes what earlier runs left behind and plans the replay.
     */
    private void recover(final long intervalMillis, final BufferAllocator allocator) throws IOException {
        checkpointId = WalFolder.checkRoot(folder, intervalMillis, inputs, allocator);
        manifests = new WalManifest(folder, inputs.size(), checkpointId);
        final Path completedFile = folder.resolve(WalDescriptor.COMPLETED_FILE);
        final WalManifest.Completed completed = Files.exists(completedFile) ? manifests.readCompleted(completedFile, allocator) : null;
        final String[] completedOffsets = completed == null ? null : completed.offsets();
        lastCompleted = completed == null ? Long.MIN_VALUE : completed.batchTime();
        snapshots = SnapshotStore.validate(folder, operatorNames, rememberMillis, checkpointId, allocator);
        final WalFolder.ReceivedFiles files = WalFolder.listReceived(folder);
        final long keepAfter = keepAfter(operatorNames.isEmpty() ? lastCompleted : snapshots.snapshotTime());
        checkReplayBound(files, keepAfter, intervalMillis);
        checkLogged(files, keepAfter, allocator);
        // Only now, with everything validated, remove what earlier runs left behind.
        deleteLeftovers(files);
        retain(files, keepAfter);
        planReplay(files, keepAfter, completedOffsets, intervalMillis);
        LOG.info("recovered checkpoint folder {}: last completed batch time={}, snapshot={}, batches to replay={} (logged={})", folder,
            lastCompleted == Long.MIN_VALUE ? "none" : lastCompleted,
            snapshots.snapshotTime() == Long.MIN_VALUE ? "none" : snapshots.snapshotTime(), replay.size(), onDisk.size());
    }

    /**
     * Reads every manifest that will be kept (and checks the files it lists), checks that every completed batch time
     * kept has one, and that no logged batch the retention keeps is missing: the completed one's manifest and the
     * previous logged batch of each kept manifest must be there.
     */
    private void checkLogged(final WalFolder.ReceivedFiles files, final long keepAfter, final BufferAllocator allocator) {
        final Map<Long, Long> previous = new TreeMap<>();
        for (final Map.Entry<Long, String[]> manifest : files.manifests().entrySet()) {
            if (manifest.getKey() > keepAfter) {
                manifest.setValue(checkManifest(manifest.getKey(), allocator, previous));
            }
        }
        if (lastCompleted > keepAfter && !files.manifests().containsKey(lastCompleted)) {
            throw new CheckpointException(folder, WalDescriptor.COMPLETED_FILE + " says batch time=" + lastCompleted + " completed, but "
                + WalDescriptor.RECEIVED_FOLDER + "/" + WalDescriptor.manifestFile(lastCompleted) + " that logged it is missing"
                + " (logged input deleted by hand?): replaying without it would lose its records");
        }
        for (final Map.Entry<Long, Long> link : previous.entrySet()) {
            if (link.getValue() > keepAfter && !files.manifests().containsKey(link.getValue())) {
                throw new CheckpointException(folder, WalDescriptor.RECEIVED_FOLDER + "/" + WalDescriptor.manifestFile(link.getKey())
                    + " follows logged batch time=" + link.getValue() + ", but " + WalDescriptor.RECEIVED_FOLDER + "/"
                    + WalDescriptor.manifestFile(link.getValue()) + " is missing (logged input deleted by hand?)");
            }
        }
        for (final Map.Entry<Long, List<Path>> entry : files.data().entrySet()) {
            final long time = entry.getKey();
            if (time > keepAfter && time <= lastCompleted && !files.manifests().containsKey(time)) {
                throw new CheckpointException(folder, "completed batch time=" + time + " has files " + entry.getValue().size()
                    + " but no manifest " + WalDescriptor.manifestFile(time) + " (files deleted by hand?)");
            }
        }
    }

    /**
     * Refuses a newest logged batch time so far ahead of the completed (or snapshot, or oldest logged) time that the
     * restart would replay more than {@link WalDescriptor#MAX_REPLAY_AHEAD_INTERVALS} intervals beyond the remembered
     * duration. Checked before anything is deleted or planned.
     */
    private void checkReplayBound(final WalFolder.ReceivedFiles files, final long keepAfter, final long intervalMillis) {
        long newest = Long.MIN_VALUE;
        long oldest = Long.MAX_VALUE;
        for (final long time : files.manifests().keySet()) {
            if (time > keepAfter) {
                newest = Math.max(newest, time);
                oldest = Math.min(oldest, time);
            }
        }
        if (newest == Long.MIN_VALUE) {
            return;
        }
        final long base = Math.max(lastCompleted, snapshots.snapshotTime());
        final long from = base != Long.MIN_VALUE ? base : oldest;
        final long ahead = (newest - from) / intervalMillis;
        if (ahead > WalDescriptor.MAX_REPLAY_AHEAD_INTERVALS + rememberMillis / intervalMillis) {
            throw new CheckpointException(folder, "logged batch time=" + newest + " (" + WalDescriptor.RECEIVED_FOLDER + "/"
                + WalDescriptor.manifestFile(newest) + ") is " + ahead + " intervals of " + intervalMillis + " ms after batch time="
                + from + ": a restart would replay every one of them (at most " + WalDescriptor.MAX_REPLAY_AHEAD_INTERVALS
                + " beyond the remembered duration); a clock set wrong or a file from elsewhere?");
        }
    }

    /** Deletes the temporary files and snapshot folders a crash left. */
    private void deleteLeftovers(final WalFolder.ReceivedFiles files) throws IOException {
        snapshots.cleanUp();
        for (final Path temp : files.temporary()) {
            Files.deleteIfExists(temp);
        }
        try (Stream<Path> entries = Files.list(folder)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().endsWith(WalDescriptor.TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /**
     * Deletes batch times the retention no longer needs and the files of a cut whose manifest never came (they never
     * reached a job); records the rest in {@link #onDisk}, and the logged but not completed ones in {@link #logged}.
     */
    private void retain(final WalFolder.ReceivedFiles files, final long keepAfter) throws IOException {
        for (final Map.Entry<Long, List<Path>> entry : files.data().entrySet()) {
            final long time = entry.getKey();
            if (time > lastCompleted && !files.manifests().containsKey(time)) {
                LOG.warn("checkpoint folder {}: batch time={} was cut but its manifest is missing (a crash mid-cut); it never"
                    + " reached a job, deleting its files={}", folder, time, entry.getValue().size());
                for (final Path file : entry.getValue()) {
                    Files.deleteIfExists(file);
                }
            } else if (time <= keepAfter) {
                deleteBatch(time);
            }
        }
        for (final Map.Entry<Long, String[]> manifest : files.manifests().entrySet()) {
            final long time = manifest.getKey();
            if (time <= keepAfter) {
                deleteBatch(time);
                continue;
            }
            onDisk.add(time);
            lastLogged = Math.max(lastLogged, time);
            if (time > lastCompleted) {
                logged.put(time, manifest.getValue());
            }
        }
    }

    /** Every batch time from after the retention point up to the newest logged or completed one, oldest first. */
    private void planReplay(final WalFolder.ReceivedFiles files, final long keepAfter, final String[] completedOffsets,
                            final long intervalMillis) {
        final long newest = onDisk.isEmpty() ? lastCompleted : Math.max(lastCompleted, onDisk.last());
        newestOffsets = newest == Long.MIN_VALUE ? null : newest == lastCompleted ? completedOffsets : files.manifests().get(newest);
        final long lowest = keepAfter != Long.MIN_VALUE ? keepAfter : onDisk.isEmpty() ? Long.MAX_VALUE : onDisk.first() - 1;
        for (long time = newest; newest != Long.MIN_VALUE && time > lowest; time -= intervalMillis) {
            replay.add(time);
        }
        Collections.reverse(replay);
    }

    /** Logged batches at or before this time may be deleted, given the retention base (snapshot or completed time). */
    private long keepAfter(final long base) {
        return base == Long.MIN_VALUE ? Long.MIN_VALUE : base - rememberMillis;
    }

    /**
     * Checks a logged batch's manifest and the input files it lists (see {@link WalManifest#check}), then that each
     * file holds the rows the manifest lists; records its previous logged batch time in {@code previous}; returns its
     * offsets.
     */
    private String[] checkManifest(final long time, final BufferAllocator allocator, final Map<Long, Long> previous) {
        final WalManifest.Entry entry = manifests.check(time, allocator);
        previous.put(time, entry.previousBatchTime());
        final Batch[] data = read(time, allocator);
        try {
            for (int input = 0; input < data.length; input++) {
                if (data[input].rowCount() != entry.rows()[input]) {
                    throw new CheckpointException(folder, WalDescriptor.RECEIVED_FOLDER + "/" + WalDescriptor.dataFile(time, input)
                        + " holds rows=" + data[input].rowCount() + " but its manifest lists rows=" + entry.rows()[input]);
                }
            }
        } finally {
            Batch.releaseAll(data);
        }
        return entry.offsets();
    }

    /** Batch times to replay before new input, ascending: every time after retention up to the newest logged one. */
    public List<Long> replayTimes() {
        return new ArrayList<>(replay);
    }

    /** Whether {@code time} was logged (has data to replay); otherwise it replays as an empty batch. */
    public boolean hasData(final long time) {
        return onDisk.contains(time);
    }

    /** The source offsets after the newest logged batch, per input, or null if nothing was logged. */
    public String[] newestOffsets() {
        return newestOffsets == null ? null : newestOffsets.clone();
    }

    /** The batch time of the current snapshot, or {@link Long#MIN_VALUE}. */
    public long snapshotTime() {
        return snapshots.snapshotTime();
    }

    /** The folder operator {@code name} wrote in the current snapshot. */
    public Path snapshotFolder(final String name) {
        return snapshots.operatorFolder(name);
    }

    /**
     * Snapshots {@code operators} as of the end of {@code time} (see {@link SnapshotStore#write}), then deletes the
     * logged batches that fell out of retention. Called by the job executor between batches.
     */
    public void snapshot(final long time, final List<Checkpointed> operators, final BufferAllocator allocator) {
        snapshots.write(time, operators, allocator);
        retain(keepAfter(time));
    }

    /** Deletes every logged batch at or before {@code keepAfter}. */
    private void retain(final long keepAfter) {
        for (final Long time : onDisk.headSet(keepAfter, true)) {
            try {
                deleteBatch(time);
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot delete logged batch time=" + time + " in " + received, ex);
            }
            onDisk.remove(time);
        }
    }

    /** The newest completed batch time, or {@link Long#MIN_VALUE}. */
    public long lastCompleted() {
        return lastCompleted;
    }

    /** Reads the logged micro-batch of every input at {@code time}; the caller releases them. */
    public Batch[] read(final long time, final BufferAllocator allocator) {
        final Batch[] batches = new Batch[inputs.size()];
        try {
            for (final StreamInput input : inputs) {
                final Path file = received.resolve(WalDescriptor.dataFile(time, input.index()));
                if (!Files.isRegularFile(file)) {
                    throw new CheckpointException(folder, "batch time=" + time + " has a manifest but no file " + file.getFileName());
                }
                try (BatchFileReader reader = BatchFileReader.open(file)) {
                    if (!reader.schema().equals(input.schema())) {
                        throw new CheckpointException(folder, file.getFileName() + " has schema " + reader.schema() + " but input '"
                            + input.name() + "' has " + input.schema());
                    }
                    batches[input.index()] = BatchBuilder.concatAndRelease(allocator, input.schema(),
                        new ArrayList<>(reader.readAll(allocator)));
                }
            }
            return batches;
        } catch (final BatchFileException ex) {
            Batch.releaseAll(batches);
            throw new CheckpointException(folder, "corrupt file: " + ex.getMessage(), ex);
        } catch (final RuntimeException ex) {
            Batch.releaseAll(batches);
            throw ex;
        }
    }

    /** Logs a cut batch: every input's file, then the manifest with the source offsets after it. */
    public void writeReceived(final long time, final Batch[] batches, final String[] offsets, final BufferAllocator allocator) {
        if (time < 0) {
            throw new IllegalArgumentException("batch time=" + time + " cannot be logged: must be >= 0");
        }
        final FileDigest[] digests = new FileDigest[inputs.size()];
        for (final StreamInput input : inputs) {
            final Path file = received.resolve(WalDescriptor.dataFile(time, input.index()));
            try (BatchFileWriter writer = BatchFileWriter.create(file, input.schema())) {
                writer.write(batches[input.index()]);
            }
            digests[input.index()] = FileDigest.of(file);
        }
        // Power loss, not only kill -9: the data files' renames must be durable before the manifest that commits them.
        syncFolder(received);
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.MANIFEST_SCHEMA, inputs.size())) {
            for (final StreamInput input : inputs) {
                final int index = input.index();
                builder.setInt32(0, index).setUtf8(1, input.name()).setInt64(2, batches[index].rowCount())
                    .setUtf8(3, offsets[index]).setUtf8(4, WalDescriptor.dataFile(time, index)).setInt64(5, digests[index].size())
                    .setInt64(6, digests[index].crc()).setInt64(7, time).setUtf8(8, checkpointId).setInt64(9, lastLogged).endRow();
            }
            try (Batch manifest = builder.build();
                 BatchFileWriter writer = BatchFileWriter.create(received.resolve(WalDescriptor.manifestFile(time)),
                     WalDescriptor.MANIFEST_SCHEMA)) {
                writer.write(manifest);
            }
        }
        syncFolder(received);
        lastLogged = time;
        onDisk.add(time);
        logged.put(time, offsets.clone());
    }

    /**
     * Marks {@code time} completed (if it was logged and not completed before); with no snapshotted operator, also
     * deletes the logged batches that fell out of retention.
     */
    public void markCompleted(final long time, final BufferAllocator allocator) {
        final String[] offsets = logged.remove(time);
        if (offsets == null) {
            return;
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.COMPLETED_SCHEMA, inputs.size())) {
            for (final StreamInput input : inputs) {
                builder.setInt64(0, time).setInt32(1, input.index()).setUtf8(2, offsets[input.index()]).setUtf8(3, checkpointId).endRow();
            }
            try (Batch completed = builder.build();
                 BatchFileWriter writer = BatchFileWriter.create(folder.resolve(WalDescriptor.COMPLETED_FILE),
                     WalDescriptor.COMPLETED_SCHEMA)) {
                writer.write(completed);
            }
        }
        syncFolder(folder);
        lastCompleted = time;
        if (operatorNames.isEmpty()) {
            retain(keepAfter(time));
        }
    }

    /** Makes the renames in {@code dir} durable (power loss, not only kill -9), unless measuring without. */
    private void syncFolder(final Path dir) {
        if (syncFolders) {
            Folders.sync(dir);
        }
    }

    private void deleteBatch(final long time) throws IOException {
        Files.deleteIfExists(received.resolve(WalDescriptor.manifestFile(time)));
        for (final StreamInput input : inputs) {
            Files.deleteIfExists(received.resolve(WalDescriptor.dataFile(time, input.index())));
        }
    }

    Path folder() {
        return folder;
    }
}
