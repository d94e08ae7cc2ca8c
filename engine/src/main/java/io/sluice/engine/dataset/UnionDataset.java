package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/** The partitions of the left dataset followed by those of the right; each side computes in its own stage. */
final class UnionDataset extends Dataset {
    private final Dataset left;
    private final Dataset right;

    UnionDataset(final Dataset left, final Dataset right) {
        super(left.ctx);
        if (!left.schema().equals(right.schema())) {
            throw new IllegalArgumentException("union needs equal schemas: left=" + left.schema() + " right=" + right.schema());
        }
        this.left = left;
        this.right = right;
    }

    @Override
    public Schema schema() {
        return left.schema();
    }

    @Override
    public int numPartitions() {
        return left.numPartitions() + right.numPartitions();
    }

    @Override
    StageInput openInput(final int[] parts) {
        final int split = left.numPartitions();
        final List<Integer> leftAt = new ArrayList<>();
        final List<Integer> rightAt = new ArrayList<>();
        for (int k = 0; k < parts.length; k++) {
            (parts[k] < split ? leftAt : rightAt).add(k);
        }
        final Batch[] held = new Batch[parts.length];
        try {
            fill(left, leftAt, parts, 0, held);
            fill(right, rightAt, parts, split, held);
        } catch (final RuntimeException ex) {
            Batch.releaseAll(held);
            throw ex;
        }
        return new PreparedInput(held);
    }

    private static void fill(final Dataset side, final List<Integer> at, final int[] parts, final int base, final Batch[] held) {
        if (at.isEmpty()) {
            return;
        }
        final int[] local = new int[at.size()];
        for (int i = 0; i < local.length; i++) {
            local[i] = parts[at.get(i)] - base;
        }
        final List<Batch> batches = side.computePartitions(local);
        for (int i = 0; i < local.length; i++) {
            held[at.get(i)] = batches.get(i);
        }
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.union(left, right);
    }
}
