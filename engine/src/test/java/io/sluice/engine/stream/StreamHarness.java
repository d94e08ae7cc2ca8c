package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * Test fixture: a manual-clock streaming context and an execution context on one allocator, a DStream graph over
 * them, and row sources. {@link #close()} stops everything and asserts no sluice thread and no off-heap byte is left.
 */
public final class StreamHarness implements AutoCloseable {
    public static final long INTERVAL = 100;
    private static final Duration WAIT = Duration.ofSeconds(30);

    public final BufferAllocator allocator = new BufferAllocator();
    public final ManualStreamClock clock;
    public final ExecutionContext exec;
    public final StreamingContext streaming;
    public final DStreamGraph graph;
    private final List<ScriptedSource> sources = new ArrayList<>();
    private final List<StreamInput> inputs = new ArrayList<>();
    private long time;

    public StreamHarness(final int workers, final int partitions) {
        this(workers, partitions, null, 0);
    }

    /** With a write-ahead log in {@code checkpoint} (if not null) and the clock starting at {@code startMillis}. */
    public StreamHarness(final int workers, final int partitions, final Path checkpoint, final long startMillis) {
        this(SchedulerConfig.builder().name("dstream-test").workers(workers).build(), partitions, checkpoint, startMillis);
    }

    /** Evaluated on a scheduler configured by {@code config} (faults, speculation, policy). */
    public StreamHarness(final SchedulerConfig config, final int partitions, final Path checkpoint, final long startMillis) {
        clock = new ManualStreamClock(startMillis);
        time = startMillis;
        exec = ExecutionContext.create(config, allocator, 3);
        final StreamingContext.Builder builder = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL))
            .allocator(allocator).clock(clock);
        if (checkpoint != null) {
            builder.checkpointFolder(checkpoint);
        }
        streaming = builder.build();
        graph = DStreamGraph.on(streaming, exec).partitions(partitions);
    }

    public StreamHarness() {
        this(2, 3);
    }

    /** A new input stream of {@code schema}. */
    public DStream input(final String name, final Schema schema) {
        final ScriptedSource source = new ScriptedSource(name, schema);
        final StreamInput input = streaming.input(source);
        sources.add(source);
        inputs.add(input);
        return graph.stream(input);
    }

    public void start() {
        streaming.start();
    }

    /** Feeds {@code rows[i]} to input i, then runs the next batch time; returns it. */
    @SafeVarargs
    public final long batch(final List<Object[]>... rows) throws InterruptedException {
        for (int i = 0; i < rows.length; i++) {
            sources.get(i).add(inputs.get(i), rows[i]);
        }
        time += INTERVAL;
        clock.setMillis(time);
        final boolean completed;
        try {
            completed = streaming.awaitBatchCompleted(time, WAIT);
        } catch (final StreamingJobException failed) {
            return fail("batch " + time + " completed; failure=" + failed.getCause(), failed);
        }
        assertTrue(completed, "batch " + time + " completed; failure=" + streaming.failure().map(Throwable::toString).orElse("none"));
        return time;
    }

    /** Stops gracefully; the leak checks run even if the stop throws (a failed job). */
    @Override
    public void close() {
        try {
            graph.stop(true);
        } finally {
            exec.close();
            assertEquals(List.of(), sluiceThreads());
            assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after stop");
            allocator.close();
        }
    }

    /** Snapshots every checkpointed operator of the graph at {@code batchTime} into {@code dir}/its checkpoint name. */
    public void snapshotOperators(final long batchTime, final Path dir) throws IOException {
        for (final Checkpointed op : graph.checkpointedOperators()) {
            op.snapshot(batchTime, dir.resolve(op.checkpointName()));
        }
    }

    /** Restores every checkpointed operator of the graph from what {@link #snapshotOperators} wrote. */
    public void restoreOperators(final long batchTime, final Path dir) throws IOException {
        for (final Checkpointed op : graph.checkpointedOperators()) {
            op.restore(batchTime, dir.resolve(op.checkpointName()));
        }
    }

    /** Rows as a list (avoids List.of treating a single Object[] as its varargs). */
    public static List<Object[]> rows(final Object[]... rows) {
        return new ArrayList<>(Arrays.asList(rows));
    }

    public static List<String> sluiceThreads() {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith("sluice")) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
