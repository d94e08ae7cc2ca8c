package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HashPartitionerTest {
    private final BufferAllocator allocator = new BufferAllocator();

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    private static Schema schema() {
        return Schema.of(Field.notNull("id", ColumnType.INT64), Field.nullable("key", ColumnType.UTF8),
            Field.nullable("k32", ColumnType.INT32));
    }

    /** Row i has id=i (unique), so each output row can be traced back to its input row. */
    private Batch input(final int rows, final int distinctKeys) {
        try (BatchBuilder builder = new BatchBuilder(allocator, schema())) {
            for (int row = 0; row < rows; row++) {
                builder.setInt64(0, row);
                if (row % 11 == 0) {
                    builder.setNull(1).setNull(2);
                } else {
                    builder.setUtf8(1, "key-é-" + (row % distinctKeys)).setInt32(2, row % distinctKeys);
                }
                builder.endRow();
            }
            return builder.build();
        }
    }

    private static void releaseAll(final List<Batch> batches) {
        for (final Batch batch : batches) {
            batch.release();
        }
    }

    @Test
    void everyRowLandsInExactlyOnePartitionWithItsValues() {
        for (final String[] keys : new String[][] {{"id"}, {"key"}, {"k32"}, {"key", "id"}}) {
            try (Batch batch = input(5_000, 37)) {
                final HashPartitioner partitioner = HashPartitioner.of(7, keys);
                final List<Batch> parts = partitioner.partition(batch, allocator);
                try {
                    assertEquals(7, parts.size());
                    final Set<Long> seen = new HashSet<>();
                    for (int p = 0; p < parts.size(); p++) {
                        final Batch part = parts.get(p);
                        for (int row = 0; row < part.rowCount(); row++) {
                            final int id = (int) part.int64Vector(0).get(row);
                            assertTrue(seen.add((long) id), "row id=" + id + " in two partitions");
                            assertEquals(p, partitioner.partitionOf(batch, id), "row id=" + id);
                            assertEquals(p, partitioner.partitionOf(part, row));
                            assertEquals(batch.utf8Vector(1).isNull(id), part.utf8Vector(1).isNull(row));
                            assertEquals(batch.utf8Vector(1).getString(id), part.utf8Vector(1).getString(row));
                            assertEquals(batch.int32Vector(2).get(id), part.int32Vector(2).get(row));
                        }
                    }
                    assertEquals(5_000, seen.size());
                } finally {
                    releaseAll(parts);
                }
            }
        }
    }

    /**
     * Random rows (non-ASCII strings, negative numbers, nulls in the nullable columns) split as the row-by-row
     * definition says: each part holds, in input order, exactly the rows {@link HashPartitioner#partitionOf} sends to
     * it, with all their values; for key columns with and without nulls (column-at-a-time hashing for the latter),
     * and power-of-two and other partition counts.
     */
    @Test
    void partitionsEqualTheRowByRowDefinitionOnRandomRows() {
        final Schema schema = Schema.of(Field.notNull("n64", ColumnType.INT64), Field.notNull("s", ColumnType.UTF8),
            Field.notNull("n32", ColumnType.INT32), Field.nullable("x64", ColumnType.INT64),
            Field.nullable("xs", ColumnType.UTF8), Field.notNull("f", ColumnType.FLOAT64),
            Field.nullable("b", ColumnType.BOOLEAN));
        final String[] words = {"", "a", "é", "日本語", "ünïcödé-ключ", "x".repeat(40), "🙂 emoji"};
        final java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 6; round++) {
            final int rows = round == 0 ? 0 : 1 + random.nextInt(3_000);
            final Batch batch;
            try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
                for (int row = 0; row < rows; row++) {
                    builder.setInt64(0, random.nextInt(50) - 25).setUtf8(1, words[random.nextInt(words.length)] + random.nextInt(9))
                        .setInt32(2, random.nextInt()).setFloat64(5, random.nextInt(7) - 3.5);
                    if (random.nextInt(5) == 0) {
                        builder.setNull(3).setNull(4).setNull(6);
                    } else {
                        builder.setInt64(3, random.nextLong()).setUtf8(4, words[random.nextInt(words.length)])
                            .setBoolean(6, random.nextBoolean());
                    }
                    builder.endRow();
                }
                batch = builder.build();
            }
            try (batch) {
                for (final String[] keys : new String[][] {{"n64"}, {"s"}, {"n32"}, {"s", "n64", "n32"}, {"f"},
                    {"x64"}, {"xs", "n64"}, {"b"}}) {
                    for (final int partitions : new int[] {1, 2, 4, 3, 7}) {
                        final HashPartitioner partitioner = new HashPartitioner(partitions, List.of(keys));
                        final List<Batch> parts = partitioner.partition(batch, allocator);
                        try {
                            final int[] next = new int[partitions];
                            for (int row = 0; row < rows; row++) {
                                final int p = partitioner.partitionOf(batch, row);
                                final Batch part = parts.get(p);
                                final int at = next[p]++;
                                for (int c = 0; c < schema.fieldCount(); c++) {
                                    assertEquals(batch.vector(c).getObject(row), part.vector(c).getObject(at),
                                        "keys=" + List.of(keys) + " partitions=" + partitions + " row=" + row + " column=" + c);
                                }
                            }
                            for (int p = 0; p < partitions; p++) {
                                assertEquals(next[p], parts.get(p).rowCount(), "rows of partition " + p);
                            }
                        } finally {
                            releaseAll(parts);
                        }
                    }
                }
            }
        }
    }

    @Test
    void nullKeysGoToPartitionZero() {
        try (Batch batch = input(200, 10)) {
            final HashPartitioner partitioner = HashPartitioner.of(5, "key");
            for (int row = 0; row < 200; row += 11) {
                assertEquals(0, partitioner.partitionOf(batch, row));
            }
        }
    }

    @Test
    void samePartitionsOnEveryRunAndJvm() {
        // Pinned values: the partition of a key is part of the on-disk/spill contract and must not drift.
        try (Batch batch = input(12, 1_000)) {
            final List<Integer> byUtf8 = new ArrayList<>();
            final List<Integer> byInt64 = new ArrayList<>();
            for (int row = 0; row < 12; row++) {
                byUtf8.add(HashPartitioner.of(8, "key").partitionOf(batch, row));
                byInt64.add(HashPartitioner.of(8, "id").partitionOf(batch, row));
            }
            assertEquals(GOLDEN_UTF8, byUtf8);
            assertEquals(GOLDEN_INT64, byInt64);
            final List<Batch> first = HashPartitioner.of(3, "key", "id").partition(batch, allocator);
            final List<Batch> second = HashPartitioner.of(3, "key", "id").partition(batch, allocator);
            try {
                for (int p = 0; p < 3; p++) {
                    assertEquals(first.get(p).rowCount(), second.get(p).rowCount());
                    for (int row = 0; row < first.get(p).rowCount(); row++) {
                        assertEquals(first.get(p).int64Vector(0).get(row), second.get(p).int64Vector(0).get(row));
                    }
                }
            } finally {
                releaseAll(first);
                releaseAll(second);
            }
        }
    }

    static final List<Integer> GOLDEN_UTF8 = List.of(0, 2, 0, 3, 6, 6, 2, 5, 5, 6, 3, 0);
    static final List<Integer> GOLDEN_INT64 = List.of(0, 4, 1, 0, 2, 2, 7, 5, 3, 5, 0, 1);

    @Test
    void skewedKeysAllLandTogether() {
        // 90% of rows share one key: that partition gets them all, and the rest still spread.
        final Schema schema = Schema.of(Field.notNull("k", ColumnType.INT64));
        try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
            for (int row = 0; row < 10_000; row++) {
                builder.setInt64(0, row % 10 == 0 ? row : 42L).endRow();
            }
            try (Batch batch = builder.build()) {
                final HashPartitioner partitioner = HashPartitioner.of(4, "k");
                final int hot = partitioner.partitionOf(batch, 1);
                final List<Batch> parts = partitioner.partition(batch, allocator);
                try {
                    int total = 0;
                    int nonEmpty = 0;
                    for (final Batch part : parts) {
                        total += part.rowCount();
                        nonEmpty += part.rowCount() > 0 ? 1 : 0;
                    }
                    assertEquals(10_000, total);
                    assertEquals(4, nonEmpty);
                    assertTrue(parts.get(hot).rowCount() >= 9_000, "hot partition rows=" + parts.get(hot).rowCount());
                } finally {
                    releaseAll(parts);
                }
            }
        }
    }

    @Test
    void partitioningASliceAndSinglePartitionWork() {
        try (Batch batch = input(100, 10); Batch slice = batch.slice(10, 60)) {
            final List<Batch> one = HashPartitioner.of(1, "key").partition(slice, allocator);
            try {
                assertEquals(50, one.get(0).rowCount());
                assertEquals(10L, one.get(0).int64Vector(0).get(0));
            } finally {
                releaseAll(one);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> HashPartitioner.of(0, "id"));
        assertThrows(IllegalArgumentException.class, () -> HashPartitioner.of(2));
        try (Batch batch = input(3, 3)) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> HashPartitioner.of(2, "nope").partition(batch, allocator));
            assertTrue(ex.getMessage().contains("'nope'"), ex.getMessage());
        }
    }
}
