package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.HashPartitioner;
import io.sluice.memory.Schema;

/**
 * A columnar hash exchange: the map stage ends each parent task by splitting its batch with a
 * {@link HashPartitioner} into one batch per output partition; output partition j is the column-wise
 * concatenation of every map task's piece j, built inside the consuming task. Pieces are released when the
 * consuming stage ends.
 */
final class ExchangeDataset extends Dataset {
    private final Dataset parent;
    private final HashPartitioner partitioner;

    ExchangeDataset(final Dataset parent, final List<String> keys, final int partitions) {
        super(parent.ctx);
        for (final String key : keys) {
            parent.schema().indexOf(key);
        }
        this.parent = parent;
        this.partitioner = new HashPartitioner(partitions, keys);
    }

    /**
     * Merges the pieces of a split map task by appending the parts' piece lists in row order: piece j of part i
     * lands at index {@code i x partitions + j}, and the consumer of partition j reads every index j mod partitions.
     */
    private static List<Batch> appendParts(final List<List<Batch>> parts) {
        final List<Batch> all = new ArrayList<>();
        for (final List<Batch> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    @Override
    public Schema schema() {
        return parent.schema();
    }

    @Override
    public int numPartitions() {
        return partitioner.partitions();
    }

    @Override
    StageInput openInput(final int[] parts) {
        final List<List<Batch>> pieces = parent.runChain("exchange-map", parent.allPartitions(), (b, k) -> {
            try {
                return partitioner.partition(b, ctx.allocator());
            } finally {
                b.release();
            }
        }, ExchangeDataset::appendParts, Batch::releaseAll).values;
        final int width = partitioner.partitions();
        final Schema schema = schema();
        return new StageInput() {
            @Override
            public Batch get(final int k) {
                final List<Batch> mine = new ArrayList<>(pieces.size());
                try {
                    for (final List<Batch> map : pieces) {
                        for (int i = parts[k]; i < map.size(); i += width) {
                            mine.add(map.get(i).retain());
                        }
                    }
                    return BatchBuilder.concat(ctx.allocator(), schema, mine);
                } finally {
                    Batch.releaseAll(mine);
                }
            }

            @Override
            public void close() {
                for (final List<Batch> map : pieces) {
                    Batch.releaseAll(map);
                }
            }
        };
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.exchange(parent, partitioner.keyColumns(), partitioner.partitions());
    }

    Dataset parent() {
        return parent;
    }

    List<String> keys() {
        return partitioner.keyColumns();
    }
}
