package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.Schema;

/**
 * Source partitions made by a generator inside the tasks that read them (so recomputable at no storage cost). A
 * {@link PartitionGenerator.Ranged} generator's partitions have known sizes, so their tasks generate them in
 * chunks and may split while they run.
 */
final class GeneratedDataset extends Dataset {
    private final Schema schema;
    private final int partitions;
    private final PartitionGenerator generator;

    GeneratedDataset(final ExecutionContext ctx, final Schema schema, final int partitions, final PartitionGenerator generator) {
        super(ctx);
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions=" + partitions + " must be >= 0");
        }
        this.schema = schema;
        this.partitions = partitions;
        this.generator = generator;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    StageInput openInput(final int[] parts) {
        return new StageInput() {
            @Override
            public Batch get(final int k) {
                try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), schema)) {
                    generator.generate(parts[k], builder);
                    return builder.build();
                }
            }

            @Override
            public Batch get(final int k, final long from, final long to) {
                if (!(generator instanceof PartitionGenerator.Ranged)) {
                    return StageInput.super.get(k, from, to);
                }
                try (BatchBuilder builder = new BatchBuilder(ctx.allocator(), schema, (int) Math.max(1, to - from))) {
                    ((PartitionGenerator.Ranged) generator).generate(parts[k], from, to, builder);
                    if (builder.rowCount() != to - from) {
                        throw new IllegalStateException("generator of partition=" + parts[k] + " appended "
                            + builder.rowCount() + " rows for range [" + from + ", " + to + ")");
                    }
                    return builder.build();
                }
            }

            @Override
            public long rows(final int k) {
                return generator instanceof PartitionGenerator.Ranged
                    ? ((PartitionGenerator.Ranged) generator).rows(parts[k]) : -1;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.generated(schema, partitions, generator);
    }
}
