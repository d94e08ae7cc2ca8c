package io.sluice.engine.dataset;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.Schema;

/** Source partitions made by a generator inside the tasks that read them (so recomputable at no storage cost). */
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
            public void close() {
            }
        };
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.generated(schema, partitions, generator);
    }
}
