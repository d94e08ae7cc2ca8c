package io.sluice.engine.stream.dstream;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.dataset.Dataset;

/**
 * An output that collects every dataset of a stream as boxed rows, per batch time (for tests and small results).
 * At-least-once: a batch time replayed after a restart is collected again. Thread-safe: {@link #snapshot()} may be
 * called from any thread while the stream runs.
 */
public final class MemorySink implements DatasetJob {
    private final List<BatchRows> batches = new ArrayList<>();

    /** The rows of one batch time, in the dataset's partition order. */
    public record BatchRows(long batchTimeMillis, List<Object[]> rows) {
        public BatchRows {
            rows = List.copyOf(rows);
        }
    }

    MemorySink() {
    }

    @Override
    public void process(final long batchTimeMillis, final Dataset dataset) {
        final List<Object[]> rows = dataset.collect();
        synchronized (this) {
            batches.add(new BatchRows(batchTimeMillis, rows));
        }
    }

    /** Every batch time collected so far, oldest first (an immutable copy). */
    public synchronized List<BatchRows> snapshot() {
        return List.copyOf(batches);
    }

    /** The batch times collected so far, oldest first. */
    public synchronized List<Long> batchTimes() {
        final List<Long> times = new ArrayList<>(batches.size());
        for (final BatchRows b : batches) {
            times.add(b.batchTimeMillis());
        }
        return times;
    }
}
