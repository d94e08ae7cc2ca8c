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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.RunningCount;
import io.sluice.engine.stream.ScriptedSource;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingJobException;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Folders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long INTERVAL = 100;

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path temp;

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    /** What a job saw of one batch. */
    private record Seen(long time, boolean replayed, boolean completedBefore) {
    }

    /** The values stored for batch {@code i} (batch time 100 * i). */
    private static long[] values(final int i) {
        return new long[] {i % 3, i % 5, 7};
    }

    private static Map<String, Long> expectedCounts(final int batches) {
        final Map<String, Long> counts = new TreeMap<>();
        for (int i = 1; i <= batches; i++) {
            for (final long value : values(i)) {
                counts.merge(Long.toString(value), 1L, Long::sum);
            }
        }
        return counts;
    }

    private StreamingContext context(final Path folder, final ManualStreamClock clock, final long intervalMillis, final long rememberMillis,
                                     final Checkpointed operator) {
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(intervalMillis)).allocator(allocator)
            .clock(clock).checkpointFolder(folder).checkpointEvery(2).build();
        context.input(new ScriptedSource("numbers"));
        context.addCheckpointed(operator).remember(Duration.ofMillis(rememberMillis));
        return context;
    }

    private static ScriptedSource source(final StreamingContext context) {
        return (ScriptedSource) context.inputs().get(0).source();
    }

    /**
     * First run, killed: batches 100..400 complete (snapshots after 200 and 400), the job hangs in 500 after the
     * count applied it, 600 is logged behind it; then an immediate stop drops both (the log keeps them). The stop
     * waits until the hanging job holds 500: jobs run in order, so the count has applied it (being generated says
     * nothing about being applied, which a loaded machine showed).
     */
    private void crashedRun(final Path folder, final long rememberMillis) throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final RunningCount count = new RunningCount("counts");
        final StreamingContext context = context(folder, clock, INTERVAL, rememberMillis, count);
        final CountDownLatch hangsIn500 = new CountDownLatch(1);
        context.addJob(count);
        context.addJob(batch -> {
            if (batch.batchTimeMillis() >= 500) {
                hangsIn500.countDown();
                new CountDownLatch(1).await();
            }
        });
        context.start();
        for (int i = 1; i <= 6; i++) {
            source(context).add(ScriptedSource.block(allocator, values(i)));
            clock.advanceMillis(INTERVAL);
            if (i <= 4) {
                assertTrue(context.awaitBatchCompleted(INTERVAL * i, WAIT));
            } else {
                assertTrue(context.awaitBatchGenerated(INTERVAL * i, WAIT));
            }
        }
        assertTrue(hangsIn500.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the jobs reached batch 500");
        context.stop(false);
        assertEquals(expectedCounts(5), count.counts(), "in memory the count had applied 500 when it died");
    }

    private static List<Long> logged(final Path folder) throws IOException {
        final List<Long> times = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder.resolve(WalDescriptor.RECEIVED_FOLDER))) {
            files.map(file -> WalDescriptor.manifestFileTime(file.getFileName().toString())).filter(time -> time >= 0).sorted()
                .forEach(times::add);
        }
        return times;
    }

    private static List<String> entries(final Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void restartRestoresTheSnapshotThenReplaysRememberedAndLoggedBatchesInOrder() throws Exception {
        final Path folder = temp.resolve("checkpoint");
        crashedRun(folder, 100);

        final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        final ManualStreamClock clock = new ManualStreamClock(0);
        final RunningCount count = new RunningCount("counts");
        final StreamingContext context = context(folder, clock, INTERVAL, 100, count);
        context.addJob(count);
        context.addJob(batch -> seen.add(new Seen(batch.batchTimeMillis(), batch.replayed(), batch.completedBefore())));
        source(context).add(ScriptedSource.block(allocator, values(7)));
        context.start();
        assertEquals(400, count.restoredTime(), "restored from the newest complete snapshot, taken after batch 400");
        assertTrue(context.awaitBatchCompleted(600, WAIT));
        clock.setMillis(700);
        assertTrue(context.awaitBatchCompleted(700, WAIT));
        context.stop(true);

        assertEquals(List.of(new Seen(400, true, true), new Seen(500, true, false), new Seen(600, true, false),
            new Seen(700, false, false)), seen,
            "400 is remembered (100 ms before the snapshot) and replayed first, then the logged batches, then new input");
        assertEquals(List.of(500L, 600L, 700L), count.applied(), "the count skips what its snapshot already holds");
        assertEquals(expectedCounts(7), count.counts(), "exactly the counts of an uninterrupted run");
    }

    @Test
    void retentionKeepsOnlyLoggedBatchesAfterTheSnapshotMinusTheRememberedDuration() throws Exception {
        final Path none = temp.resolve("none");
        crashedRun(none, 0);
        assertEquals(List.of(500L, 600L), logged(none));
        final Path two = temp.resolve("two");
        crashedRun(two, 200);
        assertEquals(List.of(300L, 400L, 500L, 600L), logged(two));
        assertEquals(List.of(WalDescriptor.snapshotFolder(400)), entries(two.resolve(WalDescriptor.SNAPSHOTS_FOLDER)),
            "the older snapshot is deleted once the new one is durable");
    }

    @Test
    void withoutOperatorsCompletedBatchesLeaveTheLogUnlessRemembered() throws Exception {
        final Path folder = temp.resolve("plain");
        final ManualStreamClock clock = new ManualStreamClock(0);
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
            .clock(clock).checkpointFolder(folder).build();
        context.input(new ScriptedSource("numbers"));
        context.remember(Duration.ofMillis(200));
        context.start();
        for (int i = 1; i <= 5; i++) {
            source(context).add(ScriptedSource.block(allocator, values(i)));
            clock.advanceMillis(INTERVAL);
            assertTrue(context.awaitBatchCompleted(INTERVAL * i, WAIT));
        }
        context.stop(true);
        assertEquals(List.of(400L, 500L), logged(folder), "kept: after the last completed time minus 200 ms");
    }

    @Test
    void tornSnapshotTempAndUnpointedSnapshotAreCleanedUpOnRestart() throws Exception {
        final Path folder = temp.resolve("torn");
        crashedRun(folder, 0);
        final Path snapshots = folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER);
        final Path tornTemp = Files.createDirectories(snapshots.resolve(WalDescriptor.snapshotFolder(600) + WalDescriptor.TEMP_SUFFIX)
            .resolve("counts"));
        Files.write(tornTemp.resolve(RunningCount.FILE), "time=600\nhalf".getBytes(StandardCharsets.UTF_8));
        // Renamed into place but killed before the pointer was replaced: not current, so not trusted.
        final Path unpointed = Files.createDirectories(snapshots.resolve(WalDescriptor.snapshotFolder(500)).resolve("counts"));
        Files.write(unpointed.resolve(RunningCount.FILE), "time=500\nend\n".getBytes(StandardCharsets.UTF_8));

        restartRestoresSnapshot400AndCountsThrough600(folder);
        assertEquals(List.of(WalDescriptor.snapshotFolder(600)), entries(snapshots), "leftovers gone, the new snapshot after 600 current");
    }

    /** Restarts {@link #crashedRun}'s folder: the count restores the snapshot of 400 and ends exact after 600. */
    private void restartRestoresSnapshot400AndCountsThrough600(final Path folder) throws Exception {
        final RunningCount count = new RunningCount("counts");
        final StreamingContext context = context(folder, new ManualStreamClock(0), INTERVAL, 0, count);
        context.addJob(count);
        context.start();
        assertEquals(400, count.restoredTime());
        assertTrue(context.awaitBatchCompleted(600, WAIT));
        context.stop(true);
        assertEquals(expectedCounts(6), count.counts(), "state of the snapshot plus the replayed batches");
    }

    /**
     * Deleting only the pointer file used to make start() delete the intact snapshot folder as a leftover and run on
     * with the state of the replayed batches alone (the retention had deleted the input before the snapshot).
     */
    @Test
    void missingPointerRestoresTheNewestCompleteSnapshotInsteadOfDeletingIt() throws Exception {
        final Path folder = temp.resolve("no-pointer");
        crashedRun(folder, 0);
        Files.delete(folder.resolve(WalDescriptor.SNAPSHOT_FILE));
        restartRestoresSnapshot400AndCountsThrough600(folder);
    }

    @Test
    void failingSnapshotStopsTheStreamAndLeavesThePreviousSnapshotCurrent() throws Exception {
        final Path folder = temp.resolve("failing");
        final ManualStreamClock clock = new ManualStreamClock(0);
        final RunningCount count = new RunningCount("counts");
        final Checkpointed failing = new Checkpointed() {
            private int snapshots;

            @Override
            public String checkpointName() {
                return "failing";
            }

            @Override
            public void snapshot(final long batchTimeMillis, final Path dir) throws IOException {
                Files.write(dir.resolve("part"), new byte[] {1});
                if (++snapshots == 2) {
                    throw new IOException("disk full (simulated)");
                }
            }

            @Override
            public void restore(final long batchTimeMillis, final Path dir) {
            }
        };
        final StreamingContext context = context(folder, clock, INTERVAL, 0, count);
        context.addCheckpointed(failing);
        context.addJob(count);
        context.start();
        for (int i = 1; i <= 4; i++) {
            source(context).add(ScriptedSource.block(allocator, values(i)));
            clock.advanceMillis(INTERVAL);
            final long batchTime = INTERVAL * i;
            if (i <= 3) {
                assertTrue(context.awaitBatchCompleted(batchTime, WAIT));
            } else {
                assertThrows(StreamingJobException.class, () -> context.awaitBatchCompleted(batchTime, WAIT));
            }
        }
        final StreamingJobException error = assertThrows(StreamingJobException.class, () -> context.stop(true));
        assertTrue(error.getMessage().contains("disk full"), error.getMessage());
        assertEquals(List.of(WalDescriptor.snapshotFolder(200), WalDescriptor.snapshotFolder(400) + WalDescriptor.TEMP_SUFFIX),
            entries(folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER)));
        assertEquals(List.of(300L, 400L), logged(folder), "nothing after the current snapshot was deleted");
    }

    @Test
    void snapshotOfOtherOperatorsIsRefusedAndLeftUntouched() throws Exception {
        final Path folder = temp.resolve("other");
        crashedRun(folder, 0);
        final Map<String, byte[]> before = files(folder);
        final StreamingContext context = context(folder, new ManualStreamClock(0), INTERVAL, 0, new RunningCount("sums"));
        final CheckpointException error = assertThrows(CheckpointException.class, context::start);
        assertTrue(error.getMessage().contains("[counts]") && error.getMessage().contains("[sums]"), error.getMessage());
        assertSame(before, files(folder));
        context.close();
    }

    @Test
    void corruptSnapshotPointerIsRefusedNamingTheFile() throws Exception {
        final Path folder = temp.resolve("pointer");
        crashedRun(folder, 0);
        final Path pointer = folder.resolve(WalDescriptor.SNAPSHOT_FILE);
        final byte[] bytes = Files.readAllBytes(pointer);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(pointer, bytes);
        assertRefused(folder, 0, new RunningCount("counts"), WalDescriptor.SNAPSHOT_FILE);
    }

    @Test
    void garbageInTheSnapshotsFolderIsRefusedNamingTheFile() throws Exception {
        final Path folder = temp.resolve("garbage");
        crashedRun(folder, 0);
        Files.write(folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER).resolve("notes.txt"), new byte[] {1, 2});
        assertRefused(folder, 0, new RunningCount("counts"), "notes.txt");
    }

    @Test
    void missingSnapshotFolderOfThePointerIsRefused() throws Exception {
        final Path folder = temp.resolve("missing");
        crashedRun(folder, 0);
        Folders.deleteTree(folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER).resolve(WalDescriptor.snapshotFolder(400)));
        assertRefused(folder, 0, new RunningCount("counts"), WalDescriptor.snapshotFolder(400) + " is missing");
    }

    /** The snapshot's manifest notices the changed file before the operator reads it. */
    @Test
    void operatorThatCannotReadItsSnapshotGivesACheckpointErrorNamingIt() throws Exception {
        final Path folder = temp.resolve("unreadable");
        crashedRun(folder, 0);
        final Path file = folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER).resolve(WalDescriptor.snapshotFolder(400)).resolve("counts")
            .resolve(RunningCount.FILE);
        Files.write(file, "garbage".getBytes(StandardCharsets.UTF_8));
        assertRefused(folder, 0, new RunningCount("counts"), "counts/" + RunningCount.FILE);
    }

    @Test
    void largerRememberedDurationThanTheFolderKeptIsRefused() throws Exception {
        final Path folder = temp.resolve("remember");
        crashedRun(folder, 0);
        assertRefused(folder, 300, new RunningCount("counts"), "remember=0ms");
    }

    @Test
    void otherBatchIntervalIsRefused() throws Exception {
        final Path folder = temp.resolve("interval");
        crashedRun(folder, 0);
        final Map<String, byte[]> before = files(folder);
        final StreamingContext context = context(folder, new ManualStreamClock(0), 50, 0, new RunningCount("counts"));
        final CheckpointException error = assertThrows(CheckpointException.class, context::start);
        assertTrue(error.getMessage().contains("batch interval=100ms"), error.getMessage());
        assertSame(before, files(folder));
        context.close();
    }

    @Test
    void folderWhoseCreationWasKilledBeforeTheIdentityIsCreatedAgain() throws Exception {
        final Path folder = temp.resolve("half-created");
        Files.createDirectories(folder.resolve(WalDescriptor.RECEIVED_FOLDER));
        Files.createDirectories(folder.resolve(WalDescriptor.SNAPSHOTS_FOLDER));
        Files.write(folder.resolve(WalDescriptor.IDENTITY_FILE + WalDescriptor.TEMP_SUFFIX), new byte[] {1, 2, 3});
        final RunningCount count = new RunningCount("counts");
        final ManualStreamClock clock = new ManualStreamClock(0);
        final StreamingContext context = context(folder, clock, INTERVAL, 0, count);
        context.addJob(count);
        context.start();
        source(context).add(ScriptedSource.block(allocator, values(1)));
        clock.advanceMillis(INTERVAL);
        assertTrue(context.awaitBatchCompleted(INTERVAL, WAIT));
        context.stop(true);
        assertEquals(expectedCounts(1), count.counts());
        assertEquals(List.of(WalDescriptor.COMPLETED_FILE, WalDescriptor.RECEIVED_FOLDER, WalDescriptor.IDENTITY_FILE,
            WalDescriptor.SNAPSHOTS_FOLDER), entries(folder));
    }

    @Test
    void checkpointNamesMustBeUniqueFolderNames() {
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator).build();
        context.addCheckpointed(new RunningCount("counts"));
        assertThrows(IllegalArgumentException.class, () -> context.addCheckpointed(new RunningCount("counts")));
        assertThrows(IllegalArgumentException.class, () -> context.addCheckpointed(new RunningCount("../up")));
        assertThrows(IllegalArgumentException.class, () -> context.addCheckpointed(new RunningCount("x.tmp")));
        assertThrows(IllegalArgumentException.class, () -> context.remember(Duration.ofMillis(-1)));
        context.close();
    }

    private void assertRefused(final Path folder, final long rememberMillis, final Checkpointed operator, final String expected)
        throws Exception {
        final Map<String, byte[]> before = files(folder);
        final StreamingContext context = context(folder, new ManualStreamClock(0), INTERVAL, rememberMillis, operator);
        final CheckpointException error = assertThrows(CheckpointException.class, context::start);
        assertTrue(error.getMessage().contains(expected) && error.getMessage().contains(folder.toString()), error.getMessage());
        assertSame(before, files(folder));
        assertFalse(context.failure().isPresent());
        context.close();
    }

    private static Map<String, byte[]> files(final Path folder) throws IOException {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                files.put(folder.relativize(path).toString(), Files.isRegularFile(path) ? Files.readAllBytes(path) : new byte[0]);
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
}
