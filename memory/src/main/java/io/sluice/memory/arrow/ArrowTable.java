package io.sluice.memory.arrow;

import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * What an Arrow IPC input held: its schema and its record batches, in order (possibly none). Owns the batches:
 * {@link #close()} releases every one; take a batch out with {@link Batch#retain()} first.
 */
public final class ArrowTable implements AutoCloseable {
    private final Schema schema;
    private final List<Batch> batches;
    private boolean closed;

    ArrowTable(final Schema schema, final List<Batch> batches) {
        this.schema = schema;
        this.batches = List.copyOf(batches);
    }

    public Schema schema() {
        return schema;
    }

    public List<Batch> batches() {
        return batches;
    }

    /** Rows over all batches. */
    public long rowCount() {
        long rows = 0;
        for (final Batch batch : batches) {
            rows += batch.rowCount();
        }
        return rows;
    }

    /** Releases every batch. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (final Batch batch : batches) {
                batch.release();
            }
        }
    }
}
