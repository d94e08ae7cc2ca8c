package io.sluice.engine.stream.dstream;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.StreamInput;
import io.sluice.memory.Batch;

/** The micro-batches of one input as source datasets of zero-copy slices (released when the batch time ends). */
final class InputDStream extends DStream {
    private final StreamInput input;

    InputDStream(final DStreamGraph graph, final StreamInput input) {
        super(graph, input.schema(), graph.batchIntervalMillis());
        this.input = input;
    }

    @Override
    Dataset compute(final long batchTime) {
        final Batch batch = graph().currentBatch().batch(input);
        final int rows = batch.rowCount();
        final int parts = rows == 0 ? 1 : Math.min(graph().partitions(), rows);
        final List<Batch> slices = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            final int from = (int) ((long) rows * p / parts);
            final int to = (int) ((long) rows * (p + 1) / parts);
            slices.add(graph().releaseAfterBatch(batch.slice(from, to)));
        }
        return graph().borrow(schema(), slices);
    }

    @Override
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.input(input.source(), slideMillis());
    }

    @Override
    public String toString() {
        return "input(" + input.name() + ")";
    }
}
