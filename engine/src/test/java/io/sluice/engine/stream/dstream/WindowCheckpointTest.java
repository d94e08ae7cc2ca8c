package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.EVENTS;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Window operators snapshot and restore their state, so a restart at a snapshot continues with identical output. */
class WindowCheckpointTest {
    private static final int BATCHES = 10;
    private static final int SNAPSHOT_AFTER = 5;

    /** The program: a windowed count, an incremental and a plain windowed sum; returns its sinks. */
    private static List<MemorySink> program(final StreamHarness h) {
        final DStream events = h.input("events", EVENTS);
        return List.of(
            events.window(Duration.ofMillis(300), Duration.ofMillis(100)).countByKey("k").collectToMemory(),
            events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b, Duration.ofMillis(500),
                Duration.ofMillis(200)).collectToMemory(),
            events.reduceByKeyAndWindow(List.of("k"), Reducer.of("v", (a, b) -> a ^ b), (a, b) -> a ^ b, Duration.ofMillis(400),
                Duration.ofMillis(100)).collectToMemory());
    }

    /** Sink -> batch time -> sorted rows. */
    static List<Map<Long, List<String>>> outputs(final List<MemorySink> sinks) {
        final List<Map<Long, List<String>>> out = new ArrayList<>();
        for (final MemorySink sink : sinks) {
            final Map<Long, List<String>> byTime = new TreeMap<>();
            for (final MemorySink.BatchRows b : sink.snapshot()) {
                byTime.put(b.batchTimeMillis(), sorted(b.rows()));
            }
            out.add(byTime);
        }
        return out;
    }

    @Test
    void restartFromASnapshotContinuesExactlyLikeAnUninterruptedRun(@TempDir final Path dir) throws Exception {
        final Random random = new Random(5);
        final List<List<Object[]>> input = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            input.add(b % 4 == 3 ? List.of() : DStreamOperatorsTest.events(random, 30, 4));
        }
        final List<Map<Long, List<String>>> uninterrupted;
        try (StreamHarness h = new StreamHarness()) {
            final List<MemorySink> sinks = program(h);
            h.start();
            for (final List<Object[]> batch : input) {
                h.batch(batch);
            }
            uninterrupted = outputs(sinks);
        }
        final long snapshotTime = SNAPSHOT_AFTER * StreamHarness.INTERVAL;
        try (StreamHarness h = new StreamHarness()) {
            program(h);
            h.start();
            for (int b = 0; b < SNAPSHOT_AFTER; b++) {
                h.batch(input.get(b));
            }
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                final Path opDir = Files.createDirectories(dir.resolve(op.checkpointName()));
                op.snapshot(snapshotTime, opDir);
            }
        }
        final List<Map<Long, List<String>>> resumed;
        try (StreamHarness h = new StreamHarness(2, 3, null, snapshotTime)) {
            final List<MemorySink> sinks = program(h);
            final List<String> names = new ArrayList<>();
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                names.add(op.checkpointName());
                op.restore(snapshotTime, dir.resolve(op.checkpointName()));
            }
            assertEquals(List.of("window-0", "reduceByKeyAndWindow-0", "reduceByKeyAndWindow-1"), names);
            h.start();
            for (int b = SNAPSHOT_AFTER; b < BATCHES; b++) {
                h.batch(input.get(b));
            }
            resumed = outputs(sinks);
        }
        for (int s = 0; s < uninterrupted.size(); s++) {
            final Map<Long, List<String>> expected = new TreeMap<>(uninterrupted.get(s).entrySet().stream()
                .filter(e -> e.getKey() > snapshotTime).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            assertEquals(expected, resumed.get(s), "sink " + s);
            assertEquals(s == 1 ? 3 : 5, expected.size(), "outputs after the snapshot, sink " + s);
        }
    }

    @Test
    void restoreOfASnapshotWithAnotherSchemaFailsNamingTheFile(@TempDir final Path dir) throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            h.input("events", EVENTS).window(Duration.ofMillis(200), Duration.ofMillis(100)).collectToMemory();
            h.start();
            h.batch(StreamHarness.rows(new Object[] {"a", 1L}));
            h.graph.checkpointedOperators().get(0).snapshot(100, dir);
        }
        try (StreamHarness h = new StreamHarness()) {
            h.input("lines", DStreamOperatorsTest.LINES).window(Duration.ofMillis(200), Duration.ofMillis(100)).collectToMemory();
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> h.graph.checkpointedOperators().get(0).restore(100, dir));
            assertEquals(true, ex.getMessage().contains("batch-100.sbf"), ex.getMessage());
        }
    }
}
