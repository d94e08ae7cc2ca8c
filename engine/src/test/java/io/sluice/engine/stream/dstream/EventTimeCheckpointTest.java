package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.eventtime.EventTimeModel;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.eventtime.WindowAggregationTest;

/**
 * Event-time operators (watermark, window aggregations of every kind and mode, the time-bound join) snapshot and
 * restore their state: a restart at a snapshot continues with exactly the output of an uninterrupted run, late
 * counts included.
 */
class EventTimeCheckpointTest {
    private static final int BATCHES = 30;
    private static final int SNAPSHOT_AFTER = 15;

    private record Program(List<MemorySink> sinks, List<WindowAggregateDStream> aggregates, TimeBoundJoinDStream join) {
    }

    private static Program program(final StreamHarness h) {
        final WatermarkedDStream events = h.input("events", WindowAggregationTest.LONG_KEYS)
            .withWatermark("ts", Duration.ofMillis(WindowAggregationTest.LATENESS));
        final List<MemorySink> sinks = new ArrayList<>();
        final List<WindowAggregateDStream> aggregates = new ArrayList<>();
        for (final EventTimeWindow window : WindowAggregationTest.windows()) {
            for (final OutputMode mode : OutputMode.values()) {
                final WindowAggregateDStream agg = events.groupByWindow(window, "k").outputMode(mode)
                    .agg(WindowAggregationTest.AGGS.toArray(new Agg[0]));
                aggregates.add(agg);
                sinks.add(agg.collectToMemory());
            }
        }
        final DStream other = events.select("ts", "k", "v").withColumn("rt", io.sluice.engine.dataset.Expr.col("ts"))
            .select("rt", "k", "v").withWatermark("rt", Duration.ofMillis(100));
        final TimeBoundJoinDStream join = events.joinWithinTime(other.select("rt", "k"), List.of("k"), List.of("k"),
            Duration.ofMillis(20), Duration.ofMillis(10));
        sinks.add(join.collectToMemory());
        return new Program(sinks, aggregates, join);
    }

    private static List<Map<Long, List<String>>> outputs(final List<MemorySink> sinks, final long after) {
        final List<Map<Long, List<String>>> out = new ArrayList<>();
        for (final MemorySink sink : sinks) {
            final Map<Long, List<String>> byTime = new TreeMap<>();
            for (final MemorySink.BatchRows b : sink.snapshot()) {
                if (b.batchTimeMillis() > after) {
                    final List<String> rows = new ArrayList<>();
                    b.rows().forEach(row -> rows.add(Arrays.toString(row)));
                    rows.sort(null);
                    byTime.put(b.batchTimeMillis(), rows);
                }
            }
            out.add(byTime);
        }
        return out;
    }

    private static List<Object[]> boxed(final List<EventTimeModel.Row> rows) {
        final List<Object[]> out = new ArrayList<>();
        for (final EventTimeModel.Row r : rows) {
            out.add(new Object[] {r.ts(), r.key(), r.value()});
        }
        return out;
    }

    @Test
    void restartFromASnapshotContinuesExactlyLikeAnUninterruptedRun(@TempDir final Path dir) throws Exception {
        final List<List<EventTimeModel.Row>> input = WindowAggregationTest.input(11, WindowAggregationTest.LATENESS * 2, false, BATCHES);
        final long snapshotTime = SNAPSHOT_AFTER * StreamHarness.INTERVAL;
        final List<Map<Long, List<String>>> uninterrupted;
        final List<Long> lateUninterrupted = new ArrayList<>();
        try (StreamHarness h = new StreamHarness()) {
            final Program p = program(h);
            h.start();
            for (final List<EventTimeModel.Row> batch : input) {
                h.batch(boxed(batch));
            }
            uninterrupted = outputs(p.sinks(), snapshotTime);
            p.aggregates().forEach(a -> lateUninterrupted.add(a.lateRecords()));
            lateUninterrupted.add(p.join().lateRecords());
        }
        int entriesAtSnapshot = 0;
        try (StreamHarness h = new StreamHarness()) {
            final Program p = program(h);
            h.start();
            for (int b = 0; b < SNAPSHOT_AFTER; b++) {
                h.batch(boxed(input.get(b)));
            }
            for (final WindowAggregateDStream agg : p.aggregates()) {
                entriesAtSnapshot += agg.stateEntries();
            }
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                op.snapshot(snapshotTime, Files.createDirectories(dir.resolve(op.checkpointName())));
            }
        }
        assertTrue(entriesAtSnapshot > 20, "state entries at the snapshot: " + entriesAtSnapshot);
        try (StreamHarness h = new StreamHarness(2, 3, null, snapshotTime)) {
            final Program p = program(h);
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                op.restore(snapshotTime, dir.resolve(op.checkpointName()));
            }
            h.start();
            for (int b = SNAPSHOT_AFTER; b < BATCHES; b++) {
                h.batch(boxed(input.get(b)));
            }
            final List<Map<Long, List<String>>> resumed = outputs(p.sinks(), snapshotTime);
            for (int s = 0; s < uninterrupted.size(); s++) {
                assertEquals(uninterrupted.get(s), resumed.get(s), "sink " + s);
                assertTrue(!uninterrupted.get(s).isEmpty(), "sink " + s + " emitted after the snapshot");
            }
            final List<Long> late = new ArrayList<>();
            p.aggregates().forEach(a -> late.add(a.lateRecords()));
            late.add(p.join().lateRecords());
            assertEquals(lateUninterrupted, late, "late rows");
            assertTrue(lateUninterrupted.stream().mapToLong(Long::longValue).sum() > 0, "some rows were late");
        }
    }
}
