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
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.Schema;

/**
 * Partitions stored one per file, {@code part-<5 digits>.<ext>} in a {@link PartitionFileFormat}, read inside the
 * tasks.
 */
final class FileDataset extends Dataset {
    private static final AtomicLong ATTEMPTS = new AtomicLong();
    private final PartitionFileFormat format;
    private final Schema schema;
    private final List<Path> files;

    private FileDataset(final ExecutionContext ctx, final PartitionFileFormat format, final Schema schema, final List<Path> files) {
        super(ctx);
        this.format = format;
        this.schema = schema;
        this.files = files;
    }

    static String fileName(final PartitionFileFormat format, final int partition) {
        return BatchFolderDescriptor.partFile(partition, format.extension());
    }

    /** The files {@code part-00000..} of {@code format} in {@code dir}, numbered from 0 without gaps. */
    static FileDataset open(final ExecutionContext ctx, final Path dir, final PartitionFileFormat format) {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> BatchFolderDescriptor.isPartFile(p.getFileName().toString(), format.extension())).sorted()
                .forEach(files::add);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot list " + format.description() + " files in dir=" + dir, ex);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no part-*" + format.extension() + " " + format.description() + " files in dir=" + dir);
        }
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).getFileName().toString().equals(fileName(format, i))) {
                throw new IllegalArgumentException(format.description() + " files in dir=" + dir + " are not numbered 0.."
                    + (files.size() - 1) + ": found " + files.get(i).getFileName() + " at index=" + i);
            }
        }
        return of(ctx, format, files);
    }

    /** One partition per file of {@code files}, all of the first file's schema (checked as each is read). */
    static FileDataset of(final ExecutionContext ctx, final PartitionFileFormat format, final List<Path> files) {
        return new FileDataset(ctx, format, format.readSchema(files.get(0)), List.copyOf(files));
    }

    static void write(final Dataset dataset, final Path dir, final PartitionFileFormat format) {
        try {
            Files.createDirectories(dir);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot create dir=" + dir, ex);
        }
        try {
            dataset.runChain("write", dataset.allPartitions(), (b, k) -> {
                try {
                    writePartition(b, dir, k, format);
                    return null;
                } finally {
                    b.release();
                }
                // Not mergeable (one file per partition), so write tasks never split.
            }, null, v -> { });
        } finally {
            // The stage returns only once no attempt of it runs, so what an interrupted or failed attempt left
            // behind can go now: the folder then holds the part files only, as after an uninterrupted write.
            deleteAttemptLeftovers(dir);
        }
    }

    /** Deletes {@code part-*.<ext>.attempt-*} files (and their {@code .tmp}) in {@code dir}. */
    static void deleteAttemptLeftovers(final Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            for (final Path p : (Iterable<Path>) list::iterator) {
                if (BatchFolderDescriptor.isAttemptFile(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot clean up write attempts in dir=" + dir, ex);
        }
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
                final List<Batch> batches = format.readAll(file, ctx.allocator());
                try {
                    if (!batches.isEmpty() && !batches.get(0).schema().equals(schema)) {
                        throw new IllegalStateException(format.description() + " file " + file + " has schema="
                            + batches.get(0).schema() + ", expected " + schema);
                    }
                    if (batches.size() == 1) {
                        return batches.get(0).retain();
                    }
                    return BatchBuilder.concat(ctx.allocator(), schema, batches);
                } finally {
                    Batch.releaseAll(batches);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    static void writePartition(final Batch batch, final Path dir, final int partition, final PartitionFileFormat format) {
        // Each attempt writes its own file and renames it into place, so concurrent attempts never share a file.
        final Path target = dir.resolve(fileName(format, partition));
        final Path mine = dir.resolve(BatchFolderDescriptor.attemptFile(fileName(format, partition), ATTEMPTS.incrementAndGet()));
        format.write(mine, batch);
        try {
            Files.move(mine, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException ex) {
            final UncheckedIOException failure = new UncheckedIOException("cannot move " + mine + " to " + target, ex);
            try {
                Files.deleteIfExists(mine);
            } catch (final IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    /** Sluice batch files go to {@link LineageVisitor#files}, Arrow IPC files to {@link LineageVisitor#arrowFiles}. */
    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return format == PartitionFileFormat.BATCH_FILES ? visitor.files(schema, List.copyOf(files))
            : visitor.arrowFiles(schema, List.copyOf(files));
    }

    @Override
    public String toString() {
        return "FileDataset[" + format.description() + " files=" + files.size() + " schema=" + schema + "]";
    }
}
