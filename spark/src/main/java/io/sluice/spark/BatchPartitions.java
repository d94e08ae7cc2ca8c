package io.sluice.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import io.sluice.engine.dataset.PartitionGenerator;
import io.sluice.engine.dataset.Rows;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * Spark tasks that make the rows of one Sluice source partition where they run (on an executor): a batch file read
 * with {@link BatchFileReader}, or a {@link PartitionGenerator} run into a {@link BatchBuilder}. Each task uses its own
 * allocator and closes it, so an executor holds no off-heap memory between tasks. Executors need Sluice's JVM flags
 * ({@code sluice.jvmopts}) like any Sluice process.
 */
final class BatchPartitions {
    private BatchPartitions() {
    }

    /** Rows of the batch files, one Spark partition per file (input: the file paths as strings). */
    static FlatMapFunction<Iterator<String>, Row> files(final SchemaSpec spec) {
        return paths -> {
            final Schema schema = spec.schema();
            final List<Row> rows = new ArrayList<>();
            while (paths.hasNext()) {
                final Path file = Path.of(paths.next());
                try (BufferAllocator allocator = new BufferAllocator(); BatchFileReader reader = BatchFileReader.open(file)) {
                    if (!reader.schema().equals(schema)) {
                        throw new IllegalStateException("batch file " + file + " has schema=" + reader.schema() + ", expected "
                            + schema);
                    }
                    final List<Batch> batches = reader.readAll(allocator);
                    try {
                        for (final Batch b : batches) {
                            addRows(b, rows);
                        }
                    } finally {
                        Batch.releaseAll(batches);
                    }
                }
            }
            return rows.iterator();
        };
    }

    /** Rows of the generated partitions (input: the partition numbers). */
    static FlatMapFunction<Iterator<Integer>, Row> generated(final SchemaSpec spec, final PartitionGenerator generator) {
        final GeneratorTask task = new GeneratorTask(spec, generator);
        return task::rows;
    }

    private static void addRows(final Batch batch, final List<Row> rows) {
        final Object[] values = new Object[batch.columnCount()];
        for (int r = 0; r < batch.rowCount(); r++) {
            for (int c = 0; c < values.length; c++) {
                values[c] = Rows.value(batch.vector(c), r);
            }
            rows.add(RowFactory.create(values.clone()));
        }
    }

    /** The generator task's state: serializable as a whole, so Spark ships the (checked) generator with it. */
    private static final class GeneratorTask implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SchemaSpec spec;
        private final PartitionGenerator generator;

        GeneratorTask(final SchemaSpec spec, final PartitionGenerator generator) {
            this.spec = spec;
            this.generator = generator;
        }

        Iterator<Row> rows(final Iterator<Integer> partitions) {
            final Schema schema = spec.schema();
            final List<Row> rows = new ArrayList<>();
            while (partitions.hasNext()) {
                final int p = partitions.next();
                try (BufferAllocator allocator = new BufferAllocator()) {
                    try (BatchBuilder builder = new BatchBuilder(allocator, schema)) {
                        generator.generate(p, builder);
                        try (Batch batch = builder.build()) {
                            addRows(batch, rows);
                        }
                    }
                }
            }
            return rows.iterator();
        }
    }
}
