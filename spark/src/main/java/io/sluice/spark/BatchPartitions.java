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
import io.sluice.memory.arrow.ArrowIpcReader;
import io.sluice.memory.arrow.ArrowTable;

/**
 * Spark tasks that make the rows of one Sluice source partition where they run (on an executor): a batch file read
 * with {@link BatchFileReader}, or a {@link PartitionGenerator} run into a {@link BatchBuilder}. Each task uses its own
 * allocator and closes it, so an executor holds no off-heap memory between tasks. Executors need Sluice's JVM flags
 * ({@code sluice.jvmopts}) like any Sluice process.
 */
final class BatchPartitions {
    private BatchPartitions() {
    }

    /**
     * Rows of the batch files ({@code arrow}: Arrow IPC files), one Spark partition per file (input: the file paths
     * as strings).
     */
    static FlatMapFunction<Iterator<String>, Row> files(final SchemaSpec spec, final boolean arrow) {
        return paths -> {
            final Schema schema = spec.schema();
            final List<Row> rows = new ArrayList<>();
            while (paths.hasNext()) {
                addFileRows(Path.of(paths.next()), schema, arrow, rows);
            }
            return rows.iterator();
        };
    }

    /** Appends the rows of one batch file (or Arrow IPC file) of {@code schema} to {@code rows}. */
    static void addFileRows(final Path file, final Schema schema, final boolean arrow, final List<Row> rows) {
        try (BufferAllocator allocator = new BufferAllocator()) {
            final List<Batch> batches;
            final Schema found;
            if (arrow) {
                try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
                    found = table.schema();
                    batches = new ArrayList<>();
                    for (final Batch b : table.batches()) {
                        batches.add(b.retain());
                    }
                }
            } else {
                try (BatchFileReader reader = BatchFileReader.open(file)) {
                    found = reader.schema();
                    batches = reader.readAll(allocator);
                }
            }
            try {
                if (!found.equals(schema)) {
                    throw new IllegalStateException((arrow ? "Arrow IPC file " : "batch file ") + file + " has schema=" + found
                        + ", expected " + schema);
                }
                for (final Batch b : batches) {
                    addRows(b, rows);
                }
            } finally {
                Batch.releaseAll(batches);
            }
        }
    }

    /** Rows of the generated partitions (input: the partition numbers). */
    static FlatMapFunction<Iterator<Integer>, Row> generated(final SchemaSpec spec, final PartitionGenerator generator) {
        final GeneratorTask task = new GeneratorTask(spec, generator);
        return task::rows;
    }

    /** Appends {@code batch}'s rows, boxed as {@code Dataset.collect()} boxes them. */
    static void addRows(final Batch batch, final List<Row> rows) {
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
        @SuppressWarnings("serial") // a checked serializable generator (JDK 18+ lint)
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
