package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.sluice.engine.stream.KeyedRows;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.state.UpdateStateByKey;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateStateByKeyTest {
    static final Field VALUE = Field.nullable("v", ColumnType.INT64);
    static final Schema STATE = Schema.of(Field.notNull("count", ColumnType.INT64), Field.notNull("sum", ColumnType.INT64),
        Field.nullable("last", ColumnType.UTF8));

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void zeroOffHeapBytes() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
        allocator.close();
    }

    /**
     * The update function both sides use: counts and sums values; a key without values this batch and an even count
     * disappears, as does a key whose sum becomes a multiple of 5.
     */
    static Optional<Object[]> update(final List<Object[]> values, final Optional<Object[]> previous) {
        long count = previous.map(p -> (Long) p[0]).orElse(0L);
        long sum = previous.map(p -> (Long) p[1]).orElse(0L);
        String last = previous.map(p -> (String) p[2]).orElse(null);
        if (values.isEmpty() && count % 2 == 0) {
            return Optional.empty();
        }
        for (final Object[] v : values) {
            count++;
            if (v[0] != null) {
                sum += (Long) v[0];
                last = "ü" + v[0];
            }
        }
        if (!values.isEmpty() && sum % 5 == 0) {
            return Optional.empty();
        }
        return Optional.of(new Object[] {count, sum, last});
    }

    /** Plain-Java updateStateByKey over one batch: every key with state or values gets one call. */
    static void reference(final Map<List<Object>, Object[]> state, final List<Object[]> rows, final int keys) {
        final Map<List<Object>, List<Object[]>> grouped = new LinkedHashMap<>();
        for (final Object[] row : rows) {
            grouped.computeIfAbsent(Arrays.asList(Arrays.copyOf(row, keys)), k -> new ArrayList<>())
                .add(Arrays.copyOfRange(row, keys, row.length));
        }
        final Set<List<Object>> all = new LinkedHashSet<>(state.keySet());
        all.addAll(grouped.keySet());
        for (final List<Object> key : all) {
            final Optional<Object[]> next = update(grouped.getOrDefault(key, List.of()), Optional.ofNullable(state.get(key)));
            if (next.isPresent()) {
                state.put(key, next.get());
            } else {
                state.remove(key);
            }
        }
    }

    static Map<List<Object>, Object[]> asMap(final List<Object[]> rows, final int keys) {
        final Map<List<Object>, Object[]> out = new HashMap<>();
        for (final Object[] row : rows) {
            assertNull(out.put(Arrays.asList(Arrays.copyOf(row, keys)), Arrays.copyOfRange(row, keys, row.length)),
                "duplicate key in " + Arrays.toString(row));
        }
        return out;
    }

    static void assertSameState(final Map<List<Object>, Object[]> expected, final Map<List<Object>, Object[]> actual, final String at) {
        assertEquals(expected.keySet(), actual.keySet(), at);
        for (final Map.Entry<List<Object>, Object[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), at + " key=" + e.getKey());
        }
    }

    static List<Object[]> randomRows(final Random random, final KeyedRows shape, final long time) {
        final List<Object[]> rows = new ArrayList<>();
        final int n = random.nextInt(5) == 0 ? 0 : random.nextInt(40);
        // The key range drifts with time so keys appear and disappear.
        final int distinct = 5 + (int) (time / 100 % 30);
        for (int i = 0; i < n; i++) {
            rows.add(KeyedRows.concat(shape.randomKey(random, distinct), random.nextInt(8) == 0 ? null : (long) random.nextInt(20)));
        }
        return rows;
    }

    @Test
    void matchesPlainJavaReferenceOverRandomBatchesForEveryKeyShape() {
        for (final KeyedRows shape : KeyedRows.values()) {
            for (int seed = 0; seed < 20; seed++) {
                final Random random = new Random(seed * 31L + shape.ordinal());
                final Schema input = shape.inputSchema(VALUE);
                final int keys = shape.keySchema().fieldCount();
                final Map<List<Object>, Object[]> expected = new HashMap<>();
                final int[] calls = new int[1];
                try (UpdateStateByKey op = new UpdateStateByKey("u", allocator, input, shape.keyNames(), STATE, (key, values, prev) -> {
                    calls[0]++;
                    return update(values, prev);
                })) {
                    assertEquals(shape.inputSchema(STATE.fields().toArray(new Field[0])).fieldCount(), op.outputSchema().fieldCount());
                    for (long time = 100; time <= 4000; time += 100) {
                        final List<Object[]> rows = randomRows(random, shape, time);
                        final Set<List<Object>> expectedCalls = new LinkedHashSet<>(expected.keySet());
                        for (final Object[] row : rows) {
                            expectedCalls.add(Arrays.asList(Arrays.copyOf(row, keys)));
                        }
                        reference(expected, rows, keys);
                        calls[0] = 0;
                        try (Batch in = KeyedRows.batch(allocator, input, rows); Batch out = op.apply(time, in)) {
                            assertEquals(op.outputSchema(), out.schema());
                            assertSameState(expected, asMap(KeyedRows.rows(out), keys), shape + " seed=" + seed + " time=" + time);
                        }
                        assertEquals(expectedCalls.size(), calls[0], "one call per key with state or values");
                    }
                }
            }
        }
    }

    @Test
    void functionFailureLeavesStateAsBeforeTheBatch() {
        final Schema input = KeyedRows.LONG_KEY.inputSchema(VALUE);
        final boolean[] fail = {false};
        try (UpdateStateByKey op = new UpdateStateByKey("u", allocator, input, List.of("k"), STATE, (key, values, prev) -> {
            if (fail[0] && (Long) key[0] == 2L) {
                throw new IllegalStateException("boom");
            }
            return Optional.of(new Object[] {prev.map(p -> (Long) p[0]).orElse(0L) + 1, 0L, null});
        })) {
            try (Batch in = KeyedRows.batch(allocator, input, StreamHarness.rows(new Object[] {1L, 1L}, new Object[] {2L, 2L}));
                 Batch out = op.apply(100, in)) {
                assertEquals(2, out.rowCount());
            }
            fail[0] = true;
            try (Batch in = KeyedRows.batch(allocator, input, StreamHarness.rows(new Object[] {3L, 1L}))) {
                assertThrows(IllegalStateException.class, () -> op.apply(200, in));
            }
            try (Batch state = op.store().keysAndState()) {
                assertEquals(2, state.rowCount(), "key 3 not added, keys 1 and 2 unchanged");
                assertEquals(1L, state.int64Vector(1).get(0));
            }
        }
    }

    @Test
    void nullResultAndBadSchemaAreRejectedWithClearMessages() {
        final Schema input = KeyedRows.LONG_KEY.inputSchema(VALUE);
        try (UpdateStateByKey op = new UpdateStateByKey("u", allocator, input, List.of("k"), STATE, (key, values, prev) -> null)) {
            try (Batch in = KeyedRows.batch(allocator, input, StreamHarness.rows(new Object[] {7L, 1L}))) {
                final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> op.apply(100, in));
                assertEquals("updateStateByKey 'u': function returned null for key=[7]; return Optional.empty() to remove the key",
                    ex.getMessage());
            }
            final Schema other = KeyedRows.INT_KEY.inputSchema(VALUE);
            try (Batch in = KeyedRows.batch(allocator, other, StreamHarness.rows(new Object[] {7, 1L}))) {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> op.apply(200, in));
                assertTrue(ex.getMessage().startsWith("updateStateByKey 'u': batch schema"), ex.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new UpdateStateByKey("u", allocator, input, List.of("nope"), STATE,
            (key, values, prev) -> prev));
        assertThrows(IllegalArgumentException.class, () -> new UpdateStateByKey("u", allocator, input, List.of(), STATE,
            (key, values, prev) -> prev));
    }

    /** A restored operator skips batch times up to the snapshot and then continues exactly like the original. */
    @Test
    void restoredOperatorSkipsReplayedBatchesAndContinuesLikeTheOriginal() throws Exception {
        final KeyedRows shape = KeyedRows.INT_AND_TEXT_KEY;
        final Schema input = shape.inputSchema(VALUE);
        final int keys = shape.keySchema().fieldCount();
        final Random random = new Random(11);
        final List<List<Object[]>> batches = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            batches.add(randomRows(random, shape, 100L * (b + 1)));
        }
        try (UpdateStateByKey original = new UpdateStateByKey("u", allocator, input, shape.keyNames(), STATE,
                 (key, values, prev) -> update(values, prev));
             UpdateStateByKey restored = new UpdateStateByKey("u", allocator, input, shape.keyNames(), STATE,
                 (key, values, prev) -> update(values, prev))) {
            for (int b = 0; b < 10; b++) {
                try (Batch in = KeyedRows.batch(allocator, input, batches.get(b))) {
                    original.apply(100L * (b + 1), in).release();
                }
            }
            original.snapshot(1000, dir);
            restored.restore(1000, dir);
            // A replayed batch at or before the snapshot changes nothing and yields the restored state.
            try (Batch junk = KeyedRows.batch(allocator, input, batches.get(15)); Batch out = restored.apply(900, junk);
                 Batch state = original.store().keysAndState()) {
                assertSameState(asMap(KeyedRows.rows(state), keys), asMap(KeyedRows.rows(out), keys), "replayed");
            }
            for (int b = 10; b < 20; b++) {
                try (Batch in = KeyedRows.batch(allocator, input, batches.get(b)); Batch a = original.apply(100L * (b + 1), in);
                     Batch c = restored.apply(100L * (b + 1), in)) {
                    assertSameState(asMap(KeyedRows.rows(a), keys), asMap(KeyedRows.rows(c), keys), "batch " + b);
                }
            }
        }
    }
}
