package io.sluice.engine.stream.dstream;

import java.util.List;
import java.util.Map;

import io.sluice.engine.dataset.Dataset;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;

/**
 * Per batch time: one row per key of its parent's dataset, reduced with a {@link Reducer}. SUM and COUNT stay
 * columnar from the aggregate to the output batch; a custom function folds boxed rows on the job thread.
 */
final class KeyedReduceDStream extends DStream {
    private final DStream parent;
    private final List<String> keys;
    private final Reducer reducer;

    KeyedReduceDStream(final DStream parent, final List<String> keys, final Reducer reducer) {
        super(parent.graph(), KeyedAggregates.outputSchema(parent.schema(), List.copyOf(keys), reducer), parent.slideMillis());
        this.parent = parent;
        this.keys = List.copyOf(keys);
        this.reducer = reducer;
    }

    @Override
    Dataset compute(final long batchTime) {
        final Dataset in = parent.at(batchTime);
        if (in == null) {
            return null;
        }
        final BufferAllocator allocator = graph().executionContext().allocator();
        final Batch batch;
        if (reducer.kind() == Reducer.Kind.CUSTOM) {
            final Map<List<Object>, long[]> aggregates = KeyedAggregates.fold(in, keys, reducer);
            batch = KeyedAggregates.toBatch(allocator, schema(), aggregates, v -> true);
        } else {
            batch = KeyedAggregates.reduceColumnar(allocator, schema(), in, keys, reducer);
        }
        return graph().borrow(schema(), List.of(graph().releaseAfterBatch(batch)));
    }

    @Override
    public String toString() {
        return "reduceByKey" + keys + "(" + parent + ", " + reducer + ")";
    }
}
