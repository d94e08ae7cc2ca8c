package io.sluice.engine.stream.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/** The in-place primitive keyed state against a HashMap: growth and rehash, timeouts, snapshot and restore. */
class LongKeyedStateTest {
    private static final Schema INPUT = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("v", ColumnType.INT64));

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private Batch batch(final long[] keys, final long[] values) {
        try (BatchBuilder builder = new BatchBuilder(allocator, INPUT, Math.max(1, keys.length))) {
            builder.appendInt64Column(0, keys).appendInt64Column(1, values);
            return builder.build();
        }
    }

    /** One random batch through both the state and the reference; checks every output row. */
    private void step(final LongKeyedState state, final Map<Long, Long> reference, final Random random, final long time,
                      final int rows, final int keyRange) {
        final long[] keys = new long[rows];
        final long[] values = new long[rows];
        for (int r = 0; r < rows; r++) {
            // Keys far apart in their high bits too, and negative ones.
            keys[r] = (random.nextInt(keyRange) - keyRange / 2) * 0x1_0000_0001L;
            values[r] = random.nextInt(1000) - 500;
        }
        try (Batch in = batch(keys, values); Batch out = state.update(time, in, 0, 1, Long::sum)) {
            final Int64Vector outKeys = out.int64Vector(0);
            final Int64Vector outStates = out.int64Vector(1);
            for (int r = 0; r < rows; r++) {
                final long want = reference.merge(keys[r], values[r], Long::sum);
                assertEquals(keys[r], outKeys.get(r));
                assertEquals(want, outStates.get(r), "row " + r + " key " + keys[r] + " at time " + time);
            }
        }
    }

    @Test
    void foldsInPlaceThroughGrowthAndRehashLikeAHashMap() {
        final Map<Long, Long> reference = new HashMap<>();
        final Random random = new Random(7);
        try (LongKeyedState state = new LongKeyedState("sum", allocator, 0)) {
            for (int b = 1; b <= 40; b++) {
                // Growing key range: the table and the records grow and rehash several times.
                step(state, reference, random, b, 3000, 500 * b);
            }
            assertEquals(reference.size(), state.size());
            for (final Map.Entry<Long, Long> e : reference.entrySet()) {
                assertEquals(e.getValue().longValue(), state.get(e.getKey(), Long.MIN_VALUE));
            }
            assertEquals(Long.MIN_VALUE, state.get(123_456_789_012L, Long.MIN_VALUE));
            assertTrue(state.capacity() >= 16 * 1024, "the table grew from 1024 slots: " + state.capacity());
            assertTrue(state.size() * 3 <= state.capacity() * 2, "at most 2/3 full: " + state.size() + " / " + state.capacity());
        }
    }

    /**
     * Keys come and go every batch (evicted by timeout while new ones arrive, the table growing under them): after
     * every batch each held key is found with its state, each evicted one is gone, and a key coming back starts from
     * zero. Removal shifts later entries of a probe run back, so this checks no key is lost behind a removed one.
     */
    @Test
    void evictionsInterleavedWithGrowthKeepEveryHeldKeyFindable() {
        final LongKeyedState state = churn(3, 60, b -> 200 * b, 3);
        assertTrue(state.capacity() > 1024, "the table grew: " + state.capacity());
        assertEquals(0, state.evictUpdatedBefore(1), "nothing is older than the oldest batch held");
        state.close();
    }

    /**
     * A long timeout over a fixed key range: the eviction log keeps many batch times (more than its first segment
     * array), outgrows twice the table and is rebuilt from it, and still evicts exactly the idle keys.
     */
    @Test
    void aLongTimeoutEvictsExactlyThroughLogRebuilds() {
        churn(4, 150, b -> 3000, 40).close();
    }

    /**
     * {@code batches} random batches (key range {@code range(b)} at batch b) each followed by an eviction of the keys
     * idle for more than up to {@code lag} batches, checked key by key against a HashMap; returns the state (open).
     */
    private LongKeyedState churn(final long seed, final int batches, final IntUnaryOperator range, final int lag) {
        final Map<Long, long[]> reference = new HashMap<>();
        final Random random = new Random(seed);
        int evictedTotal = 0;
        final LongKeyedState state = new LongKeyedState("churn", allocator, 0);
        for (int b = 1; b <= batches; b++) {
            final int rows = 500 + random.nextInt(2500);
            final long[] keys = new long[rows];
            final long[] values = new long[rows];
            for (int r = 0; r < rows; r++) {
                // Dense small keys: long probe runs at 2/3 load.
                keys[r] = random.nextInt(range.applyAsInt(b));
                values[r] = 1 + random.nextInt(9);
            }
            try (Batch in = batch(keys, values); Batch out = state.update(b, in, 0, 1, Long::sum)) {
                for (int r = 0; r < rows; r++) {
                    final long[] s = reference.computeIfAbsent(keys[r], k -> new long[2]);
                    s[0] += values[r];
                    s[1] = b;
                    assertEquals(s[0], out.int64Vector(1).get(r), "row " + r + " of batch " + b);
                }
            }
            final long cutoff = b - 1 - random.nextInt(lag);
            final int before = reference.size();
            reference.values().removeIf(s -> s[1] < cutoff);
            final int evicted = state.evictUpdatedBefore(cutoff);
            assertEquals(before - reference.size(), evicted, "evicted at batch " + b);
            evictedTotal += evicted;
            assertEquals(reference.size(), state.size(), "held after batch " + b);
            for (final Map.Entry<Long, long[]> e : reference.entrySet()) {
                assertEquals(e.getValue()[0], state.get(e.getKey(), Long.MIN_VALUE), "key " + e.getKey() + " after batch " + b);
            }
            for (long k = 0; k < range.applyAsInt(b); k += 7) {
                if (!reference.containsKey(k)) {
                    assertEquals(Long.MIN_VALUE, state.get(k, Long.MIN_VALUE), "evicted key " + k + " after batch " + b);
                }
            }
        }
        assertTrue(evictedTotal > 1000, "the run evicts many keys: " + evictedTotal);
        return state;
    }

    /** A batch time's rows in several batches are folded in list order, each read in place, one output per input. */
    @Test
    void partitionsOfOneBatchTimeFoldInOrderWithOneOutputEach() {
        final Random random = new Random(5);
        final Map<Long, Long> reference = new HashMap<>();
        try (LongKeyedState state = new LongKeyedState("parts", allocator, 100)) {
            for (int time = 1; time <= 5; time++) {
                final List<long[][]> parts = new ArrayList<>();
                final List<Batch> inputs = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    final int rows = p == 1 ? 0 : 1 + random.nextInt(400);
                    final long[][] kv = new long[2][rows];
                    for (int r = 0; r < rows; r++) {
                        kv[0][r] = random.nextInt(300) - 150;
                        kv[1][r] = random.nextInt(10);
                    }
                    parts.add(kv);
                    inputs.add(batch(kv[0], kv[1]));
                }
                final List<Batch> outs = state.update(time, inputs, 0, 1, (s, v) -> s * 3 + v);
                try {
                    assertEquals(3, outs.size());
                    for (int p = 0; p < 3; p++) {
                        final long[][] kv = parts.get(p);
                        assertEquals(kv[0].length, outs.get(p).rowCount(), "rows of output " + p);
                        for (int r = 0; r < kv[0].length; r++) {
                            final long want = reference.merge(kv[0][r], 100 * 3 + kv[1][r], (s, v) -> s * 3 + (v - 300));
                            assertEquals(kv[0][r], outs.get(p).int64Vector(0).get(r));
                            assertEquals(want, outs.get(p).int64Vector(1).get(r), "part " + p + " row " + r + " time " + time);
                        }
                    }
                } finally {
                    outs.forEach(Batch::release);
                    inputs.forEach(Batch::release);
                }
            }
            assertEquals(reference.size(), state.size());
            assertEquals(List.of(), state.update(6, List.of(), 0, 1, Long::sum), "no partitions, no outputs");
            assertEquals(6, state.lastBatchTime());
        }
    }

    /**
     * The output's key column is the input's (shared, so it outlives the input's release) for a non-null key field,
     * a copy for a nullable one without nulls; slices and a key column that is not the first are read where they are.
     */
    @Test
    void outputsShareOrCopyTheKeyColumnAndOutliveTheirInputs() {
        final Schema valueFirst = Schema.of(Field.notNull("v", ColumnType.INT64), Field.notNull("k", ColumnType.INT64));
        final Schema nullableKey = Schema.of(Field.notNull("v", ColumnType.INT64), Field.nullable("k", ColumnType.INT64));
        final long[] keys = new long[3000];
        final long[] values = new long[keys.length];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = (r * 7919L) % 1000 - 500;
            values[r] = r;
        }
        final Map<Long, Long> reference = new HashMap<>();
        try (LongKeyedState state = new LongKeyedState("share", allocator, 0)) {
            long time = 0;
            for (final Schema schema : List.of(valueFirst, nullableKey)) {
                final List<Batch> outs;
                try (BatchBuilder builder = new BatchBuilder(allocator, schema, keys.length)) {
                    try (Batch whole = builder.appendInt64Column(0, values).appendInt64Column(1, keys).build();
                         Batch head = whole.slice(0, 1000); Batch tail = whole.slice(1000, keys.length)) {
                        outs = state.update(++time, List.of(head, tail), 1, 0, Long::sum);
                    }
                }
                try {
                    for (int r = 0; r < keys.length; r++) {
                        final Batch out = outs.get(r < 1000 ? 0 : 1);
                        final int row = r < 1000 ? r : r - 1000;
                        assertEquals(keys[r], out.int64Vector(0).get(row), "key of row " + r + " (" + schema + ")");
                        assertEquals(reference.merge(keys[r], values[r], Long::sum), out.int64Vector(1).get(row), "state of row " + r);
                    }
                    assertFalse(outs.get(1).vector(0).field().isNullable(), "the output's key field is non-null either way");
                } finally {
                    outs.forEach(Batch::release);
                }
            }
        }
    }

    /**
     * The fold loop reads the input and the table by address: a fold function that closes, updates or evicts its own
     * state is refused (the table is never freed or moved under the loop), and one that releases its input only drops
     * its own hold (the rows stay readable until the update returns).
     */
    @Test
    void aFoldThatClosesChangesOrReleasesWhatTheLoopReadsIsRefusedOrHarmless() {
        final long[] keys = new long[5000];
        final long[] values = new long[keys.length];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = r % 2500;
            values[r] = 1;
        }
        final LongKeyedState state = new LongKeyedState("reentrant", allocator, 0);
        try {
            final Batch[] held = new Batch[1];
            final List<LongBinaryOperator> hostile = List.of(
                (acc, v) -> {
                    state.close();
                    return acc + v;
                },
                (acc, v) -> {
                    state.update(100, held[0], 0, 1, Long::sum).release();
                    return acc + v;
                },
                (acc, v) -> {
                    state.evictUpdatedBefore(Long.MAX_VALUE);
                    return acc + v;
                });
            long time = 0;
            for (final LongBinaryOperator fold : hostile) {
                try (Batch in = batch(keys, values)) {
                    held[0] = in;
                    final long at = ++time;
                    final IllegalStateException ex = assertThrows(IllegalStateException.class,
                        () -> state.update(at, in, 0, 1, fold));
                    assertTrue(ex.getMessage().contains("from inside its own fold function"), ex.getMessage());
                }
            }
            // Still open and consistent: the refused call left the table as it was.
            final Batch in = batch(keys, values);
            final boolean[] released = new boolean[1];
            try (Batch out = state.update(++time, in, 0, 1, (acc, v) -> {
                if (!released[0]) {
                    released[0] = true;
                    in.release(); // the caller's only hold: the update keeps the rows alive until it returns
                }
                return acc + v;
            })) {
                assertTrue(in.isReleased(), "the input's last hold was dropped when the update returned");
                for (int r = 0; r < keys.length; r++) {
                    assertEquals(keys[r], out.int64Vector(0).get(r));
                    assertEquals(r / 2500 + 1, out.int64Vector(1).get(r), "state of row " + r);
                }
            }
        } finally {
            state.close();
        }
    }

    /** A null in any partition is rejected before any row of the batch time is folded. */
    @Test
    void aNullInALaterPartitionRejectsTheWholeBatchTime() {
        final Schema nullable = Schema.of(Field.nullable("k", ColumnType.INT64), Field.notNull("v", ColumnType.INT64));
        try (LongKeyedState state = new LongKeyedState("nulls", allocator, 0);
             Batch good = batch(new long[] {1, 2}, new long[] {1, 1});
             BatchBuilder builder = new BatchBuilder(allocator, nullable, 2)) {
            builder.setInt64(0, 3).setInt64(1, 1).endRow().setNull(0).setInt64(1, 1).endRow();
            try (Batch bad = builder.build()) {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> state.update(1, List.of(good, bad), 0, 1, Long::sum));
                assertTrue(ex.getMessage().contains("input batch index=1"), ex.getMessage());
            }
            assertEquals(0, state.size(), "nothing folded");
        }
    }

    @Test
    void keysIdlePastTheTimeoutAreEvictedAndStartOverFromZero() {
        try (LongKeyedState state = new LongKeyedState("count", allocator, 0)) {
            final long[] ones = {1, 1, 1};
            try (Batch b = batch(new long[] {1, 2, 3}, ones)) {
                state.update(10, b, 0, 1, (s, v) -> s + v).close();
            }
            try (Batch b = batch(new long[] {2, 3, 3}, ones)) {
                state.update(20, b, 0, 1, (s, v) -> s + v).close();
            }
            assertEquals(1, state.evictUpdatedBefore(15), "key 1 was last updated at 10");
            assertEquals(2, state.size());
            assertEquals(Long.MIN_VALUE, state.get(1, Long.MIN_VALUE));
            assertEquals(3, state.get(3, Long.MIN_VALUE));
            try (Batch b = batch(new long[] {1, 4}, new long[] {1, 1}); Batch out = state.update(30, b, 0, 1, (s, v) -> s + v)) {
                assertEquals(1, out.int64Vector(1).get(0), "an evicted key starts again from zero");
            }
            assertEquals(4, state.size(), "keys 1 (back again), 2, 3 and 4");
            assertEquals(4, state.evictUpdatedBefore(Long.MAX_VALUE));
            assertEquals(0, state.size());
        }
    }

    @Test
    void snapshotAfterInPlaceUpdatesRestoresTheSameState() throws IOException {
        final Map<Long, Long> reference = new HashMap<>();
        final Random random = new Random(11);
        try (LongKeyedState state = new LongKeyedState("sum", allocator, 0)) {
            for (int b = 1; b <= 10; b++) {
                step(state, reference, random, b, 2000, 4000);
            }
            state.evictUpdatedBefore(3);
            state.snapshot(10, dir);
            try (LongKeyedState restored = new LongKeyedState("sum", allocator, 0)) {
                restored.restore(10, dir);
                assertEquals(state.size(), restored.size());
                // The update times came back too: a timeout evicts the same keys from both.
                final int evicted = state.evictUpdatedBefore(6);
                assertTrue(evicted > 0, "some keys were last updated before batch 6");
                assertEquals(evicted, restored.evictUpdatedBefore(6));
                assertEquals(state.size(), restored.size());
                // Both continue identically after the restore, including keys updated in place before it.
                final Map<Long, Long> copy = new HashMap<>();
                for (final Map.Entry<Long, Long> e : reference.entrySet()) {
                    final long held = state.get(e.getKey(), Long.MIN_VALUE);
                    if (held != Long.MIN_VALUE) {
                        copy.put(e.getKey(), held);
                        assertEquals(held, restored.get(e.getKey(), Long.MIN_VALUE));
                    }
                }
                step(restored, copy, new Random(99), 11, 2000, 4000);
                try (Batch empty = batch(new long[0], new long[0])) {
                    assertThrows(IllegalArgumentException.class, () -> restored.update(11, empty, 0, 1, Long::sum),
                        "batch times must increase after a restore too");
                }
            }
        }
    }

    @Test
    void aFoldThatThrowsOnANewKeysFirstRowLeavesNoTraceOfTheKey() throws IOException {
        final LongBinaryOperator failOnNegative = (s, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("bad value=" + v);
            }
            return s + v;
        };
        try (LongKeyedState state = new LongKeyedState("s", allocator, 100)) {
            try (Batch b = batch(new long[] {1}, new long[] {1})) {
                state.update(10, b, 0, 1, failOnNegative).close();
            }
            state.evictUpdatedBefore(0); // from here on updates keep the expiry log
            try (Batch b = batch(new long[] {1, 7, 8}, new long[] {2, -3, 4})) {
                final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> state.update(20, b, 0, 1, failOnNegative));
                assertEquals("bad value=-3", thrown.getMessage());
            }
            assertEquals(1, state.size(), "only key 1 is held: key 7's only row failed, key 8's row came after");
            assertEquals(103, state.get(1, -1), "the row before the failure stays applied");
            assertEquals(-1, state.get(7, -1));
            state.snapshot(20, dir);
            try (LongKeyedState restored = new LongKeyedState("r", allocator, 100)) {
                restored.restore(20, dir);
                assertEquals(1, restored.size());
                assertEquals(-1, restored.get(7, -1));
            }
            assertEquals(0, state.evictUpdatedBefore(15), "no key was last updated before 15");
            assertEquals(1, state.evictUpdatedBefore(21), "key 1, updated at 20, is the only key to evict");
            assertEquals(0, state.size());
        }
        try (LongKeyedState state = new LongKeyedState("s", allocator, 100)) {
            try (Batch b = batch(new long[] {7}, new long[] {-3})) {
                assertThrows(IllegalArgumentException.class, () -> state.update(10, b, 0, 1, failOnNegative));
            }
            assertEquals(0, state.size());
            assertEquals(0, state.evictUpdatedBefore(Long.MAX_VALUE), "no key to evict, before the first update or after");
        }
    }

    @Test
    void restoringAMissingOrCorruptSnapshotThrowsNamingTheFile() throws IOException {
        try (LongKeyedState state = new LongKeyedState("s", allocator, 0)) {
            final CheckpointException missing = assertThrows(CheckpointException.class, () -> state.restore(1, dir));
            assertTrue(missing.getMessage().contains(LongKeyedState.SNAPSHOT_FILE), missing.getMessage());
            try (Batch b = batch(new long[] {5}, new long[] {1})) {
                state.update(1, b, 0, 1, Long::sum).close();
            }
            state.snapshot(1, dir);
            final Path file = dir.resolve(LongKeyedState.SNAPSHOT_FILE);
            final byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x5A;
            Files.write(file, bytes);
            final CheckpointException corrupt = assertThrows(CheckpointException.class, () -> state.restore(1, dir));
            assertTrue(corrupt.getMessage().contains("long-state.sbf"), corrupt.getMessage());
            assertEquals(0, state.size(), "a failed restore leaves the state empty");
        }
    }
}
