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

import io.sluice.engine.stream.KeyedRows;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.StreamingJobException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** updateStateByKey / mapWithState on a running stream (manual clock) against the plain-Java references. */
class DStreamStateTest {
    private static final KeyedRows SHAPE = KeyedRows.TEXT_KEY;
    private static final Schema INPUT = SHAPE.inputSchema(UpdateStateByKeyTest.VALUE);
    private static final long TIMEOUT = 250;

    @TempDir
    Path dir;

    /** The three outputs of the graph under test. */
    private record Outputs(MemorySink updated, MemorySink mapped, MemorySink snapshots) {
    }

    private static Outputs define(final StreamHarness h) {
        final DStream events = h.input("events", INPUT);
        final MemorySink updated = events.updateStateByKey(SHAPE.keyNames(), UpdateStateByKeyTest.STATE,
            (key, values, prev) -> UpdateStateByKeyTest.update(values, prev)).collectToMemory();
        final MapWithStateDStream mapped = events.mapWithState(SHAPE.keyNames(),
            StateSpec.function(MapWithStateTest::map, MapWithStateTest.STATE, MapWithStateTest.mappedSchema(SHAPE)).timeout(TIMEOUT));
        return new Outputs(updated, mapped.collectToMemory(), mapped.stateSnapshots().collectToMemory());
    }

    private static List<List<Object[]>> inputs(final long seed, final int count) {
        final Random random = new Random(seed);
        final List<List<Object[]>> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            out.add(MapWithStateTest.randomRows(random, SHAPE, 100L * (b + 1)));
        }
        return out;
    }

    /** Expected outputs of batches {@code from..to-1} after running all earlier batches through the references. */
    private static final class Expected {
        final Map<List<Object>, Object[]> updateState = new HashMap<>();
        final Map<List<Object>, MapWithStateTest.Entry> mapState = new HashMap<>();
        final List<List<String>> updated = new ArrayList<>();
        final List<List<String>> mapped = new ArrayList<>();
        final List<List<String>> snapshots = new ArrayList<>();

        void run(final List<Object[]> rows, final long time) {
            UpdateStateByKeyTest.reference(updateState, rows, 1);
            updated.add(DStreamOperatorsTest.sorted(rowsOf(updateState)));
            mapped.add(DStreamOperatorsTest.sorted(MapWithStateTest.reference(mapState, rows, 1, time, TIMEOUT)));
            snapshots.add(DStreamOperatorsTest.sorted(rowsOf(MapWithStateTest.stateOf(mapState))));
        }

        private static List<Object[]> rowsOf(final Map<List<Object>, Object[]> state) {
            final List<Object[]> out = new ArrayList<>();
            state.forEach((k, v) -> out.add(KeyedRows.concat(k, v)));
            return out;
        }
    }

    private static List<String> batchRows(final MemorySink sink, final int index) {
        return DStreamOperatorsTest.sorted(sink.snapshot().get(index).rows());
    }

    @Test
    void statefulStreamsMatchTheReferencesBatchByBatch() throws Exception {
        final List<List<Object[]>> inputs = inputs(3, 25);
        final Expected expected = new Expected();
        try (StreamHarness h = new StreamHarness()) {
            final Outputs out = define(h);
            assertEquals(List.of("updateStateByKey-0", "mapWithState-0"),
                h.graph.checkpointedOperators().stream().map(Checkpointed::checkpointName).toList());
            h.start();
            for (int b = 0; b < inputs.size(); b++) {
                final long time = h.batch(inputs.get(b));
                expected.run(inputs.get(b), time);
                assertEquals(expected.updated.get(b), batchRows(out.updated(), b), "updateStateByKey at " + time);
                assertEquals(expected.mapped.get(b), batchRows(out.mapped(), b), "mapWithState at " + time);
                assertEquals(expected.snapshots.get(b), batchRows(out.snapshots(), b), "stateSnapshots at " + time);
            }
            assertTrue(expected.mapped.stream().anyMatch(rows -> rows.stream().anyMatch(r -> r.contains("|timeout|"))),
                "the inputs make some key time out");
        }
    }

    /**
     * A graph restored from a snapshot of its checkpointed operators skips the replayed batch times and then
     * produces what an uninterrupted run produces.
     */
    @Test
    void restoredGraphSkipsReplayedBatchesAndContinuesExactly() throws Exception {
        final List<List<Object[]>> inputs = inputs(9, 20);
        final Expected expected = new Expected();
        for (int b = 0; b < inputs.size(); b++) {
            expected.run(inputs.get(b), 100L * (b + 1));
        }
        final int cut = 8;
        try (StreamHarness h = new StreamHarness()) {
            define(h);
            h.start();
            for (int b = 0; b < cut; b++) {
                h.batch(inputs.get(b));
            }
            h.snapshotOperators(100L * cut, dir);
        }
        try (StreamHarness h = new StreamHarness()) {
            final Outputs out = define(h);
            h.restoreOperators(100L * cut, dir);
            h.start();
            final Random junk = new Random(1);
            for (int b = 0; b < cut; b++) {
                h.batch(MapWithStateTest.randomRows(junk, SHAPE, 100L * (b + 1)));
                assertEquals(expected.updated.get(cut - 1), batchRows(out.updated(), b),
                    "replayed batch " + b + " yields the restored state");
                assertEquals(List.of(), batchRows(out.mapped(), b), "replayed batch " + b + " maps nothing");
            }
            for (int b = cut; b < inputs.size(); b++) {
                h.batch(inputs.get(b));
                assertEquals(expected.updated.get(b), batchRows(out.updated(), b), "updateStateByKey batch " + b);
                assertEquals(expected.mapped.get(b), batchRows(out.mapped(), b), "mapWithState batch " + b);
                assertEquals(expected.snapshots.get(b), batchRows(out.snapshots(), b), "stateSnapshots batch " + b);
            }
        }
    }

    @Test
    void nullKeyFailsTheBatchWithAClearErrorAndLeaksNothing() throws Exception {
        final StreamHarness h = new StreamHarness();
        define(h);
        h.start();
        h.batch(StreamHarness.rows(new Object[] {"a", 1L}));
        final AssertionError batch = assertThrows(AssertionError.class, () -> h.batch(StreamHarness.rows(new Object[] {null, 1L})));
        assertTrue(batch.getMessage().contains("key column 'k' is null at row 0"), batch.getMessage());
        final StreamingJobException stop = assertThrows(StreamingJobException.class, h::close);
        assertTrue(stop.getMessage().contains("keyed state does not accept null keys"), stop.getMessage());
        assertEquals(List.of(), StreamHarness.sluiceThreads());
        assertEquals(0, h.allocator.bytesOutstanding(), "state and batches freed after a failed batch");
        h.allocator.close();
    }
}
