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
import org.agrona.collections.Object2IntHashMap;

/**
 * Hash join: both sides go through a columnar hash exchange on their keys into the same partition count, then
 * each output partition builds a table over its right batch and probes it with its left batch. Output: the left
 * columns, then the right columns except right keys named like their left key. Null keys never match.
 */
final class JoinDataset extends Dataset {
    private final ExchangeDataset left;
    private final ExchangeDataset right;
    private final JoinType type;
    private final int[] leftKeys;
    private final int[] rightKeys;
    private final int[] rightOut;
    private final Schema schema;

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

    private Batch join(final Batch l, final Batch r) {
        // Build: key -> first right row; next[row] chains rows of equal key (in reverse insertion order).
        final Object2IntHashMap<KeyEncoder.Key> heads = new Object2IntHashMap<>(-1);
        final int[] next = new int[r.rowCount()];
        Arrays.fill(next, -1);
        final KeyEncoder rightEncoder = new KeyEncoder(rightKeys);
        rightEncoder.reset(r);
        for (int row = r.rowCount() - 1; row >= 0; row--) {
            final KeyEncoder.Key key = rightEncoder.encode(row);
            if (rightEncoder.anyNull()) {
                continue;
            }
            final int head = heads.getValue(key);
            if (head >= 0) {
                next[row] = head;
                heads.put(key, row);
            } else {
                heads.put(key.copy(), row);
            }
        }
        final KeyEncoder leftEncoder = new KeyEncoder(leftKeys);
        leftEncoder.reset(l);
        final int leftCols = l.columnCount();
        final ColumnVector[] lv = new ColumnVector[leftCols];
        for (int c = 0; c < leftCols; c++) {
            lv[c] = l.vector(c);
        }
        final ColumnVector[] rv = new ColumnVector[rightOut.length];
        for (int c = 0; c < rightOut.length; c++) {
            rv[c] = r.vector(rightOut[c]);
        }
        try (BatchBuilder out = new BatchBuilder(ctx.allocator(), schema, l.rowCount())) {
            int rows = 0;
            for (int row = 0; row < l.rowCount(); row++) {
                final KeyEncoder.Key key = leftEncoder.encode(row);
                int match = leftEncoder.anyNull() ? -1 : heads.getValue(key);
                if (match < 0 && type == JoinType.LEFT) {
                    for (int c = 0; c < leftCols; c++) {
                        out.appendValue(c, lv[c], row);
                    }
                    for (int c = 0; c < rv.length; c++) {
                        out.setNull(leftCols + c);
                    }
                    out.finishRow(rows++);
                }
                for (; match >= 0; match = next[match]) {
                    for (int c = 0; c < leftCols; c++) {
                        out.appendValue(c, lv[c], row);
                    }
                    for (int c = 0; c < rv.length; c++) {
                        out.appendValue(leftCols + c, rv[c], match);
                    }
                    out.finishRow(rows++);
                }
            }
            return out.build();
        }
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.join(left.parent(), right.parent(), left.keys(), right.keys(), type);
    }
}
