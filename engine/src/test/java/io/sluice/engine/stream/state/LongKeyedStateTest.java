package io.sluice.engine.stream.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

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
