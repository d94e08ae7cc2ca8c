package io.sluice.engine.stream.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.sluice.engine.stream.StreamInput;
import io.sluice.memory.BufferAllocator;

/** What a checkpoint folder holds, read before the write-ahead log opens it: nothing here writes or deletes. */
final class WalFolder {
    private static final Set<String> ROOT_ENTRIES = Set.of(WalDescriptor.IDENTITY_FILE, WalDescriptor.COMPLETED_FILE,
        WalDescriptor.RECEIVED_FOLDER, WalDescriptor.SNAPSHOT_FILE, WalDescriptor.SNAPSHOTS_FOLDER);

    private WalFolder() {
    }

    /**
     * Whether {@code dir} is empty, or holds only what {@code WriteAheadLog.create} writes before the identity (empty
     * {@code received} and {@code snapshots} folders, the identity's temporary file): a creation killed midway,
     * which holds no data and may be created again.
     */
    static boolean isEmptyOrCreationInterrupted(final Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final String name = entry.getFileName().toString();
                final boolean emptyFolder = (name.equals(WalDescriptor.RECEIVED_FOLDER) || name.equals(WalDescriptor.SNAPSHOTS_FOLDER))
                    && Files.isDirectory(entry) && isEmptyFolder(entry);
                if (!emptyFolder && !name.equals(WalDescriptor.IDENTITY_FILE + WalDescriptor.TEMP_SUFFIX)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isEmptyFolder(final Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The files of {@code received/}: data files by batch time, manifests by batch time (read later), temporaries. */
    record ReceivedFiles(Map<Long, List<Path>> data, TreeMap<Long, String[]> manifests, List<Path> temporary) {
    }

    /**
     * The identity matches this stream and the root holds nothing a Sluice stream did not write; returns the folder's
     * checkpoint id.
     */
    static String checkRoot(final Path folder, final long intervalMillis, final List<StreamInput> inputs,
                          final BufferAllocator allocator) throws IOException {
        final Path identityFile = folder.resolve(WalDescriptor.IDENTITY_FILE);
        if (!Files.isRegularFile(identityFile)) {
            throw new CheckpointException(folder, "not a Sluice stream checkpoint: it is not empty and has no "
                + WalDescriptor.IDENTITY_FILE + " (refusing to write into it)");
        }
        final String id = StreamIdentity.check(folder, identityFile, intervalMillis, inputs, allocator);
        try (Stream<Path> entries = Files.list(folder)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final String name = entry.getFileName().toString();
                if (!ROOT_ENTRIES.contains(name) && !name.endsWith(WalDescriptor.TEMP_SUFFIX)) {
                    throw new CheckpointException(folder, "unexpected entry '" + name + "': not written by a Sluice stream");
                }
            }
        }
        if (!Files.isDirectory(folder.resolve(WalDescriptor.RECEIVED_FOLDER))) {
            throw new CheckpointException(folder, "missing folder '" + WalDescriptor.RECEIVED_FOLDER + "'");
        }
        return id;
    }

    static ReceivedFiles listReceived(final Path folder) throws IOException {
        final Path received = folder.resolve(WalDescriptor.RECEIVED_FOLDER);
        final ReceivedFiles files = new ReceivedFiles(new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
        try (Stream<Path> entries = Files.list(received)) {
            for (final Path entry : (Iterable<Path>) entries::iterator) {
                final String name = entry.getFileName().toString();
                final long dataTime = WalDescriptor.dataFileTime(name);
                final long manifestTime = WalDescriptor.manifestFileTime(name);
                if (dataTime >= 0) {
                    files.data().computeIfAbsent(dataTime, t -> new ArrayList<>()).add(entry);
                } else if (manifestTime >= 0) {
                    files.manifests().put(manifestTime, null);
                } else if (name.endsWith(WalDescriptor.TEMP_SUFFIX)) {
                    files.temporary().add(entry);
                } else {
                    throw new CheckpointException(folder, "unexpected file '" + WalDescriptor.RECEIVED_FOLDER + "/" + name
                        + "': not written by a Sluice stream");
                }
            }
        }
        return files;
    }
}
