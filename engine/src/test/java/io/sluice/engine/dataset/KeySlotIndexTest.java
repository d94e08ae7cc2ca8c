package io.sluice.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** The shared key index against a HashMap: growth, rehash, removal with backward shift, slot reuse, compaction. */
class KeySlotIndexTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void tearDown() {
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    /** A random key of the kind: INT64 (clustered and spread), INT32, UTF8 with non-ASCII and long values, or a pair. */
    private static Object[] key(final String kind, final Random random, final int range) {
        final int id = random.nextInt(range);
        switch (kind) {
            case "int64":
                // Keys that differ only in their high bits too, so a weak hash would pile them up.
                return new Object[] {random.nextBoolean() ? (long) id : (long) id << 40};
            case "int32":
                return new Object[] {id - range / 2};
            case "utf8":
                return new Object[] {id % 7 == 0 ? "ключ-" + id + "-" + "x".repeat(id % 50) : "k" + id};
            default:
                return new Object[] {"p" + (id % 13), (long) (id / 13)};
        }
    }

    private static Schema schema(final String kind) {
        switch (kind) {
            case "int64":
                return Schema.of(Field.notNull("k", ColumnType.INT64));
            case "int32":
                return Schema.of(Field.notNull("k", ColumnType.INT32));
            case "utf8":
                return Schema.of(Field.notNull("k", ColumnType.UTF8));
            default:
                return Schema.of(Field.nullable("a", ColumnType.UTF8), Field.notNull("b", ColumnType.INT64));
        }
    }

