package io.sluice.engine.stream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.ScriptedSource;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path temp;

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    /** Batch time, replayed flag and values as a job saw them. */
    private record Seen(long time, boolean replayed, List<Long> values) {
    }

    private StreamingContext context(final Path folder, final ManualStreamClock clock, final ScriptedSource source) {
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).checkpointFolder(folder).build();
        context.input(source);
        return context;
    }

    private static Map<String, byte[]> snapshot(final Path folder) throws Exception {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(path)) {
                    files.put(folder.relativize(path).toString(), Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    private static void assertSame(final Map<String, byte[]> before, final Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet());
        for (final String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
    }

    /**
     * Starting a context on {@code folder} with a source named {@code sourceName} throws a CheckpointException whose
     * message contains every one of {@code named}, and leaves every file of the folder byte for byte as it was.
     */
    private void assertStartRefusedLeavingFolderAsIs(final Path folder, final String sourceName, final String... named)
        throws Exception {
        final Map<String, byte[]> before = snapshot(folder);
        final StreamingContext context = context(folder, new ManualStreamClock(0), new ScriptedSource(sourceName));
        final CheckpointException error = assertThrows(CheckpointException.class, context::start);
        for (final String part : named) {
            assertTrue(error.getMessage().contains(part), "'" + part + "' in: " + error.getMessage());
        }
        assertSame(before, snapshot(folder));
        context.close();
    }

    /** First run: batch 100 completes, the job hangs on batch 200; 200 and 300 are received but not completed. */
    private void crashAfterReceiving(final Path folder) throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final ScriptedSource source = new ScriptedSource("numbers");
        final StreamingContext context = context(folder, clock, source);
        context.addJob(batch -> {
            if (batch.batchTimeMillis() >= 200) {
                new CountDownLatch(1).await();
            }
        });
        context.start();
        source.add(ScriptedSource.block(allocator, 1, 2));
        clock.advanceMillis(100);
        assertTrue(context.awaitBatchCompleted(100, WAIT));
        source.add(ScriptedSource.block(allocator, 3));
        clock.advanceMillis(100);
        assertTrue(context.awaitBatchGenerated(200, WAIT));
        clock.advanceMillis(100);
        assertTrue(context.awaitBatchGenerated(300, WAIT));
        source.add(ScriptedSource.block(allocator, 4, 5));
        clock.advanceMillis(100);
        assertTrue(context.awaitBatchGenerated(400, WAIT));
        context.stop(false);
    }

    @Test
    void restartReplaysEveryBatchTimeAfterTheCompletedOneBeforeNewInput() throws Exception {
        final Path folder = temp.resolve("checkpoint");
        crashAfterReceiving(folder);

        final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        final ManualStreamClock clock = new ManualStreamClock(0);
        final ScriptedSource source = new ScriptedSource("numbers");
        final StreamingContext context = context(folder, clock, source);
        context.addJob(batch -> seen.add(new Seen(batch.batchTimeMillis(), batch.replayed(), StreamThreads.values(batch.batch(0)))));
        source.add(ScriptedSource.block(allocator, 6));
        context.start();
        assertTrue(context.awaitBatchCompleted(400, WAIT));
        clock.setMillis(500);
        assertTrue(context.awaitBatchCompleted(500, WAIT));
        context.stop(true);
        // 300 was empty (never logged) and is replayed empty, so every batch time after the completed one runs in order.
        assertEquals(List.of(new Seen(200, true, List.of(3L)), new Seen(300, true, List.of()), new Seen(400, true, List.of(4L, 5L)),
            new Seen(500, false, List.of(6L))), seen);
        try (Stream<Path> left = Files.list(folder.resolve(WalDescriptor.RECEIVED_FOLDER))) {
            assertEquals(0, left.count(), "completed batches leave no files");
        }
    }

    @Test
    void foreignFolderIsRefusedAndLeftUntouched() throws Exception {
        final Path folder = temp.resolve("foreign");
        Files.createDirectories(folder);
        Files.write(folder.resolve("notes.txt"), "mine".getBytes(StandardCharsets.UTF_8));
        assertStartRefusedLeavingFolderAsIs(folder, "numbers", "not a Sluice stream checkpoint", folder.toString());
    }

    @Test
    void checkpointOfAnotherStreamIsRefused() throws Exception {
        final Path folder = temp.resolve("other");
        crashAfterReceiving(folder);
        assertStartRefusedLeavingFolderAsIs(folder, "letters", "numbers", "letters");
    }

    @Test
    void corruptLoggedBatchGivesAClearErrorAndIsNeverOverwritten() throws Exception {
        final Path folder = temp.resolve("corrupt");
        crashAfterReceiving(folder);
        final Path data = folder.resolve(WalDescriptor.RECEIVED_FOLDER).resolve(WalDescriptor.dataFile(400, 0));
        final byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length - 40] ^= 0x5A;
        Files.write(data, bytes);
        assertStartRefusedLeavingFolderAsIs(folder, "numbers", WalDescriptor.dataFile(400, 0));
    }

    @Test
    void corruptIdentityIsRefused() throws Exception {
        final Path folder = temp.resolve("identity");
        crashAfterReceiving(folder);
        final Path identity = folder.resolve(WalDescriptor.IDENTITY_FILE);
        Files.write(identity, Files.readAllBytes(identity).length > 10 ? new byte[] {1, 2, 3} : new byte[0]);
        assertStartRefusedLeavingFolderAsIs(folder, "numbers", WalDescriptor.IDENTITY_FILE);
    }

    @Test
    void tornCutWithoutManifestIsDroppedAndLeftoverTempFilesRemoved() throws Exception {
        final Path folder = temp.resolve("torn");
        crashAfterReceiving(folder);
        final Path received = folder.resolve(WalDescriptor.RECEIVED_FOLDER);
        Files.delete(received.resolve(WalDescriptor.manifestFile(400)));
        Files.write(received.resolve("x.sbf.tmp"), new byte[] {9});
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        final ManualStreamClock clock = new ManualStreamClock(0);
        final StreamingContext context = context(folder, clock, new ScriptedSource("numbers"));
        context.addJob(batch -> times.add(batch.batchTimeMillis()));
        context.start();
        assertTrue(context.awaitBatchCompleted(200, WAIT));
        context.stop(true);
        assertEquals(List.of(200L), times);
        try (Stream<Path> left = Files.list(received)) {
            assertEquals(0, left.count());
        }
    }

    /** The newest logged batch time in received/. */
    private static long newestManifest(final Path folder) throws Exception {
        long newest = Long.MIN_VALUE;
        try (Stream<Path> files = Files.list(folder.resolve(WalDescriptor.RECEIVED_FOLDER))) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                newest = Math.max(newest, WalDescriptor.manifestFileTime(file.getFileName().toString()));
            }
        }
        return newest;
    }

    /**
     * One logged batch moved two hours ahead (100 ms batches) used to make the restart replay 72,000 empty intervals
     * (a day ahead at 1 ms: OutOfMemoryError inside start()). It is refused, naming the file, and nothing is deleted.
     */
    @Test
    void farFutureBatchTimeIsRefusedNamingTheFile() throws Exception {
        final Path folder = temp.resolve("future");
        crashAfterReceiving(folder);
        final long newest = newestManifest(folder);
        final long future = newest + Duration.ofHours(2).toMillis();
        final Path received = folder.resolve(WalDescriptor.RECEIVED_FOLDER);
        Files.move(received.resolve(WalDescriptor.manifestFile(newest)), received.resolve(WalDescriptor.manifestFile(future)));
        Files.move(received.resolve(WalDescriptor.dataFile(newest, 0)), received.resolve(WalDescriptor.dataFile(future, 0)));
        assertStartRefusedLeavingFolderAsIs(folder, "numbers", WalDescriptor.manifestFile(future), "intervals of 100 ms");
    }

    /** A 20-digit name above Long.MAX_VALUE used to escape as NumberFormatException. */
    @Test
    void batchTimeNameBeyondLongRangeIsRefusedAsForeign() throws Exception {
        final Path folder = temp.resolve("digits");
        crashAfterReceiving(folder);
        Files.write(folder.resolve(WalDescriptor.RECEIVED_FOLDER).resolve("99999999999999999999-0000.sbf"), new byte[8]);
        assertStartRefusedLeavingFolderAsIs(folder, "numbers", "99999999999999999999-0000.sbf", "not written by a Sluice stream");
    }
}
