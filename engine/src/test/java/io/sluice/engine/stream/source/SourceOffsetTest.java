package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.sluice.engine.stream.Collector;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamThreads;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceOffsetTest {
    private static final Schema SCHEMA = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path folder;

    @AfterEach
    void noLeaks() {
        assertEquals(List.of(), StreamThreads.alive());
        allocator.close();
    }

    private static GeneratorSource generator(final long limit) {
        return GeneratorSource.builder("gen", SCHEMA).ratePerSecond(1000).seed(3).maxBlockRows(37).recordLimit(limit).build();
    }

    /** Runs {@code source} for {@code batches} batches of 100 ms and returns every row's word. */
    private List<String> run(final Source source, final int batches) throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final Collector collector = new Collector();
        try (StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).build()) {
            context.foreachBatch(context.input(source), collector);
            context.start();
            for (int b = 1; b <= batches; b++) {
                clock.advanceMillis(100);
                assertTrue(context.awaitBatchCompleted(100L * b, WAIT));
            }
        }
        return collector.all();
    }

    @Test
    void generatorSeekContinuesWithTheRowsOfAnUninterruptedRun() throws Exception {
        final GeneratorSource whole = generator(500);
        final List<String> all = run(whole, 6);
        assertEquals(500, all.size(), "the record limit ends the stream");
        assertTrue(whole.exhausted());
        assertEquals("500", whole.offset());

        final GeneratorSource resumed = generator(500);
        assertEquals("0", resumed.offset());
        resumed.seek("230");
        final List<String> rest = run(resumed, 3);
        assertEquals(all.subList(230, 500), rest);
        assertEquals("500", resumed.offset());
    }

    @Test
    void generatorRejectsOffsetsThatAreNotItsOwn() {
        final GeneratorSource source = generator(500);
        final IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> source.seek("file-7.txt"));
        assertTrue(text.getMessage().contains("offset='file-7.txt'"), text.getMessage());
        assertThrows(IllegalArgumentException.class, () -> source.seek("-1"));
        final IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> source.seek("501"));
        assertTrue(beyond.getMessage().contains("offset=501 out of range [0, 500]"), beyond.getMessage());
    }

    @Test
    void directorySeekSkipsFilesUpToTheOffsetAndTakesLaterOnes() throws Exception {
        for (final String name : List.of("a.txt", "b.txt", "c.txt")) {
            Files.write(folder.resolve(name), (name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        final DirectorySource source = DirectorySource.textLines("files", folder, 100);
        assertEquals("", source.offset());
        source.seek("b.txt");
        assertEquals(List.of("c.txt"), run(source, 1));
        assertEquals("c.txt", source.offset());
        assertThrows(IllegalArgumentException.class, () -> source.seek("../x"));
    }

    @Test
    void restartedDirectorySourceReplaysLoggedFilesAndTakesOnlyLaterOnes() throws Exception {
        final Path input = Files.createDirectories(folder.resolve("in"));
        final Path checkpoint = folder.resolve("checkpoint");
        final ManualStreamClock clock = new ManualStreamClock(0);
        final Collector first = new Collector();
        final StreamingContext crashed = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).checkpointFolder(checkpoint).build();
        final StreamInput files = crashed.input(DirectorySource.textLines("files", input, 100));
        crashed.foreachBatch(files, first);
        crashed.foreachBatch(files, (time, batch) -> {
            if (time >= 200) {
                new CountDownLatch(1).await();
            }
        });
        crashed.start();
        Files.write(input.resolve("a.txt"), "a\n".getBytes(StandardCharsets.UTF_8));
        clock.advanceMillis(100);
        assertTrue(crashed.awaitBatchCompleted(100, WAIT));
        Files.write(input.resolve("b.txt"), "b\n".getBytes(StandardCharsets.UTF_8));
        clock.advanceMillis(100);
        assertTrue(crashed.awaitBatchGenerated(200, WAIT));
        // The first job must have seen batch 200 before the crash; the second job then blocks on it.
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!first.times().contains(200L) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        crashed.stop(false);
        Files.write(input.resolve("c.txt"), "c\n".getBytes(StandardCharsets.UTF_8));

        final Collector second = new Collector();
        final ManualStreamClock restartClock = new ManualStreamClock(0);
        try (StreamingContext restarted = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(restartClock).checkpointFolder(checkpoint).build()) {
            restarted.foreachBatch(restarted.input(DirectorySource.textLines("files", input, 100)), second);
            restarted.start();
            restartClock.setMillis(300);
            assertTrue(restarted.awaitBatchCompleted(300, WAIT));
        }
        assertEquals(List.of("a", "b"), first.all());
        assertEquals(List.of(200L, 300L), second.times());
        assertEquals(List.of("b", "c"), second.all(), "b replayed from the log, c new, a not taken again");
    }

    @Test
    void directoryFileArrivingOutOfNameOrderIsRejectedNotRead() throws Exception {
        final DirectorySource source = DirectorySource.textLines("files", folder, 100);
        final ManualStreamClock clock = new ManualStreamClock(0);
        final Collector collector = new Collector();
        try (StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(100)).allocator(allocator)
            .clock(clock).build()) {
            context.foreachBatch(context.input(source), collector);
            context.start();
            Files.write(folder.resolve("b.txt"), "b\n".getBytes(StandardCharsets.UTF_8));
            clock.advanceMillis(100);
            assertTrue(context.awaitBatchCompleted(100, WAIT));
            Files.write(folder.resolve("a.txt"), "a\n".getBytes(StandardCharsets.UTF_8));
            Files.write(folder.resolve("c.txt"), "c\n".getBytes(StandardCharsets.UTF_8));
            clock.advanceMillis(100);
            assertTrue(context.awaitBatchCompleted(200, WAIT));
        }
        assertEquals(List.of("b", "c"), collector.all());
        assertEquals(1, source.rejectedFiles());
        assertEquals("c.txt", source.offset());
    }
}
