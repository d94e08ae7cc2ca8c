package io.sluice.engine.stream.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sluice.engine.stream.KeyedRows;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyedStateStoreTest {
    private static final Schema STATE = Schema.of(Field.notNull("count", ColumnType.INT64), Field.nullable("last", ColumnType.UTF8));
    private static final Field VALUE = Field.notNull("v", ColumnType.INT64);

    private final BufferAllocator allocator = new BufferAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void zeroOffHeapBytes() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding");
        allocator.close();
    }

    /** Reference entry: state row and last update time. */
    private record Entry(Object[] state, long updated) {
    }

    private static Map<List<Object>, Entry> contents(final KeyedStateStore store, final int keys) {
        final Map<List<Object>, Entry> out = new HashMap<>();
        for (final Object[] row : KeyedRows.rows(store.state())) {
            final List<Object> key = Arrays.asList(Arrays.copyOf(row, keys));
            final Entry previous = out.put(key, new Entry(Arrays.copyOfRange(row, keys, row.length - 1), (Long) row[row.length - 1]));
            assertNull(previous, "duplicate key " + key);
        }
        return out;
    }

    private static void assertSameContents(final Map<List<Object>, Entry> expected, final Map<List<Object>, Entry> actual,
                                           final String context) {
        assertEquals(expected.keySet(), actual.keySet(), context);
        for (final Map.Entry<List<Object>, Entry> e : expected.entrySet()) {
            assertArrayEquals(e.getValue().state(), actual.get(e.getKey()).state(), context + " key=" + e.getKey());
            assertEquals(e.getValue().updated(), actual.get(e.getKey()).updated(), context + " updated key=" + e.getKey());
        }
    }

    /** Random puts, removes, touches and untouched keys over many batches, compared with a HashMap after every commit. */
    @Test
    void randomUpdatesMatchHashMapReferenceForEveryKeyShape() {
        for (final KeyedRows shape : KeyedRows.values()) {
            for (int seed = 0; seed < 25; seed++) {
                runRandom(shape, seed, 40, 30);
            }
        }
    }

    /** Many keys held, few changed per batch: long runs of unchanged rows are copied column by column. */
    @Test
    void sparseUpdatesOfALargeStateMatchHashMapReference() {
        for (final KeyedRows shape : KeyedRows.values()) {
            for (int seed = 0; seed < 4; seed++) {
                runRandom(shape, 1000 + seed, 3000, 60);
            }
        }
    }

    private void runRandom(final KeyedRows shape, final int seed, final int maxDistinct, final int maxRows) {
        final Random random = new Random(seed);
        final Schema input = shape.inputSchema(VALUE);
        final int keys = shape.keySchema().fieldCount();
        final Map<List<Object>, Entry> reference = new HashMap<>();
        try (KeyedStateStore store = new KeyedStateStore("s", allocator, shape.keySchema(), STATE)) {
            for (long time = 100; time <= 3000; time += 100) {
                final int distinct = 1 + random.nextInt(maxDistinct);
                final List<Object[]> rows = new ArrayList<>();
                final int n = time == 100 ? maxDistinct : random.nextInt(maxRows);
                for (int i = 0; i < n; i++) {
                    rows.add(KeyedRows.concat(shape.randomKey(random, distinct), (long) random.nextInt(100)));
                }
                // Per batch: which slot each distinct key got, and the reference's operations in order.
                final Map<List<Object>, Integer> slots = new LinkedHashMap<>();
                try (Batch batch = KeyedRows.batch(allocator, input, rows)) {
                    final StateUpdate u = store.begin(time);
                    u.bind(batch, shape.keyColumnsIn(input));
                    for (int r = 0; r < rows.size(); r++) {
                        final List<Object> key = Arrays.asList(Arrays.copyOf(rows.get(r), keys));
                        final int slot = u.slot(r);
                        final Integer before = slots.putIfAbsent(key, slot);
                        assertTrue(before == null || before == slot, "same key, same slot");
                        assertArrayEquals(key.toArray(), u.key(slot));
                        final Entry ref = reference.get(key);
                        assertEquals(ref != null, u.exists(slot), "exists key=" + key);
                        if (ref != null) {
                            assertArrayEquals(ref.state(), u.get(slot));
                            assertEquals(ref.updated(), u.lastUpdated(slot));
                        }
                        final int op = random.nextInt(4);
                        if (op == 0) {
                            final Object[] state = {(long) random.nextInt(1000), random.nextBoolean() ? null : "ü" + r};
                            u.put(slot, state);
                            reference.put(key, new Entry(state.clone(), time));
                        } else if (op == 1) {
                            u.remove(slot);
                            reference.remove(key);
                        } else if (op == 2) {
                            u.touch(slot);
                            if (ref != null && reference.containsKey(key)) {
                                reference.put(key, new Entry(reference.get(key).state(), time));
                            }
                        }
                        assertEquals(reference.containsKey(key), u.exists(slot), "exists after op key=" + key);
                    }
                    // Slots in commit order cover every key held and every new key exactly once.
                    final List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < u.slotCount(); i++) {
                        order.add(u.slotAt(i));
                    }
                    assertEquals(order.size(), order.stream().distinct().count(), "slot order has duplicates");
                    if (random.nextInt(10) == 0) {
                        u.abort();
                        rollBack(reference, store, keys);
                    } else {
                        u.commit();
                    }
                }
                assertSameContents(reference, contents(store, keys), "shape=" + shape + " seed=" + seed + " time=" + time);
                assertEquals(reference.size(), store.size());
            }
        }
    }

    /** After an abort the store is as it was; make the reference agree by reading the store's committed state. */
    private static void rollBack(final Map<List<Object>, Entry> reference, final KeyedStateStore store, final int keys) {
        reference.clear();
        reference.putAll(contents(store, keys));
    }

    @Test
    void abortLeavesTheCommittedStateUnchanged() {
        final KeyedRows shape = KeyedRows.TEXT_KEY;
        final Schema input = shape.inputSchema(VALUE);
        try (KeyedStateStore store = new KeyedStateStore("s", allocator, shape.keySchema(), STATE)) {
            try (Batch batch = KeyedRows.batch(allocator, input, List.<Object[]>of(new Object[] {"ключ", 1L}))) {
                final StateUpdate u = store.begin(10);
                u.bind(batch, new int[] {0});
                u.put(u.slot(0), new Object[] {5L, "x"});
                u.commit();
                store.begin(20);
                u.bind(batch, new int[] {0});
                u.remove(u.slot(0));
                u.abort();
            }
            final List<Object[]> rows = KeyedRows.rows(store.state());
            assertEquals(1, rows.size());
            assertArrayEquals(new Object[] {"ключ", 5L, "x", 10L}, rows.get(0));
            assertEquals(10, store.lastBatchTime());
        }
    }

    @Test
    void nullKeyIsRejectedNamingColumnAndRow() {
        final KeyedRows shape = KeyedRows.TEXT_KEY;
        final Schema input = shape.inputSchema(VALUE);
        try (KeyedStateStore store = new KeyedStateStore("s", allocator, shape.keySchema(), STATE);
             Batch batch = KeyedRows.batch(allocator, input, List.of(new Object[] {"a", 1L}, new Object[] {null, 2L}))) {
            final StateUpdate u = store.begin(10);
            u.bind(batch, new int[] {0});
            u.slot(0);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> u.slot(1));
            assertEquals("key column 'k' is null at row 1: keyed state does not accept null keys", ex.getMessage());
            u.abort();
            assertEquals(0, store.size());
        }
    }

    @Test
    void unsupportedKeyTypeAndClashingStateNamesAreRejected() {
        final IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
            () -> new KeyedStateStore("s", allocator, Schema.of(Field.notNull("d", ColumnType.FLOAT64)), STATE));
        assertEquals("key column 'd' has type=FLOAT64; keyed state supports INT32, INT64 and UTF8 keys", type.getMessage());
        final IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
            () -> new KeyedStateStore("s", allocator, Schema.of(Field.notNull("count", ColumnType.INT64)), STATE));
        assertTrue(clash.getMessage().startsWith("state column 'count' clashes"), clash.getMessage());
    }

    @Test
    void keyColumnOfTheWrongTypeAndBadStateRowsAreRejected() {
        final Schema input = Schema.of(Field.notNull("k", ColumnType.INT32), VALUE);
        try (KeyedStateStore store = new KeyedStateStore("s", allocator, KeyedRows.LONG_KEY.keySchema(), STATE);
             Batch batch = KeyedRows.batch(allocator, input, List.<Object[]>of(new Object[] {1, 1L}))) {
            final StateUpdate u = store.begin(10);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> u.bind(batch, new int[] {0}));
            assertEquals("key column 'k' index=0 has type=INT32 but key 'k' is INT64", ex.getMessage());
            u.abort();
        }
        final Schema longInput = KeyedRows.LONG_KEY.inputSchema(VALUE);
        try (KeyedStateStore store = new KeyedStateStore("s", allocator, KeyedRows.LONG_KEY.keySchema(), STATE);
             Batch batch = KeyedRows.batch(allocator, longInput, List.<Object[]>of(new Object[] {1L, 1L}))) {
            final StateUpdate u = store.begin(10);
            u.bind(batch, new int[] {0});
            final int slot = u.slot(0);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> u.put(slot, new Object[] {"x", null}));
            assertEquals("state 's' new state row of key=[1] column 'count' value=x of class=String does not fit type=INT64",
                ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> u.put(slot, new Object[] {null, null}));
            assertThrows(IllegalArgumentException.class, () -> u.put(slot, new Object[] {1L}));
            assertThrows(IndexOutOfBoundsException.class, () -> u.slot(1));
            assertThrows(IndexOutOfBoundsException.class, () -> u.get(slot + 100));
            u.commit();
            final IllegalArgumentException time = assertThrows(IllegalArgumentException.class, () -> store.begin(10));
            assertEquals("state 's': batchTime=10 must be after the last batchTime=10", time.getMessage());
            assertThrows(IllegalStateException.class, () -> u.slot(0));
        }
    }

    @Test
    void useAfterCloseThrowsAndCloseIsIdempotent() {
        final KeyedStateStore store = new KeyedStateStore("s", allocator, KeyedRows.LONG_KEY.keySchema(), STATE);
        store.close();
        store.close();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> store.begin(1));
        assertEquals("state 's' is closed", ex.getMessage());
        assertThrows(IllegalStateException.class, store::state);
    }

    private KeyedStateStore filled(final KeyedRows shape, final int seed, final long time) {
        final KeyedStateStore store = new KeyedStateStore("s", allocator, shape.keySchema(), STATE);
        final Random random = new Random(seed);
        final Schema input = shape.inputSchema(VALUE);
        final List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(KeyedRows.concat(shape.randomKey(random, 500), (long) i));
        }
        try (Batch batch = KeyedRows.batch(allocator, input, rows)) {
            final StateUpdate u = store.begin(time);
            u.bind(batch, shape.keyColumnsIn(input));
            for (int r = 0; r < rows.size(); r++) {
                u.put(u.slot(r), new Object[] {(long) r, r % 3 == 0 ? null : "é" + r});
            }
            u.commit();
        }
        return store;
    }

    @Test
    void snapshotAndRestoreRoundTripForEveryKeyShape() throws IOException {
        for (final KeyedRows shape : KeyedRows.values()) {
            final Path folder = dir.resolve(shape.name());
            final int keys = shape.keySchema().fieldCount();
            try (KeyedStateStore original = filled(shape, 7, 500);
                 KeyedStateStore restored = new KeyedStateStore("s", allocator, shape.keySchema(), STATE)) {
                original.snapshot(500, folder);
                restored.restore(500, folder);
                assertSameContents(contents(original, keys), contents(restored, keys), "shape=" + shape);
                assertEquals(500, restored.restoredBatchTime());
                assertEquals(500, restored.lastBatchTime());
                // The rebuilt index finds restored keys: updating every key again leaves no duplicates.
                final Schema input = shape.inputSchema(VALUE);
                final List<Object[]> again = new ArrayList<>();
                for (final Object[] row : KeyedRows.rows(original.state())) {
                    again.add(KeyedRows.concat(Arrays.asList(Arrays.copyOf(row, keys)), 0L));
                }
                try (Batch batch = KeyedRows.batch(allocator, input, again)) {
                    final StateUpdate u = restored.begin(600);
                    u.bind(batch, shape.keyColumnsIn(input));
                    for (int r = 0; r < again.size(); r++) {
                        final int slot = u.slot(r);
                        assertTrue(u.exists(slot), "restored key found: " + Arrays.toString(again.get(r)));
                        u.touch(slot);
                    }
                    assertEquals(original.size(), u.slotCount(), "no key added twice");
                    u.commit();
                }
                assertEquals(original.size(), restored.size());
            }
        }
    }

    @Test
    void corruptSnapshotGivesAnErrorNamingTheFile() throws IOException {
        try (KeyedStateStore original = filled(KeyedRows.TEXT_KEY, 3, 100);
             KeyedStateStore restored = new KeyedStateStore("s", allocator, KeyedRows.TEXT_KEY.keySchema(), STATE)) {
            original.snapshot(100, dir);
            final Path file = dir.resolve(KeyedStateStore.SNAPSHOT_FILE);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                final long at = channel.size() / 2;
                final ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, at);
                one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
                channel.write(one, at);
            }
            final CheckpointException ex = assertThrows(CheckpointException.class, () -> restored.restore(100, dir));
            assertTrue(ex.getMessage().contains("corrupt snapshot file " + file), ex.getMessage());
            assertEquals(0, restored.size(), "nothing restored from a corrupt file");
            assertEquals(Long.MIN_VALUE, restored.restoredBatchTime());
        }
    }

    @Test
    void snapshotWithADuplicateKeyIsRejectedAndLeavesTheStoreEmpty() throws IOException {
        try (KeyedStateStore store = filled(KeyedRows.TEXT_KEY, 3, 100)) {
            final Path file = dir.resolve(KeyedStateStore.SNAPSHOT_FILE);
            try (Batch twice = KeyedRows.batch(allocator, store.storeSchema(),
                     StreamHarness.rows(new Object[] {"键", 1L, null, 5L}, new Object[] {"x", 2L, "y", 5L},
                         new Object[] {"键", 3L, null, 5L}));
                 BatchFileWriter writer = BatchFileWriter.create(file, store.storeSchema())) {
                writer.write(twice);
            }
            final CheckpointException ex = assertThrows(CheckpointException.class, () -> store.restore(100, dir));
            assertTrue(ex.getMessage().endsWith("snapshot file " + file + " holds a duplicate key at row 2"), ex.getMessage());
            assertEquals(0, store.size());
        }
    }

    @Test
    void missingOrForeignSnapshotIsRejected() throws IOException {
        try (KeyedStateStore original = filled(KeyedRows.LONG_KEY, 3, 100);
             KeyedStateStore other = new KeyedStateStore("s", allocator, KeyedRows.TEXT_KEY.keySchema(), STATE)) {
            final CheckpointException missing = assertThrows(CheckpointException.class, () -> other.restore(100, dir));
            assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
            original.snapshot(100, dir);
            final CheckpointException foreign = assertThrows(CheckpointException.class, () -> other.restore(100, dir));
            assertTrue(foreign.getMessage().contains("has schema="), foreign.getMessage());
            assertFalse(other.state().isReleased());
        }
    }

    /** Probing existing keys (one INT64 key, or INT32 + UTF8 key bytes) allocates nothing per row once warm. */
    @Test
    void probingExistingKeysAllocatesNothing() {
        final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (final KeyedRows shape : List.of(KeyedRows.LONG_KEY, KeyedRows.INT_AND_TEXT_KEY)) {
            final Schema input = shape.inputSchema(VALUE);
            final Random random = new Random(1);
            final List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                rows.add(KeyedRows.concat(shape.randomKey(random, 300), (long) i));
            }
            try (KeyedStateStore store = new KeyedStateStore("s", allocator, shape.keySchema(), STATE);
                 Batch batch = KeyedRows.batch(allocator, input, rows)) {
                long time = 1;
                try (StateUpdate u = store.begin(time++)) {
                    u.bind(batch, shape.keyColumnsIn(input));
                    for (int r = 0; r < rows.size(); r++) {
                        u.put(u.slot(r), new Object[] {1L, null});
                    }
                    u.commit();
                }
                // The least any round allocated: a round may catch a deoptimization or JIT event (seen under load),
                // but a probe that allocates per row allocates in every round (10,000 rows: well over 1 KiB).
                long allocated = Long.MAX_VALUE;
                long firstSum = -1;
                for (int round = 0; round < 30; round++) {
                    try (StateUpdate u = store.begin(time++)) {
                        u.bind(batch, shape.keyColumnsIn(input));
                        final long before = threads.getCurrentThreadAllocatedBytes();
                        long sum = 0;
                        for (int r = 0; r < rows.size(); r++) {
                            sum += u.slot(r);
                        }
                        allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
                        if (firstSum < 0) {
                            firstSum = sum;
                        }
                        assertEquals(firstSum, sum, "every round finds the same slots");
                        assertEquals(store.size(), u.slotCount(), "no key added");
                    }
                }
                assertTrue(allocated < 1024, shape + ": probing 10,000 rows allocated " + allocated + " bytes");
            }
        }
    }
}
