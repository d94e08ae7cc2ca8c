package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * A dataset over batches already in memory, made by {@link ExecutionContext#fromRows} or
 * {@link ExecutionContext#fromBatches}: it holds one reference to each batch until {@link #close()} (use
 * try-with-resources) or, at the latest, until its context closes. After {@code close()} an action on this dataset
 * or on any dataset derived from it throws {@link IllegalStateException}; an action already running keeps the
 * batches it opened until it returns, so closing never frees memory a task is reading. Thread-safe.
 */
public final class SourceDataset extends Dataset implements AutoCloseable {
    private final Schema schema;
    private final Batch[] batches;
    private final String origin;
    private final boolean owned;
    private final Runnable onContextClose = this::close;
    private boolean closed;

    /**
     * A dataset over {@code batches}, one partition each. If {@code owned}, it takes over one reference to each batch
     * (released by {@link #close()} or when the context closes); otherwise it borrows them and never releases.
     */
    SourceDataset(final ExecutionContext ctx, final Schema schema, final Batch[] batches, final String origin,
                  final boolean owned) {
        super(ctx);
        this.schema = schema;
        this.batches = batches;
        this.origin = origin;
        this.owned = owned;
        if (owned) {
            try {
                ctx.registerOnClose(onContextClose);
            } catch (final RuntimeException ex) {
                Batch.releaseAll(batches);
                throw ex;
            }
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public int numPartitions() {
        return batches.length;
    }

    /** Whether {@link #close()} ran (or the context closed). */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    StageInput openInput(final int[] parts) {
        return new PreparedInput(retain(parts));
    }

    /**
     * A reference to the batch of each of {@code parts}, in order, without running a stage (a source's partitions are
     * its batches, whose fixed cost a stream would otherwise pay every batch time); the caller releases them.
     */
    @Override
    List<Batch> computePartitions(final int[] parts) {
        return new ArrayList<>(Arrays.asList(retain(parts)));
    }

    private synchronized Batch[] retain(final int[] parts) {
        if (closed) {
            throw new IllegalStateException("dataset " + origin + " is closed: its batches were released by close() or by"
                + " closing its execution context; create it again to use it");
        }
        final Batch[] held = new Batch[parts.length];
        try {
            for (int k = 0; k < parts.length; k++) {
                held[k] = batches[parts[k]].retain();
            }
        } catch (final RuntimeException ex) {
            Batch.releaseAll(held);
            throw ex;
        }
        return held;
    }

    /** Releases the batches (if this dataset owns them) now rather than when the context closes. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (owned) {
            ctx.unregisterOnClose(onContextClose);
            Batch.releaseAll(batches);
        }
    }

    @Override
    public String toString() {
        return "SourceDataset[" + origin + " partitions=" + batches.length + " schema=" + schema + "]";
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.rows(this);
    }
}
