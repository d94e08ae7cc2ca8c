package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.eventtime.EventTimeWindow.session;
import static io.sluice.engine.stream.eventtime.EventTimeWindow.tumbling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.engine.stream.eventtime.EventTimeModel;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.eventtime.WindowAggregationTest;

/**
 * Event time through the whole stream (manual clock, 100 ms batches): watermarks per batch in {@link BatchInfo},
 * every window kind in both output modes against {@link EventTimeModel}, the late-row side output, and the refusal
 * of a window aggregation without a watermark.
 */
class EventTimeStreamTest {
    private static final long[] DISORDERS = {0, WindowAggregationTest.LATENESS / 3, WindowAggregationTest.LATENESS * 4};

    private record Run(EventTimeWindow window, OutputMode mode, WindowAggregateDStream stream, MemorySink sink,
                       EventTimeModel model, List<List<List<Object>>> expected) {
    }

    @Test
    void streamsMatchTheModelForEveryWindowKindAndModeOver20Seeds() throws Exception {
        for (int seed = 0; seed < 20; seed++) {
            final long disorder = DISORDERS[seed % 3];
            final boolean text = seed % 2 == 1;
            final String label = "seed=" + seed + " disorder=" + disorder;
            final List<List<EventTimeModel.Row>> input = WindowAggregationTest.input(seed, disorder, text, 30);
            final List<BatchInfo> infos = new CopyOnWriteArrayList<>();
            final List<Run> runs = new ArrayList<>();
            final MemorySink lateRows;
            try (StreamHarness h = new StreamHarness()) {
                final WatermarkedDStream events = h.input("events",
                    text ? WindowAggregationTest.TEXT_KEYS : WindowAggregationTest.LONG_KEYS)
                    .withWatermark("ts", Duration.ofMillis(WindowAggregationTest.LATENESS));
                for (final EventTimeWindow window : WindowAggregationTest.windows()) {
                    for (final OutputMode mode : OutputMode.values()) {
                        final WindowAggregateDStream agg = events.groupByWindow(window, "k").outputMode(mode)
                            .agg(WindowAggregationTest.AGGS.toArray(new Agg[0]));
                        runs.add(new Run(window, mode, agg, agg.collectToMemory(),
                            new EventTimeModel(window, mode, WindowAggregationTest.LATENESS), new ArrayList<>()));
                    }
                }
                lateRows = runs.get(0).stream().lateRows().collectToMemory();
                h.streaming.addListener(new StreamingListener() {
                    @Override
                    public void onBatchCompleted(final BatchInfo info) {
                        infos.add(info);
                    }
                });
                h.start();
                final List<Long> watermarks = new ArrayList<>();
                for (final List<EventTimeModel.Row> rows : input) {
                    final List<Object[]> boxed = new ArrayList<>();
                    for (final EventTimeModel.Row r : rows) {
                        boxed.add(new Object[] {r.ts(), r.key(), r.value()});
                    }
                    for (final Run run : runs) {
                        run.expected().add(run.model().batch(rows));
                    }
                    watermarks.add(runs.get(0).model().watermark());
                    h.batch(boxed);
                }
                for (final Run run : runs) {
                    final String what = label + " " + run.window() + " " + run.mode();
                    final List<List<List<Object>>> actual = new ArrayList<>();
                    for (int b = 0; b < input.size(); b++) {
                        actual.add(new ArrayList<>());
                    }
                    for (final MemorySink.BatchRows b : run.sink().snapshot()) {
                        final List<List<Object>> rows = actual.get((int) (b.batchTimeMillis() / StreamHarness.INTERVAL) - 1);
                        for (final Object[] row : b.rows()) {
                            rows.add(Arrays.asList(row));
                        }
                        assertTrue(!b.rows().isEmpty(), what + ": a batch time with no rows has no dataset");
                    }
                    assertEquals(run.expected(), actual, what);
                    assertTrue(run.expected().stream().mapToInt(List::size).sum() > 10, what + ": rows emitted");
                    assertEquals(run.model().late(), run.stream().lateRecords(), what + " late rows");
                }
                long late = 0;
                for (final MemorySink.BatchRows b : lateRows.snapshot()) {
                    late += b.rows().size();
                }
                assertEquals(runs.get(0).model().late(), late, label + " late rows in the side output");
                assertEquals(input.size(), infos.size(), label);
                long perBatchLate = 0;
                for (int b = 0; b < infos.size(); b++) {
                    assertEquals(watermarks.get(b), infos.get(b).watermarkMillis(), label + " watermark of batch " + b);
                    perBatchLate += infos.get(b).lateRecords();
                }
                long allLate = 0;
                for (final Run run : runs) {
                    allLate += run.model().late();
                }
                assertEquals(allLate, perBatchLate, label + " late rows reported in BatchInfo, summed over the operators");
            }
        }
    }

    @Test
    void aWindowAggregationWithoutAWatermarkIsRefusedNamingTheOperator() {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", WindowAggregationTest.LONG_KEYS);
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> events.groupByWindow(tumbling("ts", Duration.ofSeconds(1)), "k").agg(Agg.count()));
            assertTrue(ex.getMessage().contains("groupByWindow") && ex.getMessage().contains("withWatermark"), ex.getMessage());
            final WatermarkedDStream marked = events.withWatermark("ts", Duration.ofSeconds(1));
            final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> marked.withColumn("ts2", io.sluice.engine.dataset.Expr.col("ts"))
                    .groupByWindow(session("ts2", Duration.ofSeconds(1)), "k").agg(Agg.count()));
            assertTrue(other.getMessage().contains("'ts2'") && other.getMessage().contains("'ts'"), other.getMessage());
        }
    }

    @Test
    void theWatermarkNeverMovesBackwards() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final WatermarkedDStream events = h.input("events", WindowAggregationTest.LONG_KEYS)
                .withWatermark("ts", Duration.ofMillis(50));
            events.groupByWindow(tumbling("ts", Duration.ofMillis(100)), "k").agg(Agg.count()).collectToMemory();
            final List<BatchInfo> infos = new CopyOnWriteArrayList<>();
            h.streaming.addListener(new StreamingListener() {
                @Override
                public void onBatchCompleted(final BatchInfo info) {
                    infos.add(info);
                }
            });
            h.start();
            h.batch(StreamHarness.rows());
            h.batch(StreamHarness.rows(new Object[] {1000L, 1L, 1L}));
            h.batch(StreamHarness.rows(new Object[] {400L, 1L, 1L}));
            h.batch(StreamHarness.rows(new Object[] {1020L, 1L, 1L}));
            assertEquals(List.of(Long.MIN_VALUE, 950L, 950L, 970L),
                infos.stream().map(BatchInfo::watermarkMillis).toList());
            assertEquals(List.of(0L, 0L, 1L, 0L), infos.stream().map(BatchInfo::lateRecords).toList());
            assertEquals(970L, events.watermark());
        }
    }
}
