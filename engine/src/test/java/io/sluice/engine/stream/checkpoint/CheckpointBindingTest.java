package io.sluice.engine.stream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.MicroBatch;
import io.sluice.engine.stream.MicroBatchJob;
import io.sluice.engine.stream.RunningCount;
import io.sluice.engine.stream.ScriptedSource;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Folders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files bound to their folder and batch (issue 12, findings 7 and 8): a file or folder from another checkpoint of a
 * stream of the same shape, two swapped batch times, or a file deleted from the retained log or a snapshot, stop
 * start() with a {@link CheckpointException} naming the file, and leave the folder exactly as it was. Before the
 * manifests listed every file with its size, CRC32C, batch time and the folder's id, each of these restarted silently.
 */
class CheckpointBindingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long INTERVAL = 100;
    private static final int BATCHES = 6;
    private static final String COUNTS = "counts";
    private static final String PARTS = "parts";

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path temp;

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    /**
     * Window-like state: one file per batch time (like a window's partials), restored from whatever files are there,
     * as the window operators do, so a deleted file used to give a silently smaller state.
     */
    private static final class Partials implements Checkpointed, MicroBatchJob {
        private final TreeMap<Long, Integer> rows = new TreeMap<>();
        private long restoredTime = Long.MIN_VALUE;

        @Override
        public String checkpointName() {
            return PARTS;
        }

        @Override
        public synchronized void process(final MicroBatch batch) {
            if (batch.batchTimeMillis() > restoredTime) {
                rows.put(batch.batchTimeMillis(), batch.batch(0).rowCount());
            }
        }

        @Override
        public synchronized void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
            for (final Map.Entry<Long, Integer> part : rows.entrySet()) {
                Files.writeString(dir.resolve("part-" + part.getKey()), part.getValue().toString());
            }
        }

        @Override
        public synchronized void restore(final long batchTimeMillis, final Path dir) throws IOException {
            rows.clear();
            try (Stream<Path> files = Files.list(dir)) {
                for (final Path file : (Iterable<Path>) files::iterator) {
                    rows.put(Long.parseLong(file.getFileName().toString().substring(5)), Integer.parseInt(Files.readString(file)));
                }
            }
            restoredTime = batchTimeMillis;
        }
    }

    private StreamingContext context(final Path folder, final ManualStreamClock clock, final RunningCount count, final Partials parts) {
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
            .clock(clock).checkpointFolder(folder).checkpointEvery(2).build();
        context.input(new ScriptedSource("numbers"));
        context.addCheckpointed(count).remember(Duration.ofMillis(3 * INTERVAL));
        context.addCheckpointed(parts);
        context.addJob(count);
        context.addJob(parts);
        return context;
    }

    /** Runs six batches to completion (snapshot after 600, batches 400-600 kept in the log); {@code seed} varies the data. */
    private Path run(final String name, final long seed) throws Exception {
        final Path folder = temp.resolve(name);
        final ManualStreamClock clock = new ManualStreamClock(0);
        final StreamingContext context = context(folder, clock, new RunningCount(COUNTS), new Partials());
        context.start();
        final ScriptedSource source = (ScriptedSource) context.inputs().get(0).source();
        for (int i = 1; i <= BATCHES; i++) {
            source.add(ScriptedSource.block(allocator, i % 3 + seed, i % 5, seed));
            clock.advanceMillis(INTERVAL);
            assertTrue(context.awaitBatchCompleted(INTERVAL * i, WAIT));
        }
        context.stop(true);
        return folder;
    }

    private static Path received(final Path folder) {
        return folder.resolve(WalDescriptor.RECEIVED_FOLDER);
    }

    private static Path snapshot(final Path folder) {
        return folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER).resolve(WalDescriptor.snapshotFolder(INTERVAL * BATCHES));
    }

    private static void copy(final Path from, final Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void swap(final Path a, final Path b) throws IOException {
        final Path aside = a.resolveSibling("aside");
        Files.move(a, aside);
        Files.move(b, a);
        Files.move(aside, b);
    }

    /** start() on {@code folder} throws a CheckpointException naming every one of {@code named}; the folder is as it was. */
    private void assertRefused(final Path folder, final String... named) throws Exception {
        final Map<String, byte[]> before = files(folder);
        final StreamingContext context = context(folder, new ManualStreamClock(0), new RunningCount(COUNTS), new Partials());
        final CheckpointException error = assertThrows(CheckpointException.class, context::start);
        for (final String part : named) {
            assertTrue(error.getMessage().contains(part), "'" + part + "' in: " + error.getMessage());
        }
        assertEquals(before.keySet(), files(folder).keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, files(folder).get(name), name));
        assertFalse(context.failure().isPresent());
        context.close();
    }

    private static Map<String, byte[]> files(final Path folder) {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                files.put(folder.relativize(path).toString(), Files.isRegularFile(path) ? Files.readAllBytes(path) : new byte[0]);
            }
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
        return files;
    }

    @Test
    void untouchedFolderRestartsAndTheRestartIsExact() throws Exception {
        final Path folder = run("mine", 0);
        final RunningCount count = new RunningCount(COUNTS);
        final StreamingContext context = context(folder, new ManualStreamClock(0), count, new Partials());
        context.start();
        assertTrue(context.awaitBatchCompleted(INTERVAL * BATCHES, WAIT));
        context.stop(true);
        assertEquals(INTERVAL * BATCHES, count.restoredTime());
        assertEquals(3L * BATCHES, count.counts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void dataFileFromAnotherCheckpointOfTheSameShapeIsRefusedNamingIt() throws Exception {
        final Path mine = run("mine", 0);
        final Path other = run("other", 10);
        final String data = WalDescriptor.dataFile(500, 0);
        copy(received(other).resolve(data), received(mine).resolve(data));
        assertRefused(mine, WalDescriptor.RECEIVED_FOLDER + "/" + data, "crc32c");
    }

    @Test
    void loggedBatchFromAnotherCheckpointIsRefusedByItsCheckpointId() throws Exception {
        final Path mine = run("mine", 0);
        final Path other = run("other", 10);
        copy(received(other).resolve(WalDescriptor.dataFile(500, 0)), received(mine).resolve(WalDescriptor.dataFile(500, 0)));
        copy(received(other).resolve(WalDescriptor.manifestFile(500)), received(mine).resolve(WalDescriptor.manifestFile(500)));
        assertRefused(mine, WalDescriptor.manifestFile(500), "checkpoint id");
    }

    @Test
    void receivedFolderOfAnotherCheckpointIsRefused() throws Exception {
        final Path mine = run("mine", 0);
        final Path other = run("other", 10);
        Folders.deleteTree(received(mine));
        Files.move(received(other), received(mine));
        assertRefused(mine, "checkpoint id", WalDescriptor.RECEIVED_FOLDER + "/");
    }

    @Test
    void swappedDataFilesOfTwoBatchTimesAreRefused() throws Exception {
        final Path mine = run("mine", 0);
        swap(received(mine).resolve(WalDescriptor.dataFile(400, 0)), received(mine).resolve(WalDescriptor.dataFile(500, 0)));
        assertRefused(mine, WalDescriptor.dataFile(400, 0), "crc32c");
    }

    @Test
    void swappedBatchTimesWithTheirManifestsAreRefused() throws Exception {
        final Path mine = run("mine", 0);
        swap(received(mine).resolve(WalDescriptor.dataFile(400, 0)), received(mine).resolve(WalDescriptor.dataFile(500, 0)));
        swap(received(mine).resolve(WalDescriptor.manifestFile(400)), received(mine).resolve(WalDescriptor.manifestFile(500)));
        assertRefused(mine, WalDescriptor.manifestFile(400), "written for batch time=500");
    }

    @Test
    void snapshotFileFromAnotherCheckpointIsRefusedNamingIt() throws Exception {
        final Path mine = run("mine", 0);
        final Path other = run("other", 10);
        copy(snapshot(other).resolve(COUNTS).resolve(RunningCount.FILE), snapshot(mine).resolve(COUNTS).resolve(RunningCount.FILE));
        assertRefused(mine, COUNTS + "/" + RunningCount.FILE, "crc32c");
    }

    @Test
    void snapshotFolderOfAnotherCheckpointIsRefused() throws Exception {
        final Path mine = run("mine", 0);
        final Path other = run("other", 10);
        Folders.deleteTree(snapshot(mine));
        Files.move(snapshot(other), snapshot(mine));
        assertRefused(mine, WalDescriptor.snapshotFolder(INTERVAL * BATCHES), "checkpoint id");
    }

    @Test
    void olderCopyOfASnapshotFileIsRefused() throws Exception {
        final Path mine = run("mine", 0);
        // What the operator wrote for an earlier snapshot: the state of fewer batches, under the same name.
        Files.delete(snapshot(mine).resolve(PARTS).resolve("part-600"));
        Files.writeString(snapshot(mine).resolve(PARTS).resolve("part-500"), "2");
        assertRefused(mine, PARTS + "/part-");
    }

    /** Finding 8: a deleted partial used to restore a silently smaller state (windows then wrong). */
    @Test
    void deletedOperatorFileIsRefusedNamingIt() throws Exception {
        final Path mine = run("mine", 0);
        Files.delete(snapshot(mine).resolve(PARTS).resolve("part-300"));
        assertRefused(mine, PARTS + "/part-300", "missing");
    }

    /** Finding 8: an emptied received/ used to replay the logged batches as empty ones (their records lost). */
    @Test
    void emptiedReceivedFolderIsRefused() throws Exception {
        final Path mine = run("mine", 0);
        try (Stream<Path> files = Files.list(received(mine))) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        assertRefused(mine, WalDescriptor.manifestFile(600), "missing");
    }

    @Test
    void oneLoggedBatchDeletedFromTheRetainedLogIsRefused() throws Exception {
        final Path mine = run("mine", 0);
        Files.delete(received(mine).resolve(WalDescriptor.manifestFile(500)));
        Files.delete(received(mine).resolve(WalDescriptor.dataFile(500, 0)));
        assertRefused(mine, WalDescriptor.manifestFile(500), "missing");
    }

    @Test
    void folderOfFormatVersion2IsRefusedClearly() throws Exception {
        final Path mine = run("mine", 0);
        final var fields = WalDescriptor.IDENTITY_SCHEMA.fields();
        final io.sluice.memory.Schema version2 = io.sluice.memory.Schema.of(fields.subList(0, fields.size() - 1)
            .toArray(new io.sluice.memory.Field[0]));
        try (BatchBuilder builder = new BatchBuilder(allocator, version2, 1);
             Batch row = builder.setUtf8(0, WalDescriptor.FORMAT).setInt32(1, 2).setInt64(2, INTERVAL).setInt32(3, 0)
                 .setUtf8(4, "numbers").setUtf8(5, ScriptedSource.SCHEMA.toString()).endRow().build();
             BatchFileWriter writer = BatchFileWriter.create(mine.resolve(WalDescriptor.IDENTITY_FILE), version2)) {
            writer.write(row);
        }
        assertRefused(mine, WalDescriptor.IDENTITY_FILE, "format version 2", "new folder");
    }

    @Test
    void eachFolderGetsItsOwnCheckpointId() throws Exception {
        final String a = new String(Files.readAllBytes(run("a", 0).resolve(WalDescriptor.IDENTITY_FILE)), StandardCharsets.ISO_8859_1);
        final String b = new String(Files.readAllBytes(run("b", 0).resolve(WalDescriptor.IDENTITY_FILE)), StandardCharsets.ISO_8859_1);
        assertFalse(a.equals(b), "same data, same shape: only the id differs");
    }
}
