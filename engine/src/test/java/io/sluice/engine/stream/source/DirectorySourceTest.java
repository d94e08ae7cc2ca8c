package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import io.sluice.engine.stream.Collector;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.ScriptedSource;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();
    private final ManualStreamClock clock = new ManualStreamClock(0);

    @TempDir
    Path folder;

    @AfterEach
    void noLeaks() {
        allocator.close();
    }

    private StreamingContext context() {
        return StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(allocator).clock(clock).build();
    }

    private void writeAtomically(final String name, final byte[] bytes) throws Exception {
        final Path temp = folder.resolve("." + name + ".part");
        Files.write(temp, bytes);
        Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void readsEachCompleteTextFileOnceAndSkipsBadLines() throws Exception {
        final Collector collector = new Collector();
        final DirectorySource source = DirectorySource.textLines("dir", folder, 8);
        try (StreamingContext context = context()) {
            context.foreachBatch(context.input(source), collector);
            context.start();
            writeAtomically("a.txt", "one\ntwo\n".getBytes(StandardCharsets.UTF_8));
            Files.write(folder.resolve("b.txt.tmp"), "in progress\n".getBytes(StandardCharsets.UTF_8));
            Files.write(folder.resolve(".hidden"), "in progress\n".getBytes(StandardCharsets.UTF_8));
            clock.advanceMillis(10);
            assertTrue(context.awaitBatchCompleted(10, WAIT));
            writeAtomically("b.txt", new byte[] {'t', 'h', 'r', 'e', 'e', '\n', (byte) 0xFF, '\n', 'f', 'o', 'u', 'r'});
            writeAtomically("c.txt", "much-too-long-line\nfive\n".getBytes(StandardCharsets.UTF_8));
            clock.advanceMillis(20);
            assertTrue(context.awaitBatchCompleted(30, WAIT));
        }
        assertEquals(List.of(List.of("one", "two"), List.of("three", "four", "five"), List.of()), collector.batches());
        assertEquals(2, source.rejectedRecords());
        assertEquals(3, source.filesRead());
    }

    @Test
    void readsBatchFilesAndRejectsForeignOrCorruptOnes() throws Exception {
        final Schema schema = ScriptedSource.SCHEMA;
        try (BatchFileWriter writer = BatchFileWriter.create(folder.resolve("1.sbf"), schema);
             Batch first = ScriptedSource.block(allocator, 1, 2);
             Batch second = ScriptedSource.block(allocator, 3)) {
            writer.write(first);
            writer.write(second);
        }
        final Schema other = Schema.of(Field.notNull("other", ColumnType.INT32));
        try (BatchFileWriter writer = BatchFileWriter.create(folder.resolve("2.sbf"), other);
             BatchBuilder builder = new BatchBuilder(allocator, other, 2);
             Batch foreign = builder.appendInt32Column(0, new int[] {9, 9}).build()) {
            writer.write(foreign);
        }
        Files.write(folder.resolve("3.sbf"), "not a batch file at all, just some text".getBytes(StandardCharsets.UTF_8));
        final Collector collector = new Collector();
        final DirectorySource source = DirectorySource.batchFiles("files", folder, schema);
        try (StreamingContext context = context()) {
            context.foreachBatch(context.input(source), collector);
            context.start();
            clock.advanceMillis(10);
            assertTrue(context.awaitBatchCompleted(10, WAIT));
        }
        assertEquals(List.of("1", "2", "3"), collector.all());
        assertEquals(2, source.rejectedRecords());
        assertEquals(1, source.rejectedFiles());
    }

    @Test
    void refusesAMissingFolderAtStart() {
        final DirectorySource source = DirectorySource.textLines("dir", folder.resolve("missing"), 8);
        try (StreamingContext context = context()) {
            context.input(source);
            assertThrows(IllegalArgumentException.class, context::start);
        }
    }

    private static byte[] lines(final int count, final String text) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(text).append(i).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A file whose read throws something the source did not expect (here the allocator's limit) used to stay
     * untaken, re-read and failed every batch, and the files after it were never read. It is now skipped, counted
     * and reported; the stream goes on with the next file.
     */
    @Test
    void fileThatCannotBeReadIsSkippedAndLaterFilesAreStillRead() throws Exception {
        final Collector collector = new Collector();
        final DirectorySource source = DirectorySource.textLines("dir", folder, 64);
        try (BufferAllocator limited = new BufferAllocator(256 << 10)) {
            try (StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(limited)
                .clock(clock).build()) {
                context.foreachBatch(context.input(source), collector);
                context.start();
                writeAtomically("a-huge.txt", lines(100_000, "a line that adds up "));
                writeAtomically("b-small.txt", lines(3, "b"));
                clock.advanceMillis(10);
                assertTrue(context.awaitBatchCompleted(10, WAIT));
                clock.advanceMillis(10);
                assertTrue(context.awaitBatchCompleted(20, WAIT));
            }
            assertEquals(0, limited.bytesOutstanding());
        }
        assertEquals(List.of("b0", "b1", "b2"), collector.all());
        assertEquals(1, source.rejectedFiles());
        assertEquals(1, source.filesRead());
    }

    @Test
    void failOnBadFileFailsTheStreamWithTheCause() throws Exception {
        final DirectorySource source = DirectorySource.textLines("dir", folder, 64).failOnBadFile();
        try (BufferAllocator limited = new BufferAllocator(256 << 10)) {
            final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(10)).allocator(limited)
                .clock(clock).build();
            context.foreachBatch(context.input(source), (time, batch) -> { });
            context.start();
            writeAtomically("a-huge.txt", lines(100_000, "a line that adds up "));
            clock.advanceMillis(10);
            // Batch 10 may still complete (cut after the failed poll); the stream stops before any later one.
            final io.sluice.engine.stream.StreamingJobException ex = assertThrows(io.sluice.engine.stream.StreamingJobException.class,
                () -> context.awaitBatchCompleted(20, WAIT));
            assertTrue(ex.getCause().getMessage().contains("a-huge.txt"), ex.getCause().getMessage());
            assertThrows(io.sluice.engine.stream.StreamingJobException.class, () -> context.stop(true));
            assertEquals(0, limited.bytesOutstanding());
        }
    }

    @Test
    void globAndMaxFilesPerBatchPickFilesOneAtATime() throws Exception {
        writeAtomically("1.txt", lines(1, "one-"));
        writeAtomically("2.csv", lines(1, "skipped-"));
        writeAtomically("3.txt", lines(2, "three-"));
        writeAtomically("4.txt", lines(1, "four-"));
        final Collector collector = new Collector();
        final DirectorySource source = DirectorySource.textLines("dir", folder, 64).glob("*.txt").maxFilesPerBatch(1);
        try (StreamingContext context = context()) {
            context.foreachBatch(context.input(source), collector);
            context.start();
            for (int t = 10; t <= 40; t += 10) {
                clock.advanceMillis(10);
                assertTrue(context.awaitBatchCompleted(t, WAIT));
            }
        }
        assertEquals(List.of(List.of("one-0"), List.of("three-0", "three-1"), List.of("four-0"), List.of()), collector.batches());
        assertEquals(3, source.filesRead());
        assertThrows(IllegalArgumentException.class, () -> DirectorySource.textLines("x", folder, 8).maxFilesPerBatch(0));
        assertThrows(IllegalArgumentException.class, () -> DirectorySource.textLines("x", folder, 8).glob("[unclosed"));
    }
}
