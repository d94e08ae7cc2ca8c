package io.sluice.engine.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.Schema;

/** Partitions stored as batch files {@code part-<5 digits>.sbf}, one per partition, read inside the tasks. */
final class FileDataset extends Dataset {
    private static final AtomicLong ATTEMPTS = new AtomicLong();
    private final Schema schema;
    private final List<Path> files;

    private FileDataset(final ExecutionContext ctx, final Schema schema, final List<Path> files) {
        super(ctx);
        this.schema = schema;
        this.files = files;
    }

    static String fileName(final int partition) {
        return BatchFolderDescriptor.partFile(partition);
    }

    static FileDataset open(final ExecutionContext ctx, final Path dir) {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> BatchFolderDescriptor.isPartFile(p.getFileName().toString())).sorted().forEach(files::add);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot list batch files in dir=" + dir, ex);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no part-*.sbf batch files in dir=" + dir);
        }
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).getFileName().toString().equals(fileName(i))) {
                throw new IllegalArgumentException("batch files in dir=" + dir + " are not numbered 0.." + (files.size() - 1)
                    + ": found " + files.get(i).getFileName() + " at index=" + i);
            }
        }
        final Schema schema;
        try (BatchFileReader reader = BatchFileReader.open(files.get(0))) {
            schema = reader.schema();
        }
        return new FileDataset(ctx, schema, files);
    }

    static void write(final Dataset dataset, final Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot create dir=" + dir, ex);
        }
        dataset.runChain("write", dataset.allPartitions(), (b, k) -> {
            try {
                writePartition(b, dir, k);
                return null;
            } finally {
                b.release();
            }
            // Not mergeable (one file per partition), so write tasks never split.
        }, null, v -> { });
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public int numPartitions() {
        return files.size();
    }

    @Override
    StageInput openInput(final int[] parts) {
        return new StageInput() {
            @Override
            public Batch get(final int k) {
                final Path file = files.get(parts[k]);
                try (BatchFileReader reader = BatchFileReader.open(file)) {
                    if (!reader.schema().equals(schema)) {
                        throw new IllegalStateException("batch file " + file + " has schema=" + reader.schema() + ", expected "
                            + schema);
                    }
                    final List<Batch> batches = reader.readAll(ctx.allocator());
                    try {
                        return BatchBuilder.concat(ctx.allocator(), schema, batches);
                    } finally {
                        Batch.releaseAll(batches);
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }

    static void writePartition(final Batch batch, final Path dir, final int partition) {
        // Each attempt writes its own file and renames it into place, so concurrent attempts never share a file.
        final Path target = dir.resolve(fileName(partition));
        final Path mine = dir.resolve(BatchFolderDescriptor.attemptFile(fileName(partition), ATTEMPTS.incrementAndGet()));
        try (BatchFileWriter writer = BatchFileWriter.create(mine, batch.schema())) {
            writer.write(batch);
        }
        try {
            Files.move(mine, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot move " + mine + " to " + target, ex);
        }
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.files(schema, List.copyOf(files));
    }
}