    private Batch batch(final Schema schema, final List<Object[]> keys) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, Math.max(1, keys.size()))) {
            for (int r = 0; r < keys.size(); r++) {
                Rows.append(builder, keys.get(r), r);
            }
            return builder.build();
        }
    }

    @ParameterizedTest
    @CsvSource({"int64", "int32", "utf8", "pair"})
    void matchesAHashMapThroughGrowthRemovalAndReuse(final String kind) {
        final Schema schema = schema(kind);
        final KeySlotIndex index = new KeySlotIndex(schema);
        final Map<List<Object>, Integer> reference = new HashMap<>();
        final Random random = new Random(kind.hashCode());
        final int[] columns = kind.equals("pair") ? new int[] {0, 1} : new int[] {0};
        int mostHeld = 0;
        for (int round = 0; round < 30; round++) {
            final List<Object[]> keys = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                keys.add(key(kind, random, 3000));
            }
            try (Batch batch = batch(schema, keys)) {
                index.bind(batch, columns);
                for (int r = 0; r < keys.size(); r++) {
                    final List<Object> k = List.of(keys.get(r));
                    final Integer want = reference.get(k);
                    final int got = index.find(r);
                    assertEquals(want == null ? KeySlotIndex.MISSING : want, got, "key " + k + " round " + round);
                    if (want == null) {
                        final int slot = index.addLastFound();
                        assertTrue(!reference.containsValue(slot), "slot " + slot + " handed out twice");
                        reference.put(k, slot);
                        mostHeld = Math.max(mostHeld, reference.size());
                    } else if (random.nextInt(4) == 0) {
                        // Remove a quarter of the keys seen again: exercises backward shift and slot reuse.
                        index.remove(got);
                        reference.remove(k);
                    }
                }
                index.unbind();
            }
            assertEquals(reference.size(), index.size());
        }
        // Every held key is still found at its slot after all the growth and removals.
        final List<Object[]> held = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        reference.forEach((k, slot) -> {
            held.add(k.toArray());
            slots.add(slot);
        });
        try (Batch batch = batch(schema, held)) {
            index.bind(batch, columns);
            for (int r = 0; r < held.size(); r++) {
                assertEquals(slots.get(r).intValue(), index.find(r));
            }
        }
        assertEquals(mostHeld, index.slotLimit(), "freed slots are reused before new ones");
    }

    @ParameterizedTest
    @CsvSource({"int64", "int32", "utf8", "pair"})
    void aClearedIndexForgetsEveryKeyWhetherItHeldManyOrFew(final String kind) {
        final Schema schema = schema(kind);
        final KeySlotIndex index = new KeySlotIndex(schema);
        final int[] columns = kind.equals("pair") ? new int[] {0, 1} : new int[] {0};
        final Random random = new Random(kind.hashCode() + 1);
        // Many keys (the whole table is emptied), then rounds of few keys in the large table (only their entries are).
        final int[] held = {2500, 5, 9, 1, 0, 30, 700, 3};
        for (int round = 0; round < held.length; round++) {
            final List<Object[]> keys = new ArrayList<>();
            for (int i = 0; i < 3 * held[round]; i++) {
                keys.add(key(kind, random, 3000));
            }
            final Map<List<Object>, Integer> reference = new HashMap<>();
            try (Batch batch = batch(schema, keys)) {
                index.bind(batch, columns);
                for (int r = 0; r < keys.size() && reference.size() < held[round]; r++) {
                    final int slot = index.findOrAdd(r);
                    assertEquals(reference.computeIfAbsent(List.of(keys.get(r)), k -> slot).intValue(), slot,
                        "round " + round + " key " + List.of(keys.get(r)));
                }
                index.unbind();
            }
            assertEquals(reference.size(), index.size(), "round " + round);
            index.clear();
            assertEquals(0, index.size());
            assertEquals(0, index.slotLimit());
            // Every key of the round is gone: none is found, and slots are handed out from 0 again.
            try (Batch batch = batch(schema, keys)) {
                index.bind(batch, columns);
                for (int r = 0; r < keys.size(); r++) {
                    assertEquals(KeySlotIndex.MISSING, index.find(r), "round " + round + " key " + List.of(keys.get(r)));
                }
                index.unbind();
            }
        }
    }

    @Test
    void longKeysRemovedAreCompactedAway() {
        final Schema schema = schema("utf8");
        final KeySlotIndex index = new KeySlotIndex(schema);
        final List<Object[]> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(new Object[] {"é".repeat(40) + i});
        }
        final Set<Integer> slots = new HashSet<>();
        try (Batch batch = batch(schema, keys)) {
            index.bind(batch, new int[] {0});
            for (int r = 0; r < keys.size(); r++) {
                slots.add(index.findOrAdd(r));
            }
            assertEquals(300, slots.size());
            for (int r = 0; r < 250; r++) {
                index.remove(index.find(r));
            }
            // The arena was compacted (more than half garbage): the survivors still match their bytes.
            for (int r = 0; r < keys.size(); r++) {
                assertEquals(r < 250, index.find(r) == KeySlotIndex.MISSING, "row " + r);
            }
            index.clear();
            assertEquals(0, index.size());
            assertEquals(KeySlotIndex.MISSING, index.find(299));
        }
    }

    @Test
    void misuseThrowsNamingTheProblem() {
        final KeySlotIndex index = new KeySlotIndex(schema("int64"));
        assertThrows(IllegalStateException.class, index::addLastFound);
        assertThrows(IndexOutOfBoundsException.class, () -> index.remove(0));
        final List<Object[]> keys = List.<Object[]>of(new Object[] {"x"});
        try (Batch batch = batch(schema("utf8"), keys)) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> index.bind(batch, new int[] {0}));
            assertTrue(ex.getMessage().contains("type=UTF8"), ex.getMessage());
        }
        assertNotEquals(KeySlotIndex.MISSING, 0);
    }

    @Test
    void byteKeysFindTheSlotsOfRowKeysAndComeOutInSlotOrder() {
        final Schema schema = Schema.of(Field.notNull("k", ColumnType.UTF8));
        final KeySlotIndex index = new KeySlotIndex(schema);
        final List<String> words = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            words.add(i % 5 == 0 ? "ключ-" + i + "x".repeat(i % 40) : "w" + i);
        }
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, words.size())) {
            builder.appendUtf8Column(0, words.subList(0, 150).toArray(new String[0]));
            try (Batch batch = builder.build()) {
                index.bind(batch, new int[] {0});
                for (int r = 0; r < 150; r++) {
                    assertEquals(r, index.findOrAdd(r));
                }
                index.unbind();
            }
        }
        for (int i = 0; i < words.size(); i++) {
            final byte[] padded = ("..." + words.get(i) + ",").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(i, index.findOrAdd(padded, 3, padded.length - 4), "word " + words.get(i));
        }
        assertEquals(words.size(), index.size());
        final Schema out = Schema.of(Field.nullable("k", ColumnType.UTF8));
        try (BatchBuilder builder = new BatchBuilder(allocator, out, 1)) {
            index.appendUtf8Keys(builder, 0);
            try (Batch keys = builder.build()) {
                assertEquals(words.size(), keys.rowCount());
                for (int i = 0; i < words.size(); i++) {
                    assertEquals(words.get(i), keys.utf8Vector(0).getString(i));
                }
            }
        }
        index.remove(7);
        assertThrows(IllegalStateException.class, () -> {
            try (BatchBuilder builder = new BatchBuilder(allocator, out, 1)) {
                index.appendUtf8Keys(builder, 0);
            }
        });
    }

    @Test
    void byteKeysWithTheCallersHashCountDistinctTokens() {
        final KeySlotIndex index = new KeySlotIndex(Schema.of(Field.notNull("k", ColumnType.UTF8)));
        final byte[] text = "b a ä b  ä".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // A deliberately weak hash (the length): equal hashes must still be told apart by the bytes.
        assertEquals(0, index.findOrAdd(text, 0, 1, 1));
        assertEquals(1, index.findOrAdd(text, 2, 1, 1));
        assertEquals(2, index.findOrAdd(text, 4, 2, 2));
        assertEquals(0, index.findOrAdd(text, 7, 1, 1));
        assertEquals(2, index.findOrAdd(text, 10, 2, 2));
        assertEquals(3, index.size());
        assertThrows(IllegalStateException.class,
            () -> new KeySlotIndex(Schema.of(Field.notNull("k", ColumnType.INT64))).findOrAdd(text, 0, 1));
    }
}
