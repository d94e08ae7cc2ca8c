package io.sluice.engine.stream;

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

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The streaming job {@link KillRestartTest} kills with SIGKILL and restarts: a finite, replayable generator on the
 * wall clock, a running count per word (snapshotted), and a sink that commits one file per batch time (written
 * under a temporary name and renamed; skipped if that batch time's file exists). Prints {@code STARTED} once the
 * context runs and {@code DONE} after the last record was processed and the final state was written.
 *
 * <p>Arguments: checkpoint folder, output folder, record limit, seed, batch interval (ms), rate (records/s).
 */
final class KillRestartChild {
    static final Schema SCHEMA = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64));
    static final int VOCABULARY = 16;
    static final String FINAL_STATE = "final-state.txt";
    static final String BATCH_SUFFIX = ".batch";

    private KillRestartChild() {
    }

    static GeneratorSource source(final long limit, final long seed, final double rate) {
        return GeneratorSource.builder("words", SCHEMA).ratePerSecond(rate).seed(seed).vocabulary(VOCABULARY).maxBlockRows(4096)
            .recordLimit(limit).build();
    }

    public static void main(final String[] args) throws Exception {
        final Path checkpoint = Path.of(args[0]);
        final Path out = Path.of(args[1]);
        final long limit = Long.parseLong(args[2]);
        final long seed = Long.parseLong(args[3]);
        final long interval = Long.parseLong(args[4]);
        final double rate = Double.parseDouble(args[5]);
        Files.createDirectories(out);
        removeTemporaryFiles(out);
        final BufferAllocator allocator = new BufferAllocator();
        final GeneratorSource source = source(limit, seed, rate);
        final RunningCount count = new RunningCount("counts");
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(interval)).allocator(allocator)
            .checkpointFolder(checkpoint).checkpointEvery(3).build();
        // Remembered input is replayed before the snapshot: the count must skip it and the sink find it committed.
        context.remember(Duration.ofMillis(3 * interval));
        final StreamInput input = context.input(source);
        context.addCheckpointed(count);
        context.addJob(count);
        context.foreachBatch(input, (time, batch) -> commit(out, time, batch));
        context.start();
        System.out.println("STARTED");
        System.out.flush();
        while (!source.exhausted() && context.failure().isEmpty()) {
            Thread.sleep(5);
        }
        context.stop(true);
        writeAtomically(out, FINAL_STATE, format(count.counts()));
        allocator.close();
        System.out.println("DONE");
        System.out.flush();
    }

    /** Exactly-once sink: one file per batch time with the batch's count per word; an existing file is kept. */
    private static void commit(final Path out, final long time, final Batch batch) throws IOException {
        if (batch.rowCount() == 0) {
            return;
        }
        final String name = String.format("%020d", time) + BATCH_SUFFIX;
        if (Files.exists(out.resolve(name))) {
            return;
        }
        final Map<String, Long> counts = new TreeMap<>();
        for (int row = 0; row < batch.rowCount(); row++) {
            counts.merge(batch.utf8Vector(0).getString(row), 1L, Long::sum);
        }
        writeAtomically(out, name, format(counts));
    }

    static String format(final Map<String, Long> counts) {
        final StringBuilder text = new StringBuilder();
        counts.forEach((key, value) -> text.append(key).append('\t').append(value).append('\n'));
        return text.append("end\n").toString();
    }

    private static void writeAtomically(final Path out, final String name, final String text) throws IOException {
        final Path temp = out.resolve("." + name + ".tmp");
        Files.write(temp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(temp, out.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void removeTemporaryFiles(final Path out) throws IOException {
        final List<Path> temps;
        try (Stream<Path> files = Files.list(out)) {
            temps = files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList();
        }
        for (final Path temp : temps) {
            Files.deleteIfExists(temp);
        }
    }
}
