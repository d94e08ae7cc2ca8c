package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Field;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;
import io.sluice.memory.Schema;

/**
 * Hash aggregation of one partition. In update mode it reads raw rows; in merge mode it reads partial rows (keys,
 * then per aggregate a value {@code _v<i>} and a non-null count {@code _n<i>}) and combines them. Keys map to groups
 * through a {@link KeySlotIndex} (primitive keys by value, a UTF8 key hashed and compared on its off-heap bytes),
 * so no object is made per row. Groups' keys are copied once into an off-heap key batch; accumulators are primitive
 * arrays. Nulls form one group. A global aggregate (no keys) has one group from the start, so even an empty input
 * gives one row (count 0, other aggregates null), as in SQL. Single-threaded; one instance per task. The heap
 * arrays come from, and go back to, the thread's {@link AggregatorScratch}, so per-batch aggregations on a worker
 * do not regrow them from 16 groups each time.
 */
final class HashAggregator implements AutoCloseable {
    private final AggPlan plan;
    private final boolean merge;
    private final KeySlotIndex index;
    /** The group of each index slot (a null single-column key has a group but no slot). */
    private int[] slotGroup;
    /** A key index another (global) aggregation passed on, kept for the thread's next keyed one. */
    private final KeySlotIndex spareIndex;
    private final BatchBuilder keys;
    /** The rows of the batch being added that made new groups, in group order; their keys are gathered after it. */
    private int[] newGroupRows = new int[64];
    private int newRows;
    private int nullGroup = -1;
    private int groups;
    private long[][] counts;
    private long[][] longs;
    private double[][] doubles;

    HashAggregator(final AggPlan plan, final boolean merge, final BufferAllocator allocator) {
        this.plan = plan;
        this.merge = merge;
        final boolean global = plan.global();
        final int aggs = plan.aggs().size();
        final AggregatorScratch scratch = AggregatorScratch.take();
        if (scratch == null) {
            this.index = global ? null : new KeySlotIndex(plan.keySchema());
            this.spareIndex = null;
            slotGroup = new int[16];
            counts = new long[aggs][16];
            longs = new long[aggs][16];
            doubles = new double[aggs][16];
        } else {
            this.index = global ? null : scratch.index(plan.keySchema());
            this.spareIndex = global ? scratch.index : null;
            slotGroup = scratch.slotGroup;
            counts = AggregatorScratch.rows(scratch.counts, aggs);
            longs = AggregatorScratch.rows(scratch.longs, aggs);
            doubles = AggregatorScratch.rows(scratch.doubles, aggs);
        }
        this.keys = global ? null : new BatchBuilder(allocator, plan.keySchema());
        if (global) {
            newGroup(new ColumnVector[0], 0);
        }
    }

    /** Adds every row of {@code batch} (raw rows in update mode, partial rows in merge mode). */
    void add(final Batch batch) {
        final int[] keyCols = merge ? plan.partialKeyColumns() : plan.keyColumns();
        final ColumnVector[] keyVectors = new ColumnVector[keyCols.length];
        for (int i = 0; i < keyCols.length; i++) {
            keyVectors[i] = batch.vector(keyCols[i]);
        }
        if (index != null) {
            index.bind(batch, keyCols);
        }
        final int aggs = plan.aggs().size();
        final ColumnVector[] values = new ColumnVector[aggs];
        final Int64Vector[] partialCounts = new Int64Vector[aggs];
        for (int a = 0; a < aggs; a++) {
            if (merge) {
                values[a] = batch.vector(plan.partialValueColumn(a));
                partialCounts[a] = batch.int64Vector(plan.partialValueColumn(a) + 1);
            } else {
                values[a] = plan.inputColumn(a) < 0 ? null : batch.vector(plan.inputColumn(a));
            }
        }
        newRows = 0;
        for (int r = 0; r < batch.rowCount(); r++) {
            final int g = group(keyVectors, r);
            for (int a = 0; a < aggs; a++) {
                if (merge) {
                    final long n = partialCounts[a].get(r);
                    if (n > 0) {
                        accumulate(a, g, values[a], r, n);
                    }
                } else if (values[a] == null) {
                    counts[a][g]++;
                } else if (!values[a].isNull(r)) {
                    accumulate(a, g, values[a], r, 1);
                }
            }
        }
        // the new groups' keys, gathered a column at a time from the rows that made them
        for (int k = 0; k < keyVectors.length && newRows > 0; k++) {
            keys.appendGathered(k, keyVectors[k], newGroupRows, newRows);
        }
        newRows = 0;
        if (index != null) {
            index.unbind();
        }
    }

