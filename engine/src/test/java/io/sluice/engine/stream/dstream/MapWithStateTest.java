package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;

import io.sluice.engine.stream.KeyedRows;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.state.MapWithState;
import io.sluice.engine.stream.state.State;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapWithStateTest {
    static final Field VALUE = Field.nullable("v", ColumnType.INT64);
    static final Schema STATE = Schema.of(Field.notNull("count", ColumnType.INT64), Field.nullable("last", ColumnType.INT64));

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void zeroOffHeapBytes() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
        allocator.close();
    }

    static Schema mappedSchema(final KeyedRows shape) {
        final List<Field> fields = new ArrayList<>(shape.keySchema().fields());
        fields.add(Field.notNull("kind", ColumnType.UTF8));
        fields.add(Field.notNull("n", ColumnType.INT64));
        return new Schema(fields);
    }

    private static Object[] out(final Object[] key, final String kind, final long n) {
        final Object[] row = Arrays.copyOf(key, key.length + 2);
        row[key.length] = kind;
        row[key.length + 1] = n;
        return row;
    }

    /**
     * The mapping function both sides use: a timing-out key reports its count; a null value removes the key; a value
     * divisible by 4 only reads the state; any other value counts (and emits nothing when divisible by 3).
     */
    static Object[] map(final Object[] key, final Optional<Object[]> value, final State state) {
        if (state.isTimingOut()) {
            assertFalse(value.isPresent());
            return out(key, "timeout", (Long) state.get()[0]);
        }
        final Long v = (Long) value.orElseThrow()[0];
        if (v == null) {
            if (state.exists()) {
                state.remove();
            }
            return out(key, "removed", -1);
        }
        if (v % 4 == 0) {
            return out(key, "peek", state.exists() ? (Long) state.get()[0] : -1);
        }
        final long count = (state.exists() ? (Long) state.get()[0] : 0) + 1;
        state.update(new Object[] {count, v});
        return v % 3 == 0 ? null : out(key, "count", count);
    }

    /** Reference entry: state row and the batch time it was last updated. */
    static final class Entry {
        Object[] state;
        long updated;

        Entry(final Object[] state, final long updated) {
            this.state = state;
            this.updated = updated;
        }
    }

    /** Plain-Java State over a reference map entry. */
    private static final class RefState implements State {
        private final Map<List<Object>, Entry> map;
        private final List<Object> key;
        private final boolean timingOut;
        private boolean updated;
        private boolean removed;

        RefState(final Map<List<Object>, Entry> map, final List<Object> key, final boolean timingOut) {
            this.map = map;
            this.key = key;
            this.timingOut = timingOut;
        }

        @Override
        public boolean exists() {
            return !removed && (updated || map.containsKey(key));
        }

        @Override
        public Object[] get() {
            if (!exists()) {
                throw new NoSuchElementException();
            }
            return map.get(key).state.clone();
        }

        @Override
        public void update(final Object[] state) {
            map.put(key, new Entry(state, -1));
            updated = true;
            removed = false;
        }

        @Override
        public void remove() {
            map.remove(key);
            removed = true;
            updated = false;
        }

        @Override
        public boolean isTimingOut() {
            return timingOut;
        }
    }

    /** Plain-Java mapWithState over one batch (Spark's MapWithStateRDDRecord); returns the mapped rows. */
    static List<Object[]> reference(final Map<List<Object>, Entry> state, final List<Object[]> rows, final int keys, final long time,
                                    final long timeout) {
        final List<Object[]> mapped = new ArrayList<>();
        for (final Object[] row : rows) {
            final List<Object> key = Arrays.asList(Arrays.copyOf(row, keys));
            final RefState s = new RefState(state, key, false);
            final Object[] m = map(key.toArray(), Optional.of(Arrays.copyOfRange(row, keys, row.length)), s);
            if (m != null) {
                mapped.add(m);
            }
            if (s.updated || (!s.removed && timeout > 0 && state.containsKey(key))) {
                state.get(key).updated = time;
            }
        }
        if (timeout > 0) {
            for (final Iterator<Map.Entry<List<Object>, Entry>> it = state.entrySet().iterator(); it.hasNext();) {
                final Map.Entry<List<Object>, Entry> e = it.next();
                if (e.getValue().updated < time - timeout) {
                    mapped.add(map(e.getKey().toArray(), Optional.empty(), new RefState(state, e.getKey(), true)));
                    it.remove();
                }
            }
        }
        return mapped;
    }

    static Map<List<Object>, Object[]> stateOf(final Map<List<Object>, Entry> state) {
        final Map<List<Object>, Object[]> out = new HashMap<>();
        state.forEach((k, e) -> out.put(k, e.state));
        return out;
    }

    static List<Object[]> randomRows(final Random random, final KeyedRows shape, final long time) {
        final List<Object[]> rows = new ArrayList<>();
        // Quiet stretches let keys time out; the key range drifts so keys appear and disappear.
        final int n = time % 1000 >= 600 ? 0 : random.nextInt(30);
        final int distinct = 4 + (int) (time / 100 % 20);
        for (int i = 0; i < n; i++) {
            rows.add(KeyedRows.concat(shape.randomKey(random, distinct), random.nextInt(10) == 0 ? null : (long) random.nextInt(30)));
        }
        return rows;
    }

    @Test
    void matchesPlainJavaReferenceWithAndWithoutTimeoutForEveryKeyShape() {
        for (final long timeout : new long[] {0, 250, 100}) {
            for (final KeyedRows shape : KeyedRows.values()) {
                for (int seed = 0; seed < 12; seed++) {
                    run(shape, seed, timeout);
                }
            }
        }
    }

    private void run(final KeyedRows shape, final int seed, final long timeout) {
        final Random random = new Random(seed * 131L + shape.ordinal() + timeout);
        final Schema input = shape.inputSchema(VALUE);
        final int keys = shape.keySchema().fieldCount();
        final StateSpec base = StateSpec.function(MapWithStateTest::map, STATE, mappedSchema(shape));
        final Map<List<Object>, Entry> expected = new HashMap<>();
        try (MapWithState op = new MapWithState("m", allocator, input, shape.keyNames(), timeout > 0 ? base.timeout(timeout) : base)) {
            for (long time = 100; time <= 3000; time += 100) {
                final List<Object[]> rows = randomRows(random, shape, time);
                final List<Object[]> expectedOut = reference(expected, rows, keys, time, timeout);
                final String at = shape + " seed=" + seed + " timeout=" + timeout + " time=" + time;
                try (Batch in = KeyedRows.batch(allocator, input, rows); Batch out = op.apply(time, in)) {
                    assertEquals(DStreamOperatorsTest.sorted(expectedOut), DStreamOperatorsTest.sorted(KeyedRows.rows(out)), at);
                }
                try (Batch snapshot = op.stateSnapshot()) {
                    UpdateStateByKeyTest.assertSameState(stateOf(expected), UpdateStateByKeyTest.asMap(KeyedRows.rows(snapshot), keys), at);
                }
            }
        }
    }

    @Test
    void idleKeyTimesOutOnceAfterMoreThanTheTimeout() {
        final KeyedRows shape = KeyedRows.TEXT_KEY;
        final Schema input = shape.inputSchema(VALUE);
        final List<String> timedOut = new ArrayList<>();
        final StateSpec spec = StateSpec.function((key, value, state) -> {
            if (state.isTimingOut()) {
                timedOut.add(key[0] + "@" + state.get()[0]);
                assertThrows(IllegalStateException.class, () -> state.update(new Object[] {0L, null}));
                assertThrows(IllegalStateException.class, state::remove);
            } else {
                state.update(new Object[] {(Long) value.orElseThrow()[0], null});
            }
            return null;
        }, STATE, mappedSchema(shape)).timeout(300);
        try (MapWithState op = new MapWithState("m", allocator, input, shape.keyNames(), spec)) {
            final List<String> seen = new ArrayList<>();
            for (long time = 100; time <= 900; time += 100) {
                final List<Object[]> rows = time == 100 ? StreamHarness.rows(new Object[] {"ключ", 1L}, new Object[] {"🔑", 2L})
                    : time == 300 ? StreamHarness.rows(new Object[] {"🔑", 3L}) : List.of();
                try (Batch in = KeyedRows.batch(allocator, input, rows)) {
                    op.apply(time, in).release();
                }
                seen.add(time + ":" + timedOut);
                timedOut.clear();
            }
            // Updated at 100: idle 300 at 400 (not more than the timeout), times out at 500. Updated at 300: at 700.
            assertEquals(List.of("100:[]", "200:[]", "300:[]", "400:[]", "500:[ключ@1]", "600:[]", "700:[🔑@3]", "800:[]", "900:[]"),
                seen);
            assertEquals(0, op.store().size());
        }
    }

    @Test
    void stateRulesFollowSpark() {
        final KeyedRows shape = KeyedRows.LONG_KEY;
        final Schema input = shape.inputSchema(VALUE);
        final List<String> log = new ArrayList<>();
        final StateSpec spec = StateSpec.function((key, value, state) -> {
            if (!state.exists()) {
                assertThrows(NoSuchElementException.class, state::get);
                assertEquals(Optional.empty(), state.getOption());
                state.update(new Object[] {1L, null});
                log.add("new");
            } else {
                state.remove();
                assertFalse(state.exists());
                final IllegalStateException twice = assertThrows(IllegalStateException.class, state::remove);
                assertEquals("state of key=[5] already removed", twice.getMessage());
                assertThrows(IllegalStateException.class, () -> state.update(new Object[] {2L, null}));
                log.add("removed");
            }
            return null;
        }, STATE, mappedSchema(shape));
        try (MapWithState op = new MapWithState("m", allocator, input, shape.keyNames(), spec);
             Batch in = KeyedRows.batch(allocator, input, StreamHarness.rows(new Object[] {5L, 1L}, new Object[] {5L, 1L},
                 new Object[] {5L, 1L}))) {
            op.apply(100, in).release();
            assertEquals(List.of("new", "removed", "new"), log, "a key's second row sees the state its first row left");
            assertEquals(1, op.store().size());
        }
        assertThrows(IllegalArgumentException.class, () -> StateSpec.function(MapWithStateTest::map, STATE, STATE).timeout(0));
    }

    @Test
    void badMappedRowIsRejectedAndStateLeftAsBefore() {
        final KeyedRows shape = KeyedRows.LONG_KEY;
        final Schema input = shape.inputSchema(VALUE);
        final StateSpec spec = StateSpec.function((key, value, state) -> {
            state.update(new Object[] {1L, null});
            return new Object[] {key[0], "x"};
        }, STATE, mappedSchema(shape));
        try (MapWithState op = new MapWithState("m", allocator, input, shape.keyNames(), spec);
             Batch in = KeyedRows.batch(allocator, input, StreamHarness.rows(new Object[] {5L, 1L}))) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> op.apply(100, in));
            assertEquals("mapWithState 'm' mapped row of key=[5] has 2 values, schema has 3 fields " + mappedSchema(shape),
                ex.getMessage());
            assertEquals(0, op.store().size());
            assertEquals(Long.MIN_VALUE, op.store().lastBatchTime());
        }
    }

    @Test
    void restoredOperatorSkipsReplayedBatchesAndTimesOutLikeTheOriginal() throws Exception {
        final KeyedRows shape = KeyedRows.TEXT_KEY;
        final Schema input = shape.inputSchema(VALUE);
        final StateSpec spec = StateSpec.function(MapWithStateTest::map, STATE, mappedSchema(shape)).timeout(200);
        final Random random = new Random(5);
        final List<List<Object[]>> batches = new ArrayList<>();
        for (int b = 0; b < 30; b++) {
            batches.add(randomRows(random, shape, 100L * (b + 1)));
        }
        try (MapWithState original = new MapWithState("m", allocator, input, shape.keyNames(), spec);
             MapWithState restored = new MapWithState("m", allocator, input, shape.keyNames(), spec)) {
            for (int b = 0; b < 15; b++) {
                try (Batch in = KeyedRows.batch(allocator, input, batches.get(b))) {
                    original.apply(100L * (b + 1), in).release();
                }
            }
            original.snapshot(1500, dir);
            restored.restore(1500, dir);
            try (Batch in = KeyedRows.batch(allocator, input, batches.get(3)); Batch out = restored.apply(1500, in)) {
                assertEquals(0, out.rowCount(), "a replayed batch time is skipped");
            }
            for (int b = 15; b < 30; b++) {
                try (Batch in = KeyedRows.batch(allocator, input, batches.get(b)); Batch a = original.apply(100L * (b + 1), in);
                     Batch c = restored.apply(100L * (b + 1), in)) {
                    assertEquals(DStreamOperatorsTest.sorted(KeyedRows.rows(a)), DStreamOperatorsTest.sorted(KeyedRows.rows(c)));
                }
            }
        }
    }
}
