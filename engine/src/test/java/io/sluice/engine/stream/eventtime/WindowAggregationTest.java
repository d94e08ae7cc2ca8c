package io.sluice.engine.stream.eventtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.collections.IntArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.Rows;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * {@link WindowAggregation} against {@link EventTimeModel} over random out-of-order inputs: tumbling, hopping and
 * session windows, append and update modes, INT64 and UTF8 keys, disorder 0 / within / beyond the lateness.
 */
public class WindowAggregationTest {
    public static final Schema LONG_KEYS = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("k", ColumnType.INT64),
        Field.nullable("v", ColumnType.INT64));
    public static final Schema TEXT_KEYS = Schema.of(Field.notNull("ts", ColumnType.INT64), Field.notNull("k", ColumnType.UTF8),
        Field.nullable("v", ColumnType.INT64));
    public static final List<Agg> AGGS = List.of(Agg.count(), Agg.sum("v"), Agg.min("v"), Agg.max("v"));
    public static final long LATENESS = 300;

    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void close() {
        allocator.close();
    }

    public static List<EventTimeWindow> windows() {
        return List.of(EventTimeWindow.tumbling("ts", Duration.ofMillis(200)),
            EventTimeWindow.hopping("ts", Duration.ofMillis(300), Duration.ofMillis(100)),
            EventTimeWindow.session("ts", Duration.ofMillis(70)));
    }

    /**
     * Batches of random rows: time moves ~100 ms a batch, sometimes idle for 100-300 ms; with probability 0.3 a row
     * is up to {@code disorder} ms late.
     */
    public static List<List<EventTimeModel.Row>> input(final long seed, final long disorder, final boolean textKeys, final int batches) {
        final Random random = new Random(seed);
        final List<List<EventTimeModel.Row>> out = new ArrayList<>();
        long now = 1_000 + random.nextInt(1000);
        for (int b = 0; b < batches; b++) {
            final List<EventTimeModel.Row> rows = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                now += 100 + random.nextInt(200);   // idle: sessions end, the watermark jumps
            }
            final int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                now += random.nextInt(6);
                final long ts = disorder > 0 && random.nextDouble() < 0.3 ? now - random.nextInt((int) disorder + 1) : now;
                final long key = random.nextInt(5);
                final Long value = random.nextInt(10) == 0 ? null : (long) random.nextInt(1000) - 200;
                rows.add(new EventTimeModel.Row(ts, textKeys ? "k" + key : (Object) key, value));
            }
            out.add(rows);
        }
        return out;
    }

    Batch toBatch(final List<EventTimeModel.Row> rows, final boolean textKeys) {
        final List<Object[]> boxed = new ArrayList<>();
        for (final EventTimeModel.Row r : rows) {
            boxed.add(new Object[] {r.ts(), r.key(), r.value()});
        }
        return DatasetBatches.fromRows(allocator, textKeys ? TEXT_KEYS : LONG_KEYS, boxed);
    }

    static List<List<Object>> rows(final Batch batch) {
        final List<List<Object>> out = new ArrayList<>();
        if (batch == null) {
            return out;
        }
        for (int r = 0; r < batch.rowCount(); r++) {
            final List<Object> row = new ArrayList<>();
            for (int c = 0; c < batch.columnCount(); c++) {
                row.add(Rows.value(batch.vector(c), r));
            }
            out.add(row);
        }
        return out;
    }

    /** How a test feeds one batch to the aggregation: whole, or in parts each merged on its own. */
    @FunctionalInterface
    interface Feeder {
        void add(WindowAggregation agg, Batch batch, long watermark, IntArrayList lateRows);
    }

    @Test
    void everyWindowKindAndModeMatchesTheModelOverRandomOutOfOrderInput() {
        int checkedLate = 0;
        for (int seed = 0; seed < 24; seed++) {
            checkedLate += againstModel(seed, (agg, batch, watermark, lateRows) -> agg.add(batch, watermark, lateRows));
        }
        assertTrue(checkedLate > 100, "late rows occurred in " + checkedLate + " runs");
    }

    /**
     * A batch cut at random rows into parts, each part's partial computed on its own and merged in row order (as the
     * stage's tasks of one batch are), gives the model's rows and late counts too.
     */
    @Test
    void partialsOfABatchCutIntoPartsMergeToTheModel() {
        final Random cuts = new Random(42);
        int checkedLate = 0;
        for (int seed = 0; seed < 8; seed++) {
            checkedLate += againstModel(seed, (agg, batch, watermark, lateRows) -> {
                final int rows = batch.rowCount();
                final int parts = 1 + cuts.nextInt(4);
                int from = 0;
                for (int i = 0; i < parts; i++) {
                    final int to = i == parts - 1 ? rows : from + cuts.nextInt(rows - from + 1);
                    final WindowPartial part = WindowPartial.of(agg.partialAggregation(), batch, from, to, watermark, true);
                    agg.merge(part);
                    lateRows.addAll(part.lateRows());
                    from = to;
                }
            });
        }
        assertTrue(checkedLate > 20, "late rows occurred in " + checkedLate + " runs");
    }

    /** Every disorder, window kind and mode of {@code seed} against the model; returns the runs that had late rows. */
    private int againstModel(final int seed, final Feeder feeder) {
        int checkedLate = 0;
        for (final long disorder : new long[] {0, LATENESS / 3, LATENESS * 4}) {
            for (final EventTimeWindow window : windows()) {
                for (final OutputMode mode : OutputMode.values()) {
                    final boolean text = seed % 2 == 1;
                    final String label = "seed=" + seed + " disorder=" + disorder + " " + window + " " + mode;
                    final EventTimeModel model = new EventTimeModel(window, mode, LATENESS);
                    long watermark = Long.MIN_VALUE;
                    long maxSeen = Long.MIN_VALUE;
                    try (WindowAggregation agg = new WindowAggregation(allocator, text ? TEXT_KEYS : LONG_KEYS, window,
                        List.of("k"), AGGS, mode)) {
                        int b = 0;
                        for (final List<EventTimeModel.Row> rows : input(seed, disorder, text, 40)) {
                            final List<List<Object>> expected = model.batch(rows);
                            final IntArrayList lateRows = new IntArrayList();
                            try (Batch in = toBatch(rows, text)) {
                                feeder.add(agg, in, watermark, lateRows);
                                for (int r = 0; r < in.rowCount(); r++) {
                                    maxSeen = Math.max(maxSeen, in.int64Vector(0).get(r));
                                }
                            }
                            for (int i = 0; i < lateRows.size(); i++) {
                                assertTrue(window.isLate(rows.get(lateRows.getInt(i)).ts(), watermark), label);
                            }
                            if (maxSeen != Long.MIN_VALUE) {
                                watermark = Math.max(watermark, maxSeen - LATENESS);
                            }
                            assertEquals(model.watermark(), watermark, label);
                            final Batch out = agg.emit(watermark);
                            try {
                                assertEquals(expected, rows(out), label + " batch=" + b);
                            } finally {
                                if (out != null) {
                                    out.release();
                                }
                            }
                            assertEquals(model.late(), agg.lateRecords(), label + " batch=" + b);
                            assertEquals(model.held(), agg.entries(), label + " batch=" + b + " entries held");
                            b++;
                        }
                        checkedLate += model.late() > 0 ? 1 : 0;
                    }
                }
            }
        }
        return checkedLate;
    }

    @Test
    void withoutKeysEveryWindowIsOneGroup() {
        for (int seed = 0; seed < 4; seed++) {
            for (final EventTimeWindow window : windows()) {
                for (final OutputMode mode : OutputMode.values()) {
                    final EventTimeModel model = new EventTimeModel(window, mode, LATENESS);
                    long watermark = Long.MIN_VALUE;
                    long maxSeen = Long.MIN_VALUE;
                    int emitted = 0;
                    try (WindowAggregation agg = new WindowAggregation(allocator, LONG_KEYS, window, List.of(), AGGS, mode)) {
                        for (final List<EventTimeModel.Row> batch : input(seed, seed % 2 == 0 ? 0 : LATENESS / 3, false, 40)) {
                            final List<EventTimeModel.Row> rows = new ArrayList<>();
                            for (final EventTimeModel.Row r : batch) {
                                rows.add(new EventTimeModel.Row(r.ts(), 0L, r.value()));
                                maxSeen = Math.max(maxSeen, r.ts());
                            }
                            final List<List<Object>> expected = new ArrayList<>();
                            for (final List<Object> row : model.batch(rows)) {
                                final List<Object> keyless = new ArrayList<>(row);
                                keyless.remove(2);
                                expected.add(keyless);
                            }
                            try (Batch in = toBatch(rows, false)) {
                                agg.add(in, watermark, null);
                            }
                            if (maxSeen != Long.MIN_VALUE) {
                                watermark = Math.max(watermark, maxSeen - LATENESS);
                            }
                            final Batch out = agg.emit(watermark);
                            try {
                                assertEquals(expected, rows(out), "seed=" + seed + " " + window + " " + mode);
                            } finally {
                                if (out != null) {
                                    out.release();
                                }
                            }
                            emitted += expected.size();
                        }
                        assertEquals(model.late(), agg.lateRecords());
                    }
                    assertTrue(emitted > 0, window + " " + mode + " emitted rows");
                }
            }
        }
    }

    @Test
    void snapshotAndRestoreContinueExactly() {
        for (final EventTimeWindow window : windows()) {
            final List<List<EventTimeModel.Row>> input = input(7, LATENESS, false, 40);
            final List<List<Object>> straight = new ArrayList<>();
            final List<List<Object>> restarted = new ArrayList<>();
            run(window, input, straight, -1);
            run(window, input, restarted, 20);
            assertEquals(straight, restarted, window.toString());
        }
    }

    private void run(final EventTimeWindow window, final List<List<EventTimeModel.Row>> input, final List<List<Object>> out,
                     final int restoreAt) {
        WindowAggregation agg = new WindowAggregation(allocator, LONG_KEYS, window, List.of("k"), AGGS, OutputMode.APPEND);
        try {
            long watermark = Long.MIN_VALUE;
            long maxSeen = Long.MIN_VALUE;
            for (int b = 0; b < input.size(); b++) {
                if (b == restoreAt) {
                    try (Batch snap = agg.snapshot()) {
                        final long late = agg.lateRecords();
                        agg.close();
                        agg = new WindowAggregation(allocator, LONG_KEYS, window, List.of("k"), AGGS, OutputMode.APPEND);
                        agg.restore(List.of(snap), late);
                    }
                }
                try (Batch in = toBatch(input.get(b), false)) {
                    agg.add(in, watermark, null);
                    for (int r = 0; r < in.rowCount(); r++) {
                        maxSeen = Math.max(maxSeen, in.int64Vector(0).get(r));
                    }
                }
                watermark = Math.max(watermark, maxSeen - LATENESS);
                final Batch emitted = agg.emit(watermark);
                out.addAll(rows(emitted));
                if (emitted != null) {
                    emitted.release();
                }
            }
            out.add(List.of(agg.lateRecords()));
        } finally {
            agg.close();
        }
    }

    @Test
    void badEventTimeColumnsAreNamed() {
        final Schema noTime = Schema.of(Field.notNull("k", ColumnType.INT64));
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new WindowAggregation(
            allocator, noTime, EventTimeWindow.tumbling("ts", Duration.ofSeconds(1)), List.of("k"), AGGS, OutputMode.APPEND));
        assertTrue(missing.getMessage().contains("'ts'"), missing.getMessage());
        final Schema textTime = Schema.of(Field.notNull("ts", ColumnType.UTF8), Field.notNull("k", ColumnType.INT64));
        final IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> new WindowAggregation(
            allocator, textTime, EventTimeWindow.tumbling("ts", Duration.ofSeconds(1)), List.of("k"), List.of(Agg.count()),
            OutputMode.APPEND));
        assertTrue(type.getMessage().contains("INT64"), type.getMessage());
    }
}
