package io.sluice.engine.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The streaming job {@link KillRestartTest} kills with SIGKILL and restarts, written as a library user would: a
 * finite, replayable generator on the wall clock; a DStream graph with the per-batch count per word committed by
 * batch time ({@link DStream#writeBatchFiles}, exactly once) and a running count per word in off-heap keyed state
 * ({@link DStream#updateStateByKey}, snapshotted every 3 batches); and an event-time job: a count per word in tumbling
 * {@value #WINDOW_MILLIS} ms windows of the rows' event time (out of order by up to {@value #DISORDER_MILLIS} ms,
 * watermark lateness {@value #LATENESS_MILLIS} ms), appended when the watermark closes a window and committed by batch
 * time to {@value #WINDOWS}. Prints {@code STARTED} once the context runs and
 * {@code DONE} after the last record was processed and the final state was written.
 *
 * <p>Arguments: checkpoint folder, output folder, record limit, seed, batch interval (ms), rate (records/s).
 */
final class KillRestartChild {
    static final Schema SCHEMA = Schema.of(Field.notNull("word", ColumnType.UTF8), Field.notNull("n", ColumnType.INT64),
        Field.notNull("ts", ColumnType.INT64));
    static final long WINDOW_MILLIS = 100;
    static final long DISORDER_MILLIS = 30;
    static final long LATENESS_MILLIS = 50;
    static final String WINDOWS = "windows";
    static final Schema STATE = Schema.of(Field.notNull("total", ColumnType.INT64));
    static final int VOCABULARY = 16;
    static final String FINAL_STATE = "final-state.txt";
    static final String BATCHES = "batches";

    private KillRestartChild() {
    }

    static GeneratorSource source(final long limit, final long seed, final double rate) {
        return GeneratorSource.builder("words", SCHEMA).ratePerSecond(rate).seed(seed).vocabulary(VOCABULARY).maxBlockRows(4096)
            .recordLimit(limit).eventTime("ts", 0, rate).disorder(DISORDER_MILLIS, 0.2).build();
    }

    public static void main(final String[] args) throws Exception {
        final Path checkpoint = Path.of(args[0]);
        final Path out = Path.of(args[1]);
        final long limit = Long.parseLong(args[2]);
        final long seed = Long.parseLong(args[3]);
        final long interval = Long.parseLong(args[4]);
        final double rate = Double.parseDouble(args[5]);
        Files.createDirectories(out);
        final BufferAllocator allocator = new BufferAllocator();
        final ExecutionContext exec = ExecutionContext.create(SchedulerConfig.builder().name("kill-child").workers(2).build(),
            allocator, 2);
        final GeneratorSource source = source(limit, seed, rate);
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(interval)).allocator(allocator)
            .checkpointFolder(checkpoint).checkpointEvery(3).build();
        // Remembered input is replayed before the snapshot: the state must skip it and the sink find it committed.
        context.remember(Duration.ofMillis(3 * interval));
        final DStreamGraph graph = DStreamGraph.on(context, exec);
        final DStream words = graph.stream(context.input(source));
        words.countByKey("word").writeBatchFiles(out.resolve(BATCHES));
        words.withWatermark("ts", Duration.ofMillis(LATENESS_MILLIS))
            .groupByWindow(EventTimeWindow.tumbling("ts", Duration.ofMillis(WINDOW_MILLIS)), "word").agg(Agg.count())
            .writeBatchFiles(out.resolve(WINDOWS));
        final AtomicReference<List<Object[]>> latestState = new AtomicReference<>();
        words.updateStateByKey(List.of("word"), STATE,
                (key, values, previous) -> Optional.of(new Object[] {previous.map(row -> (Long) row[0]).orElse(0L) + values.size()}))
            .foreachBatch((time, state) -> latestState.set(state.collect()));
        context.start();
        System.out.println("STARTED");
        System.out.flush();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Run until every record was generated and at least one batch of this run reported the state.
        while ((!source.exhausted() || latestState.get() == null) && context.failure().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        graph.stop(true);
        exec.close();
        final Map<String, Long> state = new TreeMap<>();
        for (final Object[] row : latestState.get()) {
            state.put((String) row[0], (Long) row[1]);
        }
        writeAtomically(out, FINAL_STATE, format(state));
        allocator.close();
        System.out.println("DONE");
        System.out.flush();
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
}
