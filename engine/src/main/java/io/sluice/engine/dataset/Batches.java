package io.sluice.engine.dataset;

import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;

/** Batch helpers shared by the operators: release of many, columnar concatenation, row completion. */
final class Batches {
    private Batches() {
    }

    /** Releases every non-null batch, even if one release throws (the first failure is rethrown). */
    static void releaseAll(final Batch[] batches) {
        RuntimeException first = null;
        for (final Batch batch : batches) {
            if (batch != null) {
                try {
                    batch.release();
                } catch (final RuntimeException ex) {
                    if (first == null) {
                        first = ex;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static void releaseAll(final List<Batch> batches) {
        releaseAll(batches.toArray(new Batch[0]));
    }

    /**
     * Completes row {@code row} of a builder filled by a mix of value copies and setters: a copy into the last
     * column already completed the row (the builder syncs on whole-column appends), otherwise end it here.
     */
    static void finishRow(final BatchBuilder builder, final int row) {
        if (builder.rowCount() == row) {
            builder.endRow();
        }
    }
}
