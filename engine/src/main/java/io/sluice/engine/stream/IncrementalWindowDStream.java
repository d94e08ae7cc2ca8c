package io.sluice.engine.stream;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongBinaryOperator;
import java.util.function.LongPredicate;

import io.sluice.engine.dataset.Dataset;
import io.sluice.memory.Batch;

/**
 * reduceByKeyAndWindow with an inverse function. Each batch time's parent dataset is reduced by key once (its
 * partial: key -> {value, count}); the window aggregate holds the partials of the batch times in the last emitted
 * window. At a slide, partials of batch times that left {@code (t - length, t]} are removed with the inverse and
 * those that entered are added, so the work per slide is proportional to the slides' data, not the window's. A
 * key is dropped when its count of values reaches 0, which makes the result equal to reducing the whole window.
 * Partials and the aggregate live on the heap (one entry per key).
 */
final class IncrementalWindowDStream extends DStream {
    private final DStream parent;
    private final List<String> keys;
    private final Reducer reducer;
    private final LongBinaryOperator inverse;
    private final long lengthMillis;
    private final LongPredicate keep;
    private final TreeMap<Long, Map<List<Object>, long[]>> partials = new TreeMap<>();
    private final TreeSet<Long> included = new TreeSet<>();
    private final Map<List<Object>, long[]> window = new HashMap<>();

    IncrementalWindowDStream(final DStream parent, final List<String> keys, final Reducer reducer, final LongBinaryOperator inverse,
                             final long lengthMillis, final long slideMillis, final LongPredicate keep) {
        super(parent.graph(), KeyedAggregates.outputSchema(parent.schema(), List.copyOf(keys), reducer), slideMillis);
        this.parent = parent;
        this.keys = List.copyOf(keys);
        this.reducer = reducer;
        this.inverse = inverse;
        this.lengthMillis = lengthMillis;
        this.keep = keep;
    }

    @Override
    Dataset compute(final long batchTime) {
        final Dataset in = parent.at(batchTime);
        if (in != null) {
            partials.put(batchTime, KeyedAggregates.fold(in, keys, reducer));
        }
        final long from = batchTime - lengthMillis;
        Dataset out = null;
        if (batchTime % slideMillis() == 0) {
            for (final Iterator<Long> it = included.iterator(); it.hasNext();) {
                final long time = it.next();
                if (time <= from) {
                    KeyedAggregates.subtract(window, partials.get(time), inverse);
                    it.remove();
                }
            }
            for (final Map.Entry<Long, Map<List<Object>, long[]>> e : partials.tailMap(from, false).entrySet()) {
                if (included.add(e.getKey())) {
                    KeyedAggregates.add(window, e.getValue(), reducer);
                }
            }
            final Batch batch = KeyedAggregates.toBatch(graph().executionContext().allocator(), schema(), window, keep);
            out = graph().borrow(schema(), List.of(graph().releaseAfterBatch(batch)));
        }
        // A partial is needed while it may still enter (newer than the window start) or leave (included).
        partials.headMap(from, true).keySet().removeIf(time -> !included.contains(time));
        return out;
    }

    /** Keys in the window aggregate (for tests). */
    int windowKeys() {
        return window.size();
    }

    @Override
    public String toString() {
        return "reduceByKeyAndWindow" + keys + "(" + parent + ", " + reducer + ", length=" + lengthMillis + "ms, slide="
            + slideMillis() + "ms, incremental)";
    }
}