    private int group(final ColumnVector[] keyVectors, final int row) {
        if (keys == null) {
            return 0;
        }
        if (index.isSingleColumn() && keyVectors[0].isNull(row)) {
            if (nullGroup < 0) {
                nullGroup = newGroup(keyVectors, row);
            }
            return nullGroup;
        }
        final int slot = index.find(row);
        if (slot != KeySlotIndex.MISSING) {
            return slotGroup[slot];
        }
        final int created = newGroup(keyVectors, row);
        final int added = index.addLastFound();
        if (added >= slotGroup.length) {
            slotGroup = Arrays.copyOf(slotGroup, Math.max(added + 1, slotGroup.length * 2));
        }
        slotGroup[added] = created;
        return created;
    }

    private int newGroup(final ColumnVector[] keyVectors, final int row) {
        if (keyVectors.length > 0) {
            if (newRows == newGroupRows.length) {
                newGroupRows = Arrays.copyOf(newGroupRows, newRows * 2);
            }
            newGroupRows[newRows++] = row;
        }
        final int g = groups++;
        if (counts.length > 0 && g >= counts[0].length) {
            grow();
        }
        final int aggs = plan.aggs().size();
        for (int a = 0; a < aggs; a++) {
            final Agg.Fn fn = plan.aggs().get(a).fn();
            counts[a][g] = 0;
            longs[a][g] = fn == Agg.Fn.MIN ? Long.MAX_VALUE : fn == Agg.Fn.MAX ? Long.MIN_VALUE : 0;
            doubles[a][g] = fn == Agg.Fn.MIN ? Double.POSITIVE_INFINITY : fn == Agg.Fn.MAX ? Double.NEGATIVE_INFINITY : 0;
        }
        return g;
    }

    private void grow() {
        for (int a = 0; a < counts.length; a++) {
            final int size = counts[a].length * 2;
            counts[a] = Arrays.copyOf(counts[a], size);
            longs[a] = Arrays.copyOf(longs[a], size);
            doubles[a] = Arrays.copyOf(doubles[a], size);
        }
    }

    private void accumulate(final int a, final int g, final ColumnVector v, final int row, final long n) {
        counts[a][g] += n;
        final Agg.Fn fn = plan.aggs().get(a).fn();
        if (fn == Agg.Fn.COUNT) {
            return;
        }
        if (plan.valueType(a) == ColumnType.FLOAT64) {
            final double x = v.type() == ColumnType.FLOAT64 ? ((Float64Vector) v).get(row) : integral(v, row);
            if (fn == Agg.Fn.MIN) {
                doubles[a][g] = Math.min(doubles[a][g], x);
            } else if (fn == Agg.Fn.MAX) {
                doubles[a][g] = Math.max(doubles[a][g], x);
            } else {
                doubles[a][g] += x;
            }
        } else {
            final long x = integral(v, row);
            if (fn == Agg.Fn.MIN) {
                longs[a][g] = Math.min(longs[a][g], x);
            } else if (fn == Agg.Fn.MAX) {
                longs[a][g] = Math.max(longs[a][g], x);
            } else {
                longs[a][g] += x;
            }
        }
    }

    private static long integral(final ColumnVector v, final int row) {
        return v.type() == ColumnType.INT32 ? ((Int32Vector) v).get(row) : ((Int64Vector) v).get(row);
    }

