package io.sluice.engine.stream.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The many-column primitive keyed state against plain-Java models: in-place folds through growth and rehash, emitted
 * rows, deferred rows of a join, eviction, snapshot and restore (deferred rows included), and bad input.
 */
class LongColumnsStateTest {
    private static final Schema INPUT = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("a", ColumnType.INT64),
        Field.notNull("b", ColumnType.INT64));
    /** count, sum, max of column a per key; emits (key, sum) when a row's value is a multiple of 5. */
    private static final LongColumnsSpec STATS = LongColumnsSpec.of(List.of("count", "sum", "max"), List.of("key", "sum"),
        row -> {
            final long v = row.value(0);
            row.state(0, row.state(0) + 1);
            row.state(1, row.state(1) + v);
            row.state(2, row.isNew() ? v : Math.max(row.state(2), v));
            if (v % 5 != 0) {
                return LongColumnsFold.KEEP;
            }
            row.out(0, row.key());
            row.out(1, row.state(1));
            return LongColumnsFold.EMIT;
        });
    private static final LongColumnsSpec JOIN = LongColumnsJoin.SPEC;

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private Batch batch(final long[] keys, final long[] a, final long[] b) {
        try (BatchBuilder builder = new BatchBuilder(allocator, INPUT, Math.max(1, keys.length))) {
            builder.appendInt64Column(0, keys).appendInt64Column(1, a).appendInt64Column(2, b);
            return builder.build();
        }
    }

    private static List<List<Long>> rows(final List<Batch> batches) {
        final List<List<Long>> out = new ArrayList<>();
        for (final Batch batch : batches) {
            assertTrue(batch.rowCount() > 0, "no empty output batch");
            for (int r = 0; r < batch.rowCount(); r++) {
                final List<Long> row = new ArrayList<>();
                for (int c = 0; c < batch.columnCount(); c++) {
                    row.add(batch.int64Vector(c).get(r));
                }
                out.add(row);
            }
        }
        Batch.releaseAll(batches);
        return out;
    }

    /** One random batch of {@code parts} partitions through the STATS state and the reference; checks the emitted rows. */
    private void statsStep(final LongColumnsState state, final Map<Long, long[]> reference, final Random random,
                           final long time, final int rows, final int keyRange, final int parts) {
        final List<Batch> inputs = new ArrayList<>();
        final List<List<Long>> want = new ArrayList<>();
        try {
            for (int p = 0; p < parts; p++) {
                final long[] keys = new long[rows];
                final long[] a = new long[rows];
                for (int r = 0; r < rows; r++) {
                    keys[r] = (random.nextInt(keyRange) - keyRange / 2) * 0x1_0000_0001L;
                    a[r] = random.nextInt(1000) - 500;
                    final long[] s = reference.computeIfAbsent(keys[r], k -> new long[] {0, 0, Long.MIN_VALUE});
                    s[0]++;
                    s[1] += a[r];
                    s[2] = Math.max(s[2], a[r]);
                    if (a[r] % 5 == 0) {
                        want.add(List.of(keys[r], s[1]));
                    }
                }
                inputs.add(batch(keys, a, new long[rows]));
            }
            assertEquals(want, rows(state.update(time, inputs, 0, 1)), "emitted rows at time " + time);
        } finally {
            Batch.releaseAll(inputs);
        }
    }

    private static void assertHolds(final LongColumnsState state, final Map<Long, long[]> reference) {
        assertEquals(reference.size(), state.size());
        for (final Map.Entry<Long, long[]> e : reference.entrySet()) {
            for (int c = 0; c < 3; c++) {
                assertEquals(e.getValue()[c], state.get(e.getKey(), c, -1), "key " + e.getKey() + " column " + c);
            }
        }
    }

    @Test
    void foldsSeveralColumnsInPlaceThroughGrowthAndRehashLikeAHashMap() {
        final Map<Long, long[]> reference = new HashMap<>();
        final Random random = new Random(3);
        try (LongColumnsState state = new LongColumnsState("stats", allocator, 1, STATS)) {
            for (int b = 1; b <= 30; b++) {
                statsStep(state, reference, random, b, 1500, 20_000, 1 + b % 3);
            }
            assertTrue(state.capacity() >= 16_384, "the table grew from 1024 slots: capacity=" + state.capacity());
            assertHolds(state, reference);
            try (Batch all = state.stateSnapshot()) {
                assertEquals(Schema.of(Field.notNull("key", ColumnType.INT64), Field.notNull("count", ColumnType.INT64),
                    Field.notNull("sum", ColumnType.INT64), Field.notNull("max", ColumnType.INT64)), all.schema());
                assertEquals(reference.size(), all.rowCount());
                for (int r = 0; r < all.rowCount(); r++) {
                    final long[] want = reference.get(all.int64Vector(0).get(r));
                    assertEquals(want[1], all.int64Vector(2).get(r));
                }
            }
        }
    }

    /** The join against a model that holds unmatched items until their header: same rows out, same rows waiting. */
    @Test
    void deferredRowsWaitForTheirKeyAcrossBatchesAndPartitions() {
        final Random random = new Random(17);
        final Map<Long, long[]> headers = new HashMap<>();
        final List<long[]> waiting = new ArrayList<>();
        try (LongColumnsState state = new LongColumnsState("join", allocator, 2, JOIN)) {
            for (int b = 1; b <= 25; b++) {
                final List<Batch> inputs = new ArrayList<>();
                final List<long[]> batchRows = new ArrayList<>();
                try {
                    for (int p = 0; p < 2; p++) {
                        final int n = random.nextInt(200);
                        final long[] keys = new long[n];
                        final long[] a = new long[n];
                        final long[] kind = new long[n];
                        for (int r = 0; r < n; r++) {
                            keys[r] = random.nextInt(300);
                            a[r] = random.nextInt(1_000_000);
                            kind[r] = random.nextInt(10) == 0 ? 0 : 1;
                            batchRows.add(new long[] {keys[r], a[r], kind[r]});
                        }
                        inputs.add(batch(keys, a, kind));
                    }
                    // The model: rows in order, unmatched items wait; then the waiting ones (older first) once more.
                    final List<List<Long>> want = new ArrayList<>();
                    final List<long[]> deferredNow = new ArrayList<>();
                    for (final long[] row : batchRows) {
                        joinModel(row, headers, want, deferredNow);
                    }
                    final List<long[]> retry = new ArrayList<>(waiting);
                    retry.addAll(deferredNow);
                    waiting.clear();
                    for (final long[] row : retry) {
                        joinModel(row, headers, want, waiting);
                    }
                    final List<List<Long>> got = rows(state.update(b, inputs, 0, 1, 2));
                    assertEquals(sorted(want), sorted(got), "batch " + b);
                    assertEquals(waiting.size(), state.deferredRows(), "rows waiting after batch " + b);
                } finally {
                    Batch.releaseAll(inputs);
                }
            }
            assertTrue(state.size() > 0 && state.size() == headers.size(), "only headers enter keys");
        }
    }

    private static void joinModel(final long[] row, final Map<Long, long[]> headers, final List<List<Long>> out,
                                  final List<long[]> waiting) {
        if (row[2] == 0) {
            headers.computeIfAbsent(row[0], k -> new long[2])[0] = row[1];
            return;
        }
        final long[] h = headers.get(row[0]);
        if (h == null) {
            waiting.add(row);
            return;
        }
        h[1]++;
        out.add(List.of(row[0], row[1], h[0]));
    }

    private static List<String> sorted(final List<List<Long>> rows) {
        return rows.stream().map(Object::toString).sorted().toList();
    }

    @Test
    void snapshotAfterInPlaceUpdatesRestoresKeysUpdateTimesAndDeferredRows() throws IOException {
        try (LongColumnsState state = new LongColumnsState("join", allocator, 2, JOIN)) {
            try (Batch b1 = batch(new long[] {1, 2, 1, 3, 3}, new long[] {10, 20, 11, 30, 31}, new long[] {0, 0, 1, 1, 1})) {
                assertEquals(List.of(List.of(1L, 11L, 10L)), rows(state.update(10, List.of(b1), 0, 1, 2)));
            }
            try (Batch b2 = batch(new long[] {2, 1}, new long[] {21, 12}, new long[] {1, 1})) {
                assertEquals(List.of(List.of(2L, 21L, 20L), List.of(1L, 12L, 10L)), rows(state.update(20, List.of(b2), 0, 1, 2)));
            }
            assertEquals(2, state.deferredRows(), "key 3's items wait");
            state.snapshot(20, dir);
            try (LongColumnsState restored = new LongColumnsState("join", allocator, 2, JOIN)) {
                restored.restore(20, dir);
                assertEquals(20, restored.lastBatchTime());
                assertEquals(2, restored.size());
                assertEquals(2, restored.get(1, 1, -1), "key 1's item count, updated in place twice");
                assertEquals(2, restored.deferredRows());
                try (Batch b3 = batch(new long[] {3}, new long[] {300}, new long[] {0})) {
                    assertEquals(List.of(List.of(3L, 30L, 300L), List.of(3L, 31L, 300L)),
                        rows(restored.update(30, List.of(b3), 0, 1, 2)), "the restored deferred rows meet their header");
                }
                assertEquals(0, restored.deferredRows());
                // The update times came back too: key 2 (updated at 20) and key 1 (20) go before 25, key 3 (30) stays.
                assertEquals(2, restored.evictUpdatedBefore(25));
                assertEquals(-1, restored.get(1, 0, -1));
                assertEquals(300, restored.get(3, 0, -1));
            }
        }
    }

    @Test
    void idleKeysAndOldDeferredRowsAreEvicted() {
        try (LongColumnsState state = new LongColumnsState("join", allocator, 2, JOIN.timeout(15))) {
            try (Batch b1 = batch(new long[] {1, 9}, new long[] {10, 90}, new long[] {0, 1})) {
                rows(state.update(10, List.of(b1), 0, 1, 2));
            }
            state.evictUpdatedBefore(10 - 15);
            try (Batch b2 = batch(new long[] {2, 8}, new long[] {20, 80}, new long[] {0, 1})) {
                rows(state.update(20, List.of(b2), 0, 1, 2));
            }
            assertEquals(2, state.deferredRows());
            assertEquals(1, state.evictUpdatedBefore(15), "key 1 (updated at 10) is idle");
            assertEquals(1, state.deferredRows(), "the row deferred at 10 is dropped, the one of 20 waits");
            assertEquals(-1, state.get(1, 0, -1));
            assertEquals(20, state.get(2, 0, -1));
            try (Batch b3 = batch(new long[] {8, 9}, new long[] {800, 900}, new long[] {0, 0})) {
                assertEquals(List.of(List.of(8L, 80L, 800L)), rows(state.update(30, List.of(b3), 0, 1, 2)),
                    "key 8's item met its header; key 9's was dropped");
            }
        }
    }

    @Test
    void tooManyDeferredRowsFailNamingTheLimit() {
        try (LongColumnsState state = new LongColumnsState("join", allocator, 2, JOIN.maxDeferredRows(2));
             Batch b = batch(new long[] {1, 2, 3}, new long[] {1, 2, 3}, new long[] {1, 1, 1})) {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> state.update(1, List.of(b), 0, 1, 2));
            assertTrue(ex.getMessage().contains("deferred rows=3 exceed maxDeferredRows=2"), ex.getMessage());
        }
    }

    @Test
    void badFoldsThrowNamingWhatWasWrongAndLeaveNoNewKey() {
        final LongColumnsRow[] kept = new LongColumnsRow[1];
        final LongColumnsState[] self = new LongColumnsState[1];
        final LongColumnsSpec checks = LongColumnsSpec.of(List.of("s"), List.of("x", "y"), row -> {
            kept[0] = row;
            switch ((int) row.value(0)) {
                case 1:
                    row.out(0, 1);
                    return LongColumnsFold.EMIT; // y not written
                case 2:
                    return 7;
                case 3:
                    return (int) row.state(1); // no state column 1
                case 4:
                    self[0].close();
                    return LongColumnsFold.KEEP;
                case 5:
                    throw new IllegalArgumentException("bad value=5");
                case 6:
                    try {
                        self[0].restore(0, dir);
                    } catch (final IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    return LongColumnsFold.KEEP;
                default:
                    row.state(0, row.state(0) + row.value(0));
                    return LongColumnsFold.KEEP;
            }
        });
        try (LongColumnsState state = new LongColumnsState("checks", allocator, 1, checks)) {
            self[0] = state;
            final Map<Long, String> failures = new TreeMap<>();
            for (long v = 1; v <= 6; v++) {
                try (Batch b = batch(new long[] {100, v}, new long[] {10, v}, new long[] {0, 0})) {
                    final long value = v;
                    failures.put(v, assertThrows(RuntimeException.class, () -> state.update(value, List.of(b), 0, 1)).getMessage());
                }
                assertEquals(1, state.size(), "only key 100 is held: the failing row's new key left no trace");
                assertEquals(10 * v, state.get(100, 0, -1), "the row before the failure stays applied");
            }
            assertEquals("long columns state 'checks': the fold emitted a row for key=1 without output column 'y'", failures.get(1L));
            assertTrue(failures.get(2L).contains("returned code=7 for key=2"), failures.get(2L));
            assertTrue(failures.get(3L).contains("out of bounds for length 1"), failures.get(3L));
            assertTrue(failures.get(4L).contains("cannot be closed from inside its own fold function"), failures.get(4L));
            assertEquals("bad value=5", failures.get(5L));
            assertTrue(failures.get(6L).contains("cannot be changed from inside its own fold function"), failures.get(6L));
            final IllegalStateException outside = assertThrows(IllegalStateException.class, () -> kept[0].value(0));
            assertTrue(outside.getMessage().contains("a row cursor used outside its fold call"), outside.getMessage());
        }
    }

    @Test
    void badInputsThrowNamingTheInputBeforeAnyRowIsFolded() {
        final LongColumnsSpec sum = LongColumnsSpec.of(List.of("s"), List.of("x"), row -> {
            row.state(0, row.state(0) + row.value(0));
            return LongColumnsFold.KEEP;
        });
        try (LongColumnsState state = new LongColumnsState("checks", allocator, 1, sum)) {
            try (Batch b = batch(new long[] {100}, new long[] {10}, new long[] {0})) {
                rows(state.update(5, List.of(b), 0, 1));
            }
            try (Batch b = batch(new long[] {1}, new long[] {1}, new long[] {1})) {
                final IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> state.update(100, List.of(b), 0, 1, 2));
                assertTrue(count.getMessage().contains("valueColumns=[1, 2] but the state folds values=1"), count.getMessage());
                assertTrue(assertThrows(IllegalArgumentException.class, () -> state.update(5, List.of(b), 0, 1)).getMessage()
                    .contains("batchTime=5 must be after the last batchTime=5"));
            }
            final Schema nullable = Schema.of(Field.nullable("k", ColumnType.INT64), Field.notNull("a", ColumnType.INT64));
            try (BatchBuilder builder = new BatchBuilder(allocator, nullable, 1)) {
                builder.setNull(0).setInt64(1, 1).endRow();
                try (Batch bad = builder.build(); Batch good = batch(new long[] {7}, new long[] {7}, new long[] {0})) {
                    final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> state.update(100, List.of(good, bad), 0, 1));
                    assertTrue(ex.getMessage().contains("must not hold nulls (input batch index=1)"), ex.getMessage());
                }
            }
            assertEquals(1, state.size(), "nothing folded from a batch time with a null");
        }
    }

    @Test
    void specsAndStatesRejectBadShapes() {
        final LongColumnsFold keep = row -> LongColumnsFold.KEEP;
        assertThrows(IllegalArgumentException.class, () -> LongColumnsSpec.of(List.of(), List.of("x"), keep));
        assertThrows(IllegalArgumentException.class, () -> LongColumnsSpec.of(List.of("s"), List.of(), keep));
        final List<String> many = IntStream.rangeClosed(0, LongStateTable.MAX_COLUMNS).mapToObj(i -> "c" + i).toList();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LongColumnsSpec.of(many, List.of("x"), keep)).getMessage()
            .contains("state columns=30 exceed 29"));
        assertThrows(IllegalArgumentException.class, () -> LongColumnsSpec.of(List.of("s"), List.of("x"), keep).timeout(0));
        assertThrows(IllegalArgumentException.class, () -> new LongColumnsState("s", allocator, 0,
            LongColumnsSpec.of(List.of("s"), List.of("x"), keep)));
    }

    @Test
    void restoringAMissingOrCorruptSnapshotThrowsAndLeavesTheStateEmpty() throws IOException {
        try (LongColumnsState state = new LongColumnsState("join", allocator, 2, JOIN)) {
            final CheckpointException missing = assertThrows(CheckpointException.class, () -> state.restore(1, dir));
            assertTrue(missing.getMessage().contains(LongColumnsState.SNAPSHOT_FILE), missing.getMessage());
            try (Batch b = batch(new long[] {5, 6}, new long[] {1, 1}, new long[] {0, 1})) {
                rows(state.update(1, List.of(b), 0, 1, 2));
            }
            state.snapshot(1, dir);
            final Path file = dir.resolve(LongColumnsState.DEFERRED_FILE);
            final byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x5A;
            Files.write(file, bytes);
            final CheckpointException corrupt = assertThrows(CheckpointException.class, () -> state.restore(1, dir));
            assertTrue(corrupt.getMessage().contains(LongColumnsState.DEFERRED_FILE), corrupt.getMessage());
            assertEquals(0, state.size(), "a failed restore leaves the state empty");
            assertEquals(0, state.deferredRows());
        }
    }
}
