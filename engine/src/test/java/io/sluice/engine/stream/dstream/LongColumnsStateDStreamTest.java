package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.state.LongColumnsJoin;
import io.sluice.engine.stream.state.LongColumnsSpec;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DStream#mapWithLongColumns} on a running stream (manual clock) against a plain-Java join model: per batch,
 * the emitted rows and the state snapshot, rows deferred until their header, eviction by timeout, and a snapshot /
 * restore round trip through the graph's checkpointed operators.
 */
class LongColumnsStateDStreamTest {
    private static final Schema INPUT = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("a", ColumnType.INT64),
        Field.notNull("kind", ColumnType.INT64), Field.nullable("note", ColumnType.UTF8));
    private static final long TIMEOUT = 450;
    /** A header's a depends on its key only, so the rows of a batch time (spread over partitions) may fold in any order. */
    private static final LongColumnsSpec JOIN = LongColumnsJoin.SPEC.timeout(TIMEOUT);

    @TempDir
    Path dir;

    private static List<List<Object[]>> inputs(final long seed, final int batches) {
        final Random random = new Random(seed);
        final List<List<Object[]>> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            final List<Object[]> rows = new ArrayList<>();
            final int n = b % 7 == 6 ? 0 : 1 + random.nextInt(60);
            for (int i = 0; i < n; i++) {
                final long key = random.nextInt(b % 4 == 0 ? 50 : 20);
                final boolean header = random.nextInt(6) == 0;
                rows.add(new Object[] {key, header ? key * 10 + 7 : random.nextInt(1000), header ? 0L : 1L,
                    random.nextBoolean() ? null : "x"});
            }
            out.add(rows);
        }
        return out;
    }

    /** The model: headers (a, items, last update time) and waiting items (k, a, deferred at), as the state runs them. */
    private static final class Model {
        final Map<Long, long[]> headers = new HashMap<>();
        final List<long[]> waiting = new ArrayList<>();
        int evicted;

        /** One batch: the emitted rows, sorted. */
        List<String> run(final List<Object[]> rows, final long time) {
            final List<String> out = new ArrayList<>();
            final List<long[]> now = new ArrayList<>();
            for (final Object[] row : rows) {
                fold(new long[] {(Long) row[0], (Long) row[1], (Long) row[2], time}, time, out, now);
            }
            final List<long[]> retry = new ArrayList<>(waiting);
            retry.addAll(now);
            waiting.clear();
            for (final long[] row : retry) {
                fold(row, time, out, waiting);
            }
            final int held = headers.size();
            headers.values().removeIf(h -> h[2] < time - TIMEOUT);
            evicted += held - headers.size();
            waiting.removeIf(w -> w[3] < time - TIMEOUT);
            return out.stream().sorted().toList();
        }

        private void fold(final long[] row, final long time, final List<String> out, final List<long[]> deferred) {
            final long[] h = headers.get(row[0]);
            if (row[2] == 0) {
                final long[] header = h == null ? new long[3] : h;
                header[0] = row[1];
                header[2] = time;
                headers.put(row[0], header);
            } else if (h == null) {
                deferred.add(row);
            } else {
                h[1]++;
                h[2] = time;
                out.add(Arrays.toString(new Object[] {row[0], row[1], h[0]}));
            }
        }

        List<String> state() {
            return headers.entrySet().stream().map(e -> Arrays.toString(new Object[] {e.getKey(), e.getValue()[0],
                e.getValue()[1]})).sorted().toList();
        }
    }

    private static List<String> sorted(final MemorySink sink, final int index) {
        return sink.snapshot().get(index).rows().stream().map(Arrays::toString).sorted().toList();
    }

    @Test
    void joinsAcrossBatchesDefersUntilTheHeaderAndEvictsIdleKeys() throws Exception {
        final List<List<Object[]>> inputs = inputs(5, 40);
        final Model model = new Model();
        try (StreamHarness h = new StreamHarness()) {
            final LongColumnsStateDStream joined = h.input("events", INPUT).mapWithLongColumns("k", List.of("a", "kind"), JOIN);
            final MemorySink out = joined.collectToMemory();
            final MemorySink state = joined.stateSnapshots().collectToMemory();
            assertEquals(List.of("mapWithLongColumns-0"),
                h.graph.checkpointedOperators().stream().map(Checkpointed::checkpointName).toList());
            h.start();
            for (int b = 0; b < inputs.size(); b++) {
                final long time = h.batch(inputs.get(b));
                assertEquals(model.run(inputs.get(b), time), sorted(out, b), "rows of batch " + time);
                assertEquals(model.state(), sorted(state, b), "state after batch " + time);
            }
        }
        assertTrue(model.evicted > 0, "the inputs make some key time out");
    }

    @Test
    void snapshotAndRestoreRoundTripContinuesExactlyWithTheDeferredRows() throws Exception {
        final List<List<Object[]>> inputs = inputs(8, 24);
        final Model model = new Model();
        final List<List<String>> want = new ArrayList<>();
        final int cut = 11;
        int waitingAtCut = 0;
        for (int b = 0; b < inputs.size(); b++) {
            want.add(model.run(inputs.get(b), StreamHarness.INTERVAL * (b + 1)));
            if (b == cut - 1) {
                waitingAtCut = model.waiting.size();
            }
        }
        assertTrue(waitingAtCut > 0, "rows wait at the snapshot");
        StateRestoreRoundTrip.check(dir, h -> h.input("events", INPUT).mapWithLongColumns("k", List.of("a", "kind"), JOIN)
            .collectToMemory(), inputs, cut, inputs(99, 1).get(0), LongColumnsStateDStreamTest::sorted, List.of(), want);
    }

    @Test
    void badColumnsAreRejectedWhenTheStreamIsDefined() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            final DStream events = h.input("events", INPUT);
            final IllegalArgumentException note = assertThrows(IllegalArgumentException.class,
                () -> events.mapWithLongColumns("k", List.of("a", "note"), JOIN));
            assertTrue(note.getMessage().contains("column 'note' has type=UTF8"), note.getMessage());
            final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> events.mapWithLongColumns("nope", List.of("a"), JOIN));
            assertTrue(missing.getMessage().contains("no field named 'nope'"), missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> events.mapWithLongColumns("k", List.of(), JOIN));
            assertThrows(IllegalArgumentException.class, () -> events.mapWithLongColumns("k", List.of("a"), null));
        }
    }
}