    /** The groups as a batch: partial rows ({@code partial}) or final rows; the aggregator can then be closed. */
    Batch finish(final boolean partial, final BufferAllocator allocator) {
        final Schema schema = partial ? plan.partialSchema() : plan.finalSchema();
        final int keyCount = plan.keyColumns().length;
        if (keys != null && groups > 0) {
            return sharingKeys(schema, keyCount, partial, allocator);
        }
        try (Batch keyBatch = keys == null ? null : keys.build(); BatchBuilder out = new BatchBuilder(allocator, schema, groups)) {
            final List<ColumnVector> keyVectors = new ArrayList<>(keyCount);
            for (int k = 0; k < keyCount; k++) {
                keyVectors.add(keyBatch.vector(k));
            }
            for (int g = 0; g < groups; g++) {
                for (int k = 0; k < keyCount; k++) {
                    out.appendValue(k, keyVectors.get(k), g);
                }
                for (int a = 0; a < plan.aggs().size(); a++) {
                    if (partial) {
                        writePartial(out, keyCount + 2 * a, a, g);
                    } else {
                        writeFinal(out, keyCount + a, a, g);
                    }
                }
                out.finishRow(g);
            }
            return out.build();
        }
    }

    /**
     * {@link #finish} with at least one group and key: the key columns are the key batch's, shared; only the
     * aggregate columns are written, row by row from the accumulators.
     */
    private Batch sharingKeys(final Schema schema, final int keyCount, final boolean partial, final BufferAllocator allocator) {
        final int fields = schema.fieldCount();
        final Batch keyBatch = keys.build();
        Batch values = null;
        try {
            final Batch[] sources = new Batch[fields];
            final int[] columns = new int[fields];
            for (int k = 0; k < keyCount; k++) {
                sources[k] = keyBatch;
                columns[k] = k;
            }
            if (fields > keyCount) {
                try (BatchBuilder out = new BatchBuilder(allocator, new Schema(schema.fields().subList(keyCount, fields)), groups)) {
                    for (int g = 0; g < groups; g++) {
                        for (int a = 0; a < plan.aggs().size(); a++) {
                            if (partial) {
                                writePartial(out, 2 * a, a, g);
                            } else {
                                writeFinal(out, a, a, g);
                            }
                        }
                        out.finishRow(g);
                    }
                    values = out.build();
                }
                for (int c = keyCount; c < fields; c++) {
                    sources[c] = values;
                    columns[c] = c - keyCount;
                }
            }
            return Batch.share(schema, sources, columns);
        } finally {
            keyBatch.release();
            if (values != null) {
                values.release();
            }
        }
    }

    private void writePartial(final BatchBuilder out, final int column, final int a, final int g) {
        if (plan.valueType(a) == ColumnType.FLOAT64) {
            out.setFloat64(column, doubles[a][g]);
        } else {
            out.setInt64(column, longs[a][g]);
        }
        out.setInt64(column + 1, counts[a][g]);
    }

    private void writeFinal(final BatchBuilder out, final int column, final int a, final int g) {
        final Agg.Fn fn = plan.aggs().get(a).fn();
        final long n = counts[a][g];
        if (fn == Agg.Fn.COUNT) {
            out.setInt64(column, n);
            return;
        }
        if (n == 0) {
            out.setNull(column);
            return;
        }
        final Field field = plan.finalSchema().field(plan.keyColumns().length + a);
        if (fn == Agg.Fn.AVG) {
            out.setFloat64(column, doubles[a][g] / n);
        } else if (field.type() == ColumnType.FLOAT64) {
            out.setFloat64(column, doubles[a][g]);
        } else if (field.type() == ColumnType.INT32) {
            out.setInt32(column, (int) longs[a][g]);
        } else {
            out.setInt64(column, longs[a][g]);
        }
    }

    /** Releases the key buffers if {@link #finish} was not called, and leaves the heap arrays to the thread. */
    @Override
    public void close() {
        if (keys != null) {
            keys.close();
        }
        if (index != null) {
            index.unbind();
        }
        AggregatorScratch.keep(new AggregatorScratch(index != null ? index : spareIndex, slotGroup, counts, longs,
            doubles, groups));
    }
}
