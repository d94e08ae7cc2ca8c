package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongBinaryOperator;

import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DStream#mapWithLongState} on a running stream (manual clock) against a plain-Java {@code HashMap} fold:
 * per batch, each key's rows and its state after the batch, eviction by timeout, and a snapshot/restore round trip
 * through the graph's checkpointed operators after in-place updates.
 */
class LongStateDStreamTest {
    private static final Schema INPUT = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("v", ColumnType.INT64),
        Field.nullable("note", ColumnType.UTF8));
    private static final LongBinaryOperator SUM = Long::sum;
    private static final long TIMEOUT = 250;

    @TempDir
    Path dir;

    /** Rows over keys -20..39 (so some keys idle long enough to time out), positive values. */
    private static List<List<Object[]>> inputs(final long seed, final int batches) {
        final Random random = new Random(seed);
        final List<List<Object[]>> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            final List<Object[]> rows = new ArrayList<>();
            final int n = b % 7 == 6 ? 0 : 1 + random.nextInt(80);
            for (int i = 0; i < n; i++) {
                final long key = random.nextInt(b % 3 == 0 ? 60 : 25) - 20;
                rows.add(new Object[] {key, 1L + random.nextInt(100), random.nextBoolean() ? null : "é"});
            }
            out.add(rows);
        }
        return out;
    }

    /** The reference: state and last update time per key. */
    private static final class Reference {
        final Map<Long, long[]> state = new HashMap<>();
        int evicted;

        /** Folds a batch; returns per key (rows in the batch, state after the batch). */
        Map<Long, List<Long>> run(final List<Object[]> rows, final long time) {
            final Map<Long, List<Long>> out = new TreeMap<>();
            for (final Object[] row : rows) {
                final long[] s = state.computeIfAbsent((Long) row[0], k -> new long[] {0, 0});
                s[0] = SUM.applyAsLong(s[0], (Long) row[1]);
                s[1] = time;
                out.put((Long) row[0], List.of(0L, s[0]));
            }
            for (final Map.Entry<Long, List<Long>> e : out.entrySet()) {
                e.setValue(List.of(rows.stream().filter(r -> r[0].equals(e.getKey())).count(), e.getValue().get(1)));
            }
            final int held = state.size();
            state.values().removeIf(s -> s[1] < time - TIMEOUT);
            evicted += held - state.size();
            return out;
        }
    }

    /** Per key of one output batch: rows, and the largest running state (the state after the batch: values are positive). */
    private static Map<Long, List<Long>> perKey(final MemorySink sink, final int index) {
        final Map<Long, List<Long>> out = new TreeMap<>();
        for (final Object[] row : sink.snapshot().get(index).rows()) {
            final List<Long> seen = out.getOrDefault((Long) row[0], List.of(0L, Long.MIN_VALUE));
            out.put((Long) row[0], List.of(seen.get(0) + 1, Math.max(seen.get(1), (Long) row[1])));
        }
        return out;
    }

    private static MemorySink define(final StreamHarness h) {
        return h.input("events", INPUT).mapWithLongState("k", "v", 0, SUM, TIMEOUT).collectToMemory();
    }

    @Test
    void foldsEveryRowInPlaceAndEvictsIdleKeys() throws Exception {
        final List<List<Object[]>> inputs = inputs(5, 30);
        final Reference reference = new Reference();
        try (StreamHarness h = new StreamHarness()) {
            final MemorySink out = define(h);
            assertEquals(List.of("mapWithLongState-0"),
                h.graph.checkpointedOperators().stream().map(Checkpointed::checkpointName).toList());
            h.start();
            for (int b = 0; b < inputs.size(); b++) {
                final long time = h.batch(inputs.get(b));
                final Map<Long, List<Long>> want = reference.run(inputs.get(b), time);
                assertEquals(want, perKey(out, b), "batch " + time);
            }
        }
        assertTrue(reference.evicted > 0, "the inputs make some key time out");
    }

    @Test
    void snapshotAndRestoreRoundTripContinuesExactly() throws Exception {
        final List<List<Object[]>> inputs = inputs(8, 20);
        final Reference reference = new Reference();
        final List<Map<Long, List<Long>>> want = new ArrayList<>();
        for (int b = 0; b < inputs.size(); b++) {
            want.add(reference.run(inputs.get(b), StreamHarness.INTERVAL * (b + 1)));
        }
        final int cut = 9;
        StateRestoreRoundTrip.check(dir, LongStateDStreamTest::define, inputs, cut, inputs(99, 1).get(0),
            LongStateDStreamTest::perKey, Map.of(), want);
    }

    @Test
    void nonInt64ColumnsAreRejectedWhenTheStreamIsDefined() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", INPUT);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> events.mapWithLongState("k", "note", 0, SUM, 0));
            assertTrue(ex.getMessage().contains("column 'note' has type=UTF8"), ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> events.mapWithLongState("k", "v", 0, SUM, -1));
        }
    }
}
