package io.sluice.engine.dataset;

import io.sluice.memory.Batch;

/** A stage input over batches already in memory; it owns one reference to each and hands out extra ones. */
final class PreparedInput implements StageInput {
    private final Batch[] batches;

    /** Takes over one reference to each batch. */
    PreparedInput(final Batch[] batches) {
        this.batches = batches;
    }

    @Override
    public Batch get(final int k) {
        // retain() throws if the driver already released the input, so a late attempt never reads freed memory.
        return batches[k].retain();
    }

    @Override
    public long rows(final int k) {
        return batches[k].rowCount();
    }

    @Override
    public void close() {
        Batch.releaseAll(batches);
    }
}
