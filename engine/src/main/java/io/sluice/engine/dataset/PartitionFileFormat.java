package io.sluice.engine.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchFileReader;
import io.sluice.memory.BatchFileWriter;
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;
import io.sluice.memory.arrow.ArrowIpcReader;
import io.sluice.memory.arrow.ArrowIpcWriter;
import io.sluice.memory.arrow.ArrowTable;

/** A file format one partition is stored in: Sluice batch files or Arrow IPC files. */
enum PartitionFileFormat {
    /** Sluice batch files ({@code .sbf}): CRC-checked, Sluice only. */
    BATCH_FILES(BatchFolderDescriptor.EXTENSION, "batch") {
        @Override
        Schema readSchema(final Path file) {
            try (BatchFileReader reader = BatchFileReader.open(file)) {
                return reader.schema();
            }
        }

        @Override
        List<Batch> readAll(final Path file, final BufferAllocator allocator) {
            try (BatchFileReader reader = BatchFileReader.open(file)) {
                return reader.readAll(allocator);
            }
        }

        @Override
        void write(final Path file, final Batch batch) {
            try (BatchFileWriter writer = BatchFileWriter.create(file, batch.schema())) {
                writer.write(batch);
            }
        }
    },
    /** Arrow IPC files ({@code .arrow}, file format; streams are read too), readable by the Arrow ecosystem. */
    ARROW(BatchFolderDescriptor.ARROW_EXTENSION, "arrow") {
        @Override
        Schema readSchema(final Path file) {
            return ArrowIpcReader.readSchema(file);
        }

        @Override
        List<Batch> readAll(final Path file, final BufferAllocator allocator) {
            try (ArrowTable table = ArrowIpcReader.read(file, allocator)) {
                final List<Batch> batches = new ArrayList<>(table.batches().size());
                for (final Batch batch : table.batches()) {
                    batches.add(batch.retain());
                }
                return batches;
            }
        }

        @Override
        void write(final Path file, final Batch batch) {
            try (ArrowIpcWriter writer = ArrowIpcWriter.file(file, batch.schema())) {
                writer.write(batch);
            }
        }
    };

    private final String extension;
    private final String description;

    PartitionFileFormat(final String extension, final String description) {
        this.extension = extension;
        this.description = description;
    }

    /** File name extension, with the dot. */
    String extension() {
        return extension;
    }

    /** How messages name these files: "batch" or "arrow". */
    String description() {
        return description;
    }

    /** The schema stored in {@code file}. */
    abstract Schema readSchema(Path file);

    /** Every batch of {@code file}; the caller releases them. */
    abstract List<Batch> readAll(Path file, BufferAllocator allocator);

    /** Writes {@code batch} as the only batch of {@code file}, replacing it. */
    abstract void write(Path file, Batch batch);
}
