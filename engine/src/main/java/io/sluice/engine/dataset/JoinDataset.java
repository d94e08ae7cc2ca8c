package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Hash join: both sides go through a columnar hash exchange on their keys into the same partition count, then
 * each output partition indexes its right batch's keys in a {@link KeySlotIndex} and probes it with its left batch's
 * rows; the matches are gathered into the output a column at a time. A right side that is a source of at most
 * {@link #BROADCAST_ROWS} rows is not exchanged: every task joins its left partitions, where they are, with all of it.
 * Output: the left
 * columns, then the right columns except right keys named like their left key. Null keys never match.
 */
final class JoinDataset extends Dataset {
    /** A right side that is a source of at most this many rows is broadcast: every task joins it without an exchange. */
    static final int BROADCAST_ROWS = 4096;
    private final ExchangeDataset left;
    private final ExchangeDataset right;
    private final JoinType type;
    private final int[] leftKeys;
    private final int[] rightKeys;
    private final int[] rightOut;
    private final Schema schema;
    private final Schema keySchema;

    JoinDataset(final Dataset l, final Dataset r, final List<String> lk, final List<String> rk, final JoinType type,
                final int partitions) {
        super(l.ctx);
        if (lk.size() != rk.size() || lk.isEmpty()) {
            throw new IllegalArgumentException("join needs the same number (> 0) of keys: left=" + lk + " right=" + rk);
        }
        this.type = type;
        leftKeys = new int[lk.size()];
        rightKeys = new int[rk.size()];
        final Set<String> droppedRight = new HashSet<>();
        for (int i = 0; i < lk.size(); i++) {
            leftKeys[i] = l.schema().indexOf(lk.get(i));
            rightKeys[i] = r.schema().indexOf(rk.get(i));
            final Field lf = l.schema().field(leftKeys[i]);
            final Field rf = r.schema().field(rightKeys[i]);
            if (lf.type() != rf.type()) {
                throw new IllegalArgumentException("join key types differ: left '" + lf.name() + "' type=" + lf.type()
                    + ", right '" + rf.name() + "' type=" + rf.type());
            }
            if (lf.name().equals(rf.name())) {
                droppedRight.add(rf.name());
            }
        }
        final List<Field> fields = new ArrayList<>(l.schema().fields());
        final List<Integer> rightColumns = new ArrayList<>();
        for (int c = 0; c < r.schema().fieldCount(); c++) {
            final Field f = r.schema().field(c);
            if (droppedRight.contains(f.name())) {
                continue;
            }
            if (l.schema().contains(f.name())) {
                throw new IllegalArgumentException("join output would have column '" + f.name() + "' twice: rename one side");
            }
            rightColumns.add(c);
            fields.add(type == JoinType.LEFT ? Field.nullable(f.name(), f.type()) : f);
        }
        final List<Field> keyFields = new ArrayList<>();
        for (final int k : rightKeys) {
            keyFields.add(r.schema().field(k));
        }
        keySchema = new Schema(keyFields);
        rightOut = rightColumns.stream().mapToInt(Integer::intValue).toArray();
        schema = new Schema(fields);
        left = new ExchangeDataset(l, lk, partitions);
        right = new ExchangeDataset(r, rk, partitions);
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public int numPartitions() {
        return left.numPartitions();
    }

    @Override
    StageInput openInput(final int[] parts) {
        if (right.parent() instanceof SourceDataset) {
            // a source's partitions come without a stage: its size is known before choosing how to join
            final Dataset source = right.parent();
            final List<Batch> small = source.computePartitions(source.allPartitions());
            long rows = 0;
            for (final Batch batch : small) {
                rows += batch.rowCount();
            }
            if (rows <= BROADCAST_ROWS) {
                return broadcast(parts, BatchBuilder.concatAndRelease(ctx.allocator(), source.schema(), small));
            }
            Batch.releaseAll(small);
        }
        final StageInput leftIn = left.openInput(parts);
        final StageInput rightIn;
        try {
            rightIn = right.openInput(parts);
        } catch (final RuntimeException ex) {
            leftIn.close();
            throw ex;
        }
        return new StageInput() {
            @Override
            public Batch get(final int k) {
                try (Batch l = leftIn.get(k); Batch r = rightIn.get(k)) {
                    return join(l, r);
                }
            }

            @Override
            public void close() {
                try {
                    leftIn.close();
                } finally {
                    rightIn.close();
                }
            }
        };
    }

    /**
     * The join with a small right side, {@code small} (taken over), in every task: no exchange of either side. Output
     * partition {@code j} joins left partitions {@code j}, {@code j + width}, ... each where it is (any placement of the
     * left rows is correct when every task sees the whole right side).
     */
    private StageInput broadcast(final int[] parts, final Batch small) {
        final Dataset leftParent = left.parent();
        final int width = numPartitions();
        final List<Integer> needed = new ArrayList<>();
        for (final int part : parts) {
            for (int p = part; p < leftParent.numPartitions(); p += width) {
                needed.add(p);
            }
        }
        final List<Batch> computed;
        try {
            computed = leftParent.computePartitions(needed.stream().mapToInt(Integer::intValue).toArray());
        } catch (final RuntimeException | Error ex) {
            small.release();
            throw ex;
        }
        return new StageInput() {
            @Override
            public Batch get(final int k) {
                final List<Batch> out = new ArrayList<>();
                try {
                    int at = 0;
                    for (int i = 0; i < k; i++) {
                        at += pieces(parts[i]);
                    }
                    for (int i = 0; i < pieces(parts[k]); i++) {
                        out.add(join(computed.get(at + i), small));
                    }
                    if (out.isEmpty()) {
                        try (Batch empty = BatchBuilder.empty(ctx.allocator(), leftParent.schema())) {
                            out.add(join(empty, small));
                        }
                    }
                } catch (final RuntimeException | Error ex) {
                    Batch.releaseAll(out);
                    throw ex;
                }
                return BatchBuilder.concatAndRelease(ctx.allocator(), schema, out);
            }

            /** How many left partitions output partition {@code part} reads. */
            private int pieces(final int part) {
                return part >= leftParent.numPartitions() ? 0 : (leftParent.numPartitions() - 1 - part) / width + 1;
            }

            @Override
            public void close() {
                try {
                    Batch.releaseAll(computed);
                } finally {
                    small.release();
                }
            }
        };
    }

    private Batch join(final Batch l, final Batch r) {
        // Build: the right keys' slots in a KeySlotIndex (hashed from the off-heap key bytes, no object per row);
        // head[slot] is the first right row of the key, next[row] the following one (rows ascend along a chain).
        final KeySlotIndex index = new KeySlotIndex(keySchema);
        final int[] next = new int[r.rowCount()];
        int[] head = new int[16];
        index.bind(r, rightKeys);
        final ColumnVector[] rk = keyVectors(r, rightKeys);
        for (int row = r.rowCount() - 1; row >= 0; row--) {
            if (anyNull(rk, row)) {
                continue;
            }
            int slot = index.find(row);
            if (slot == KeySlotIndex.MISSING) {
                slot = index.addLastFound();
                if (slot == head.length) {
                    head = Arrays.copyOf(head, head.length * 2);
                }
                next[row] = -1;
            } else {
                next[row] = head[slot];
            }
            head[slot] = row;
        }
        // Probe: each left row's key found from its own bytes; the matches become two row-index vectors that the
        // output gathers column by column (-1 on the right: a left row without a match, null right columns).
        index.bind(l, leftKeys);
        final ColumnVector[] lk = keyVectors(l, leftKeys);
        final boolean outer = type == JoinType.LEFT;
        int[] leftRows = new int[Math.max(16, l.rowCount())];
        int[] rightRows = new int[leftRows.length];
        int n = 0;
        for (int row = 0; row < l.rowCount(); row++) {
            int match = index.size() == 0 || anyNull(lk, row) ? KeySlotIndex.MISSING : index.find(row);
            if (match != KeySlotIndex.MISSING) {
                match = head[match];
            } else if (!outer) {
                continue;
            }
            do {
                if (n == leftRows.length) {
                    leftRows = Arrays.copyOf(leftRows, n * 2);
                    rightRows = Arrays.copyOf(rightRows, n * 2);
                }
                leftRows[n] = row;
                rightRows[n++] = match;
                match = match < 0 ? -1 : next[match];
            } while (match >= 0);
        }
        index.unbind();
        final int leftCols = l.columnCount();
        try (BatchBuilder out = new BatchBuilder(ctx.allocator(), schema, Math.max(1, n))) {
            for (int c = 0; c < leftCols; c++) {
                out.appendGathered(c, l.vector(c), leftRows, n);
            }
            for (int c = 0; c < rightOut.length; c++) {
                out.appendGathered(leftCols + c, r.vector(rightOut[c]), rightRows, n);
            }
            return out.build();
        }
    }

    private static ColumnVector[] keyVectors(final Batch batch, final int[] keys) {
        final ColumnVector[] vectors = new ColumnVector[keys.length];
        for (int k = 0; k < keys.length; k++) {
            vectors[k] = batch.vector(keys[k]);
        }
        return vectors;
    }

    /** Null keys never match: neither side's row with a null key column enters the table or finds a match. */
    private static boolean anyNull(final ColumnVector[] keys, final int row) {
        for (final ColumnVector key : keys) {
            if (key.isNull(row)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.join(left.parent(), right.parent(), left.keys(), right.keys(), type);
    }
}
