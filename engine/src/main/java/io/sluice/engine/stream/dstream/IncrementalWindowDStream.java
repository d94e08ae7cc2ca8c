package io.sluice.engine.stream.dstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongBinaryOperator;
import java.util.function.LongPredicate;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.checkpoint.OperatorFiles;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * reduceByKeyAndWindow with an inverse function. Each batch time's parent dataset is reduced by key once (its
 * partial: key -> {value, count}); the window aggregate holds the partials of the batch times in the last emitted
 * window. At a slide, partials of batch times that left {@code (t - length, t]} are removed with the inverse and
 * those that entered are added, so the work per slide is proportional to the slides' data, not the window's. A
 * key is dropped when its count of values reaches 0, which makes the result equal to reducing the whole window;
 * under {@link WindowSemantics.EmptyKeys#KEEP} (Spark's behaviour) it stays with its inverse-reduced value.
 * Partials and the aggregate live on the heap (one entry per key). Checkpointed: a snapshot holds the partials
 * (one batch file per batch time, named by whether it is in the window); the aggregate is rebuilt from them.
 */
final class IncrementalWindowDStream extends CheckpointedWindowDStream {
    private static final String IN = "in-";
    private static final String OUT = "out-";
    private static final String EMPTY = "empty-";

    private final List<String> keys;
    private final Reducer reducer;
    private final LongBinaryOperator inverse;
    private final LongPredicate keep;
    private final Schema partialSchema;
    private final TreeMap<Long, Map<List<Object>, long[]>> partials = new TreeMap<>();
    private final TreeSet<Long> included = new TreeSet<>();
    private final Map<List<Object>, long[]> window = new HashMap<>();

    IncrementalWindowDStream(final DStream parent, final List<String> keys, final Reducer reducer, final LongBinaryOperator inverse,
                             final long lengthMillis, final long slideMillis, final LongPredicate keep) {
        super(parent, KeyedAggregates.outputSchema(parent.schema(), List.copyOf(keys), reducer), lengthMillis, slideMillis,
            "reduceByKeyAndWindow");
        this.keys = List.copyOf(keys);
        this.reducer = reducer;
        this.inverse = inverse;
        this.keep = keep;
        this.partialSchema = KeyedAggregates.partialSchema(schema());
    }

    @Override
    void take(final long batchTime, final Dataset in) {
        partials.put(batchTime, KeyedAggregates.fold(in, keys, reducer));
    }

    @Override
    Dataset emit(final long batchTime) {
        final long from = batchTime - lengthMillis;
        Dataset out = null;
        if (isSlide(batchTime)) {
            final boolean keepEmpty = graph().windowSemantics().emptyKeys() == WindowSemantics.EmptyKeys.KEEP;
            for (final Iterator<Long> it = included.iterator(); it.hasNext();) {
                final long time = it.next();
                if (time <= from) {
                    KeyedAggregates.subtract(window, partials.get(time), inverse, keepEmpty);
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

    @Override
    void snapshotState(final long batchTimeMillis, final Path dir) {
        for (final Map.Entry<Long, Map<List<Object>, long[]>> e : partials.entrySet()) {
            write(dir, included.contains(e.getKey()) ? IN : OUT, e.getKey(), e.getValue());
        }
        // Keys kept with no value in the window (EmptyKeys.KEEP) are in no partial: they have a file of their own.
        final Map<List<Object>, long[]> empty = new HashMap<>();
        window.forEach((key, acc) -> {
            if (acc[1] == 0) {
                empty.put(key, acc);
            }
        });
        if (!empty.isEmpty()) {
            write(dir, EMPTY, batchTimeMillis, empty);
        }
    }

    private void write(final Path dir, final String prefix, final long time, final Map<List<Object>, long[]> aggregates) {
        final Batch batch = KeyedAggregates.toPartialBatch(graph().executionContext().allocator(), partialSchema, aggregates);
        try {
            OperatorFiles.write(dir, prefix, time, partialSchema, List.of(batch));
        } finally {
            batch.release();
        }
    }

    @Override
    void restoreState(final Path dir) throws IOException {
        final TreeMap<Long, Map<List<Object>, long[]>> readPartials = new TreeMap<>();
        final TreeSet<Long> readIncluded = new TreeSet<>();
        final Map<List<Object>, long[]> empty = new HashMap<>();
        for (final String prefix : List.of(IN, OUT, EMPTY)) {
            final TreeMap<Long, List<Batch>> files = OperatorFiles.read(dir, prefix, partialSchema,
                graph().executionContext().allocator());
            try {
                for (final Map.Entry<Long, List<Batch>> e : files.entrySet()) {
                    final Map<List<Object>, long[]> rows = KeyedAggregates.fromPartialRows(
                        graph().borrow(partialSchema, e.getValue()).collect());
                    if (prefix.equals(EMPTY)) {
                        empty.putAll(rows);
                        continue;
                    }
                    readPartials.put(e.getKey(), rows);
                    if (prefix.equals(IN)) {
                        readIncluded.add(e.getKey());
                    }
                }
            } finally {
                files.values().forEach(batches -> batches.forEach(Batch::release));
            }
        }
        partials.clear();
        partials.putAll(readPartials);
        included.clear();
        included.addAll(readIncluded);
        window.clear();
        window.putAll(empty);
        for (final long time : included) {
            KeyedAggregates.add(window, partials.get(time), reducer);
        }
    }

    /** Keys in the window aggregate (for tests). */
    synchronized int windowKeys() {
        return window.size();
    }

    @Override
    public String toString() {
        return "reduceByKeyAndWindow" + keys + "(" + parent + ", " + reducer + ", length=" + lengthMillis + "ms, slide="
            + slideMillis() + "ms, incremental)";
    }
}
