package io.sluice.nexmark;

import java.util.List;

import io.sluice.bench.report.RunLoad;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;

/**
 * The generator alone, for the report's breakdown: the events a query reads written into off-heap batches of
 * {@code BLOCK} event ids on one thread and released, with no engine. What remains of a query's CPU time is the
 * engine's.
 */
public final class GeneratorRunner {
    private static final long BLOCK = 200_000;

    private GeneratorRunner() {
    }

    public static RunResult run(final NexmarkQuery query, final NexmarkConfig config) {
        final RowDigest digest = new RowDigest();
        final NexmarkGenerator generator = new NexmarkGenerator(config);
        final long cpuBefore = RunLoad.processCpuNanos();
        final long start = System.nanoTime();
        try (BufferAllocator allocator = new BufferAllocator()) {
            for (final EventKind kind : query.inputs()) {
                final long count = kind.countBelow(config.maxEvents());
                for (long first = 0; first < count; first += BLOCK) {
                    final long last = Math.min(count, first + BLOCK);
                    try (ColumnarEventWriter writer = new ColumnarEventWriter(allocator, NexmarkSchemas.of(kind), (int) (last - first))) {
                        for (long index = first; index < last; index++) {
                            generator.write(kind, kind.eventId(index), writer);
                            writer.endRow();
                        }
                        final Batch batch = writer.build();
                        for (int row = 0; row < batch.rowCount(); row++) {
                            digest.endRow();
                        }
                        batch.release();
                    }
                }
            }
        }
        final long wall = System.nanoTime() - start;
        return new RunResult("generator", query, config.maxEvents(), wall, RunLoad.processCpuNanos() - cpuBefore, digest,
            List.of(), -1);
    }
}
