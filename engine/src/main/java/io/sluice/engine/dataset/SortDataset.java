package io.sluice.engine.dataset;

import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.Schema;

/**
 * Sort with optional limit (top-k) into one partition: each input partition keeps its own first {@code limit} rows
 * in sort order (in its stage), and the single output task merges those partial results.
 */
final class SortDataset extends Dataset {
    private final Dataset parent;
    private final RowSorter sorter;
    private final List<SortKey> keys;
    private final int limit;

    SortDataset(final Dataset parent, final List<SortKey> keys, final int limit) {
        super(parent.ctx);
        if (limit < 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be >= 0");
        }
        this.parent = parent;
        this.keys = keys;
        this.limit = limit;
        this.sorter = new RowSorter(parent.schema(), keys);
    }

    @Override
    public Schema schema() {
        return parent.schema();
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    @Override
    public Dataset limit(final int n) {
        // orderBy(...).limit(n) is a top-k of the same order, not a limit of the sorted partition.
        return new SortDataset(parent, keys, Math.min(n, limit));
    }

    @Override
    StageInput openInput(final int[] parts) {
        final List<Batch> partial = parent.runChain("topk-partial", parent.allPartitions(), (b, k) -> {
            try {
                return sorter.firstRows(b, limit, ctx.allocator());
            } finally {
                b.release();
            }
        }, parent::concatParts, Batch::release).values;
        return new StageInput() {
            @Override
            public Batch get(final int k) {
                final List<Batch> held = new java.util.ArrayList<>(partial.size());
                try {
                    for (final Batch b : partial) {
                        held.add(b.retain());
                    }
                    try (Batch all = BatchBuilder.concat(ctx.allocator(), schema(), held)) {
                        return sorter.firstRows(all, limit, ctx.allocator());
                    }
                } finally {
                    Batch.releaseAll(held);
                }
            }

            @Override
            public void close() {
                Batch.releaseAll(partial);
            }
        };
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.sort(parent, keys, limit);
    }

    Dataset parent() {
        return parent;
    }
}
