package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import io.sluice.engine.dataset.Dataset;
import io.sluice.memory.BatchFolderDescriptor;
import io.sluice.memory.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once output to files, one folder per batch time: batch time t is written to {@code dir/.tmp-batch-<t>} and
 * committed by an atomic rename to {@code dir/batch-<t>}; a batch time whose folder exists was committed before (a
 * replay after a restart) and is skipped. The folder holds Sluice batch files ({@link DStream#writeBatchFiles}: read a
 * committed batch back with {@code ExecutionContext.readFiles(committed(t))}) or Arrow IPC files
 * ({@link DStream#writeArrowFiles}: {@code ExecutionContext.readArrow(committed(t))}).
 */
public final class BatchFileSink implements DatasetJob {
    private static final Logger LOG = LoggerFactory.getLogger(BatchFileSink.class);

    private final Path dir;
    private final BiConsumer<Dataset, Path> format;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private boolean sweptLeftovers;

    /** A sink writing each dataset into its batch time's folder with {@code format} ({@code Dataset::write}, ...). */
    BatchFileSink(final Path dir, final BiConsumer<Dataset, Path> format) {
        this.dir = dir.toAbsolutePath();
        this.format = format;
    }

    /** The committed folder of batch time {@code batchTimeMillis}. */
    public Path committed(final long batchTimeMillis) {
        return dir.resolve(BatchFolderDescriptor.batchFolder(batchTimeMillis));
    }

    @Override
    public void process(final long batchTimeMillis, final Dataset dataset) {
        sweepLeftoversOnce();
        final Path target = committed(batchTimeMillis);
        if (Files.isDirectory(target)) {
            skipped.incrementAndGet();
            LOG.info("batch time {} already committed to {}: skipped", batchTimeMillis, target);
            return;
        }
        final Path tmp = dir.resolve(BatchFolderDescriptor.tempBatchFolder(batchTimeMillis));
        try {
            Files.createDirectories(dir);
            Folders.deleteTree(tmp);
            format.accept(dataset, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot commit batch time=" + batchTimeMillis + " to " + target, ex);
        }
        written.incrementAndGet();
    }

    /**
     * Before the first batch of a run, deletes every {@code .tmp-batch-*} folder an earlier run left (killed mid-write):
     * a batch time that is not replayed (an empty one, never logged) would otherwise leave it there for good. Batches
     * run one at a time, so no write of this sink is under way.
     */
    private void sweepLeftoversOnce() {
        if (sweptLeftovers) {
            return;
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (final Path entry : (Iterable<Path>) entries::iterator) {
                    if (entry.getFileName().toString().startsWith(BatchFolderDescriptor.TEMP_BATCH_FOLDER_PREFIX)) {
                        LOG.info("deleting {} left by an interrupted write of an earlier run", entry);
                        Folders.deleteTree(entry);
                    }
                }
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot clean up " + dir, ex);
            }
        }
        sweptLeftovers = true;
    }

    /** Batch times committed by this sink. */
    public long written() {
        return written.get();
    }

    /** Batch times skipped because they were already committed. */
    public long skipped() {
        return skipped.get();
    }
}
