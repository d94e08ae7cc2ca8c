package io.sluice.engine.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Utf8Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of received input in a checkpoint folder (layout in {@link WalDescriptor}): every
 * non-empty micro-batch is written, one batch file per input plus a manifest, before it is queued, and marked
 * completed after its jobs finish; a context restarted on the folder replays the batches received but not
 * completed. {@link #open} validates the folder before writing anything. Written by the job generator
 * ({@link #writeReceived}) and the job executor ({@link #markCompleted}); those touch different files.
 */
final class WriteAheadLog {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    private final Path folder;
    private final Path received;
    private final List<StreamInput> inputs;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private final Set<Long> logged = ConcurrentHashMap.newKeySet();
    private volatile long lastCompleted;

    private WriteAheadLog(final Path folder, final List<StreamInput> inputs) {
        this.folder = folder;
        this.received = folder.resolve(WalDescriptor.RECEIVED_FOLDER);
        this.inputs = inputs;
    }

    /**
     * Opens (or, if absent or empty, creates) the checkpoint folder for a stream with {@code inputs}. Throws
     * {@link CheckpointException}, having written nothing, if the folder holds anything else or is corrupt.
     */
    static WriteAheadLog open(final Path folder, final long intervalMillis, final List<StreamInput> inputs,
                              final BufferAllocator allocator) {
        final WriteAheadLog wal = new WriteAheadLog(folder, inputs);
        try {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new CheckpointException(folder, "is not a directory");
            }
            if (!Files.exists(folder) || isEmpty(folder)) {
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

    private static boolean isEmpty(final Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private void create(final long intervalMillis, final BufferAllocator allocator) throws IOException {
        Files.createDirectories(received);
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
        LOG.info("created checkpoint folder {} for inputs={}", folder, inputs.size());
    }

    private void recover(final long intervalMillis, final BufferAllocator allocator) throws IOException {
        final Path identityFile = folder.resolve(WalDescriptor.IDENTITY_FILE);
        if (!Files.isRegularFile(identityFile)) {
            throw new CheckpointException(folder, "not a Sluice stream checkpoint: it is not empty and has no "
                + WalDescriptor.IDENTITY_FILE + " (refusing to write into it)");
        }
        checkIdentity(identityFile, intervalMillis, allocator);
        try (Stream<Path> entries = Files.list(folder)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final String name = entry.getFileName().toString();
                if (!name.equals(WalDescriptor.IDENTITY_FILE) && !name.equals(WalDescriptor.COMPLETED_FILE)
                    && !name.equals(WalDescriptor.RECEIVED_FOLDER) && !name.endsWith(WalDescriptor.TEMP_SUFFIX)) {
                    throw new CheckpointException(folder, "unexpected entry '" + name + "': not written by a Sluice stream");
                }
            }
        }
        if (!Files.isDirectory(received)) {
            throw new CheckpointException(folder, "missing folder '" + WalDescriptor.RECEIVED_FOLDER + "'");
        }
        final Path completedFile = folder.resolve(WalDescriptor.COMPLETED_FILE);
        lastCompleted = Files.exists(completedFile) ? readCompleted(completedFile, allocator) : Long.MIN_VALUE;
        final Map<Long, List<Path>> data = new TreeMap<>();
        final Set<Long> manifests = new TreeSet<>();
        final List<Path> temporary = new ArrayList<>();
        try (Stream<Path> entries = Files.list(received)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final String name = entry.getFileName().toString();
                final long dataTime = WalDescriptor.dataFileTime(name);
                final long manifestTime = WalDescriptor.manifestFileTime(name);
                if (dataTime >= 0) {
                    data.computeIfAbsent(dataTime, t -> new ArrayList<>()).add(entry);
                } else if (manifestTime >= 0) {
                    manifests.add(manifestTime);
                } else if (name.endsWith(WalDescriptor.TEMP_SUFFIX)) {
                    temporary.add(entry);
                } else {
                    throw new CheckpointException(folder, "unexpected file '" + WalDescriptor.RECEIVED_FOLDER + "/" + name
                        + "': not written by a Sluice stream");
                }
            }
        }
        for (final long time : manifests) {
            if (time > lastCompleted) {
                checkManifest(time, allocator);
                unfinished.add(time);
                logged.add(time);
            }
        }
        // Only now, with everything validated, remove what earlier runs left behind.
        for (final Path temp : temporary) {
            Files.deleteIfExists(temp);
        }
        try (Stream<Path> entries = Files.list(folder)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().endsWith(WalDescriptor.TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
        for (final Map.Entry<Long, List<Path>> entry : data.entrySet()) {
            final long time = entry.getKey();
            if (time <= lastCompleted) {
                deleteBatch(time);
            } else if (!manifests.contains(time)) {
                LOG.warn("checkpoint folder {}: batch time={} was cut but its manifest is missing (a crash mid-cut); it never"
                    + " reached a job, deleting its files={}", folder, time, entry.getValue().size());
                for (final Path file : entry.getValue()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        for (final long time : manifests) {
            if (time <= lastCompleted) {
                Files.deleteIfExists(received.resolve(WalDescriptor.manifestFile(time)));
            }
        }
        LOG.info("recovered checkpoint folder {}: last completed batch time={}, batches to replay={}", folder,
            lastCompleted == Long.MIN_VALUE ? "none" : lastCompleted, unfinished.size());
    }

    private void checkIdentity(final Path file, final long intervalMillis, final BufferAllocator allocator) {
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

    private long readCompleted(final Path file, final BufferAllocator allocator) {
        try (BatchFileReader reader = BatchFileReader.open(file)) {
            if (!reader.schema().equals(WalDescriptor.COMPLETED_SCHEMA) || reader.batchCount() != 1) {
                throw new CheckpointException(folder, file.getFileName() + " has schema " + reader.schema() + " and batches="
                    + reader.batchCount() + ", expected " + WalDescriptor.COMPLETED_SCHEMA + " and 1");
            }
            final List<Batch> batches = reader.readAll(allocator);
            try {
                if (batches.get(0).rowCount() != 1) {
                    throw new CheckpointException(folder, file.getFileName() + " has rows=" + batches.get(0).rowCount() + ", expected 1");
                }
                return batches.get(0).int64Vector(0).get(0);
            } finally {
                batches.forEach(Batch::release);
            }
        }
    }

    /** Checks a received batch's manifest and that every input file is there and readable (then drops the data). */
    private void checkManifest(final long time, final BufferAllocator allocator) {
        final Path manifest = received.resolve(WalDescriptor.manifestFile(time));
        try (BatchFileReader reader = BatchFileReader.open(manifest)) {
            if (!reader.schema().equals(WalDescriptor.MANIFEST_SCHEMA)) {
                throw new CheckpointException(folder, "manifest " + manifest.getFileName() + " has schema " + reader.schema());
            }
            final List<Batch> rows = reader.readAll(allocator);
            try {
                long count = 0;
                for (final Batch batch : rows) {
                    count += batch.rowCount();
                }
                if (count != inputs.size()) {
                    throw new CheckpointException(folder, "manifest " + manifest.getFileName() + " lists inputs=" + count + ", expected "
                        + inputs.size());
                }
            } finally {
                rows.forEach(Batch::release);
            }
        }
        for (final Batch batch : read(time, allocator)) {
            batch.release();
        }
    }

    /** Batch times received but not completed, ascending: to replay before new input. */
    List<Long> unfinished() {
        return new ArrayList<>(unfinished);
    }

    /** The newest completed batch time, or {@link Long#MIN_VALUE}. */
    long lastCompleted() {
        return lastCompleted;
    }

    /** Reads the logged micro-batch of every input at {@code time}; the caller releases them. */
    Batch[] read(final long time, final BufferAllocator allocator) {
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
                    batches[input.index()] = Batches.concat(allocator, input.schema(), new ArrayList<>(reader.readAll(allocator)));
                }
            }
            return batches;
        } catch (final BatchFileException ex) {
            release(batches);
            throw new CheckpointException(folder, "corrupt file: " + ex.getMessage(), ex);
        } catch (final RuntimeException ex) {
            release(batches);
            throw ex;
        }
    }

    private static void release(final Batch[] batches) {
        for (final Batch batch : batches) {
            if (batch != null) {
                batch.release();
            }
        }
    }

    /** Logs a cut batch (if any input has records): every input's file, then the manifest. */
    void writeReceived(final long time, final Batch[] batches, final BufferAllocator allocator) {
        long records = 0;
        for (final Batch batch : batches) {
            records += batch.rowCount();
        }
        if (records == 0) {
            return;
        }
        if (time < 0) {
            throw new IllegalArgumentException("batch time=" + time + " cannot be logged: must be >= 0");
        }
        for (final StreamInput input : inputs) {
            try (BatchFileWriter writer = BatchFileWriter.create(received.resolve(WalDescriptor.dataFile(time, input.index())),
                input.schema())) {
                writer.write(batches[input.index()]);
            }
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.MANIFEST_SCHEMA, inputs.size())) {
            for (final StreamInput input : inputs) {
                builder.setInt32(0, input.index()).setUtf8(1, input.name()).setInt64(2, batches[input.index()].rowCount()).endRow();
            }
            try (Batch manifest = builder.build();
                 BatchFileWriter writer = BatchFileWriter.create(received.resolve(WalDescriptor.manifestFile(time)),
                     WalDescriptor.MANIFEST_SCHEMA)) {
                writer.write(manifest);
            }
        }
        logged.add(time);
    }

    /** Marks {@code time} completed (if it was logged) and deletes its files. */
    void markCompleted(final long time, final BufferAllocator allocator) {
        if (!logged.remove(time)) {
            return;
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, WalDescriptor.COMPLETED_SCHEMA, 1)) {
            try (Batch completed = builder.setInt64(0, time).endRow().build();
                 BatchFileWriter writer = BatchFileWriter.create(folder.resolve(WalDescriptor.COMPLETED_FILE),
                     WalDescriptor.COMPLETED_SCHEMA)) {
                writer.write(completed);
            }
        }
        lastCompleted = time;
        try {
            deleteBatch(time);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot delete completed batch time=" + time + " in " + received, ex);
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
