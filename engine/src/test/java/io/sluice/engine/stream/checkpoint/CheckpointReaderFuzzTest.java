package io.sluice.engine.stream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.RunningCount;
import io.sluice.engine.stream.ScriptedSource;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileException;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Folders;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Utf8Vector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target for the checkpoint reader ({@link WriteAheadLog#open} and the replay reads): a real checkpoint folder
 * (identity, completed marker, logged and completed batches, logged batches not completed, a snapshot) is copied and
 * mutated: files deleted, truncated, bytes flipped, a value of a metadata file rewritten with valid CRCs (so the
 * semantic checks behind the CRCs are reached), files renamed. Opening it then either succeeds (and every replayed
 * batch reads back) or throws {@link CheckpointException} leaving every file as it was; anything else (another
 * exception, an Error, an off-heap byte left outstanding) is a finding.
 *
 * <p>The default test run replays the committed inputs under
 * {@code src/test/resources/io/sluice/engine/stream/checkpoint/CheckpointReaderFuzzTestInputs/mutatedFolder/};
 * {@code scripts/fuzz engine:io.sluice.engine.stream.checkpoint.CheckpointReaderFuzzTest#mutatedFolder} fuzzes it.
 */
class CheckpointReaderFuzzTest {
    private static final long INTERVAL = 100;
    private static final long REMEMBER = 200;
    private static final String OPERATOR = "counts";
    private static Path root;
    private static Path template;
    private static List<String> templateFiles;
    private static int run;

    @BeforeAll
    static void createTemplate() throws Exception {
        root = Files.createTempDirectory("checkpoint-fuzz");
        template = root.resolve("template");
        try (BufferAllocator allocator = new BufferAllocator()) {
            final ManualStreamClock clock = new ManualStreamClock(0);
            final StreamingContext context = context(template, allocator, clock);
            final RunningCount count = new RunningCount(OPERATOR);
            context.addCheckpointed(count).remember(Duration.ofMillis(REMEMBER));
            context.addJob(count);
            final CountDownLatch hung = new CountDownLatch(1);
            context.addJob(batch -> {
                if (batch.batchTimeMillis() >= 500) {
                    hung.countDown();
                    new CountDownLatch(1).await();
                }
            });
            context.start();
            final ScriptedSource source = (ScriptedSource) context.inputs().get(0).source();
            for (int i = 1; i <= 6; i++) {
                source.add(ScriptedSource.block(allocator, i, i % 3, 7));
                clock.advanceMillis(INTERVAL);
                assertTrue(i <= 4 ? context.awaitBatchCompleted(INTERVAL * i, Duration.ofSeconds(30))
                    : context.awaitBatchGenerated(INTERVAL * i, Duration.ofSeconds(30)));
            }
            assertTrue(hung.await(30, java.util.concurrent.TimeUnit.SECONDS));
            context.stop(false);
        }
        templateFiles = new ArrayList<>(files(template).keySet());
    }

    @AfterAll
    static void deleteAll() throws IOException {
        Folders.deleteTree(root);
    }

    private static StreamingContext context(final Path folder, final BufferAllocator allocator, final ManualStreamClock clock) {
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL)).allocator(allocator)
            .clock(clock).checkpointFolder(folder).checkpointEvery(2).build();
        context.input(new ScriptedSource("numbers"));
        return context;
    }

    @FuzzTest(maxDuration = "5m")
    void mutatedFolder(final FuzzedDataProvider data) throws Exception {
        final Path folder = root.resolve("run-" + run++);
        copyTree(template, folder);
        try {
            final int operations = data.consumeInt(1, 4);
            for (int i = 0; i < operations && data.remainingBytes() > 0; i++) {
                mutate(folder, data);
            }
            open(folder);
        } finally {
            Folders.deleteTree(folder);
        }
    }

    private static void open(final Path folder) throws Exception {
        final Map<String, byte[]> before = files(folder);
        try (BufferAllocator allocator = new BufferAllocator(64L << 20, 0)) {
            final StreamingContext context = context(folder, allocator, new ManualStreamClock(0));
            try {
                final WriteAheadLog wal = WriteAheadLog.open(folder, INTERVAL, context.inputs(), allocator, List.of(OPERATOR), REMEMBER);
                for (final long time : wal.replayTimes()) {
                    if (wal.hasData(time)) {
                        Batch.releaseAll(wal.read(time, allocator));
                    }
                }
            } catch (final CheckpointException refused) {
                final Map<String, byte[]> after = files(folder);
                assertEquals(before.keySet(), after.keySet(), "a refused folder is left as it was: " + refused.getMessage());
                before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
            } finally {
                context.close();
            }
            assertEquals(0, allocator.bytesOutstanding(), "nothing left allocated");
        }
    }

    private static void mutate(final Path folder, final FuzzedDataProvider data) throws IOException {
        final Path file = folder.resolve(templateFiles.get(data.consumeInt(0, templateFiles.size() - 1)));
        if (!Files.isRegularFile(file)) {
            return;
        }
        switch (data.consumeInt(0, 4)) {
            case 0 -> Files.delete(file);
            case 1 -> {
                final byte[] bytes = Files.readAllBytes(file);
                Files.write(file, java.util.Arrays.copyOf(bytes, data.consumeInt(0, bytes.length)));
            }
            case 2 -> {
                final byte[] bytes = Files.readAllBytes(file);
                if (bytes.length > 0) {
                    bytes[data.consumeInt(0, bytes.length - 1)] ^= data.consumeByte();
                    Files.write(file, bytes);
                }
            }
            case 3 -> rewriteValue(file, data);
            default -> {
                final String name = data.consumeAsciiString(24);
                if (!name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && !name.equals(".") && !name.equals("..")
                    && name.indexOf(0) < 0) {
                    try {
                        Files.move(file, file.resolveSibling(name));
                    } catch (final IOException | java.nio.file.InvalidPathException ex) {
                        // A name the file system refuses is not a mutation.
                    }
                }
            }
        }
    }

    /** Rewrites one value of a batch file (CRCs recomputed by the writer): reaches the checks behind the checksums. */
    private static void rewriteValue(final Path file, final FuzzedDataProvider data) {
        try (BufferAllocator allocator = new BufferAllocator(); BatchFileReader reader = BatchFileReader.open(file)) {
            final List<Batch> batches = reader.readAll(allocator);
            try {
                if (batches.isEmpty() || batches.get(0).rowCount() == 0) {
                    return;
                }
                final Batch batch = batches.get(0);
                final int column = data.consumeInt(0, batch.columnCount() - 1);
                final int row = data.consumeInt(0, batch.rowCount() - 1);
                final long number = data.consumeLong();
                final String text = data.consumeString(40);
                try (BatchBuilder builder = new BatchBuilder(allocator, batch.schema(), batch.rowCount())) {
                    for (int r = 0; r < batch.rowCount(); r++) {
                        for (int c = 0; c < batch.columnCount(); c++) {
                            copy(builder, batch.vector(c), c, r, c == column && r == row, number, text);
                        }
                        builder.endRow();
                    }
                    try (Batch changed = builder.build(); BatchFileWriter writer = BatchFileWriter.create(file, batch.schema())) {
                        writer.write(changed);
                    }
                }
            } finally {
                batches.forEach(Batch::release);
            }
        } catch (final BatchFileException | IllegalArgumentException notABatchFile) {
            // An operator's text file, or a column type this rewrite does not cover: leave it.
        }
    }

    private static void copy(final BatchBuilder builder, final ColumnVector vector, final int c, final int r, final boolean replace,
                             final long number, final String text) {
        switch (vector.type()) {
            case INT32 -> builder.setInt32(c, replace ? (int) number : ((Int32Vector) vector).get(r));
            case INT64 -> builder.setInt64(c, replace ? number : ((Int64Vector) vector).get(r));
            case UTF8 -> builder.setUtf8(c, replace ? text : ((Utf8Vector) vector).getString(r));
            default -> throw new IllegalArgumentException("type " + vector.type());
        }
    }

    private static void copyTree(final Path from, final Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static Map<String, byte[]> files(final Path folder) throws IOException {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (final Path path : (Iterable<Path>) walk::iterator) {
                files.put(folder.relativize(path).toString(), Files.isRegularFile(path) ? Files.readAllBytes(path)
                    : "dir".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return files;
    }
}
