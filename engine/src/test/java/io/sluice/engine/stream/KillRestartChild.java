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
import java.util.stream.Stream;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.checkpoint.WalDescriptor;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The streaming job {@link KillRestartTest} kills with SIGKILL and restarts, written as a library user would: a
 * finite, replayable generator; a DStream graph with the per-batch count per word committed by
 * batch time ({@link DStream#writeBatchFiles}, exactly once) and a running count per word in off-heap keyed state
 * ({@link DStream#updateStateByKey}, snapshotted every 3 batches); and an event-time job: a count per word in tumbling
 * {@value #WINDOW_MILLIS} ms windows of the rows' event time (out of order by up to {@value #DISORDER_MILLIS} ms,
 * watermark lateness {@value #LATENESS_MILLIS} ms), appended when the watermark closes a window and committed by batch
 * time to {@value #WINDOWS}. Prints {@code STARTED} once the context runs and
 * {@code DONE} after the last record was processed and the final state was written.
 *
 * <p>The stream clock is stepped one interval at a time, each step once the previous batch was cut (the jobs run
 * behind, as on a busy machine), up to a fixed end: every batch time then polls the generator at its own time, so what each batch holds,
 * and so every committed output file, does not depend on how fast the machine runs or where the kills landed. A
 * restart resumes the clock at the newest batch time the checkpoint folder logged (completed, or snapshotted),
 * where the generator's seek puts it. That is what lets the test compare the output with an uninterrupted run file
 * for file.
 *
 * <p>Arguments: checkpoint folder, output folder, record limit, seed, batch interval (ms), rate (records/s), and
 * optionally a fault seed: with it ({@link SoakTest}) the scheduler fails attempts, kills a worker and stalls a slow
 * one ({@link Soak}), the allocator gets a budget, a {@code SOAK} line of running figures follows every step, and the
 * clean shutdown fails the run if a thread it started is still alive; the job then also reads a second input over TCP
 * from a line server that drops the connection at random points ({@link Soak#addTcpInput}).
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
        final Soak soak = args.length > 6 ? new Soak(Long.parseLong(args[6]) ^ resumeMillis(checkpoint)) : null;
        Files.createDirectories(out);
        final BufferAllocator allocator = soak == null ? new BufferAllocator() : soak.allocator();
        final ExecutionContext exec = ExecutionContext.create(Soak.configure(soak, SchedulerConfig.builder().name("kill-child")
            .workers(2)), allocator, 2);
        Soak.watch(soak, exec.scheduler(), allocator);
        final GeneratorSource source = source(limit, seed, rate);
        final ManualStreamClock clock = new ManualStreamClock(resumeMillis(checkpoint));
        final StreamingContext context = StreamingContext.builder().batchInterval(Duration.ofMillis(interval)).allocator(allocator)
            .clock(clock).checkpointFolder(checkpoint).checkpointEvery(3).build();
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
        Soak.addTcpInput(soak, context, graph);
        context.start();
        System.out.println("STARTED");
        System.out.flush();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final long end = endMillis(limit, rate, interval);
        Soak.awaitReplayedState(soak, clock.millis() >= end, () -> latestState.get() != null);
        // Step to the fixed end (all records and some empty batches after), until a batch of this run reported the state.
        final long from = clock.millis();
        final long startNanos = System.nanoTime();
        for (long time = clock.millis(); (time < end || latestState.get() == null) && System.nanoTime() < deadline; ) {
            time += interval;
            clock.setMillis(time);
            if (!context.awaitBatchGenerated(time, Duration.ofSeconds(60)) || time >= end
                && !context.awaitBatchCompleted(time, Duration.ofSeconds(60))) {
                break;
            }
            Soak.report(soak, time, end - interval);
        }
        System.out.println("STEPPED from batch time=" + from + " to " + clock.millis() + " in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms");
        Soak.stop(soak, graph, exec, context, clock.millis());
        final Map<String, Long> state = new TreeMap<>();
        for (final Object[] row : latestState.get()) {
            state.put((String) row[0], (Long) row[1]);
        }
        writeAtomically(out, FINAL_STATE, format(state));
        allocator.close();
        Soak.checkNoThreadLeft(soak);
        System.out.println("DONE");
        System.out.flush();
    }

    /** The batch time the stepped clock runs to: the last record's due time plus five intervals, on the interval grid. */
    static long endMillis(final long limit, final double rate, final long interval) {
        final long due = (long) Math.ceil(limit * 1000.0 / rate);
        return (due / interval + 5) * interval;
    }

    /**
     * Where a restart's clock starts: the newest batch time the folder logged (a manifest in received/), completed or
     * snapshotted, 0 for a new folder. The generator's seek continues from the offset logged with it.
     */
    static long resumeMillis(final Path checkpoint) throws IOException {
        long newest = 0;
        final Path received = checkpoint.resolve(WalDescriptor.RECEIVED_FOLDER);
        if (Files.isDirectory(received)) {
            try (Stream<Path> files = Files.list(received)) {
                for (final Path file : (Iterable<Path>) files::iterator) {
                    final String name = file.getFileName().toString();
                    if (name.matches("\\d{20}\\.manifest\\.sbf")) {
                        newest = Math.max(newest, Long.parseLong(name.substring(0, 20)));
                    }
                }
            }
        }
        for (final String marker : List.of(WalDescriptor.COMPLETED_FILE, WalDescriptor.SNAPSHOT_FILE)) {
            final Path file = checkpoint.resolve(marker);
            if (Files.isRegularFile(file)) {
                try (BufferAllocator allocator = new BufferAllocator(); BatchFileReader reader = BatchFileReader.open(file)) {
                    final List<Batch> batches = reader.readAll(allocator);
                    newest = Math.max(newest, batches.get(0).int64Vector(0).get(0));
                    batches.forEach(Batch::release);
                }
            }
        }
        return newest;
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
