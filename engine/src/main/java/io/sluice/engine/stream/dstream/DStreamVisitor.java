package io.sluice.engine.stream.dstream;

import java.util.List;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.source.Source;

/**
 * A read-only view of one node of a DStream graph ({@link DStream#accept}), for backends that translate a stream to
 * another engine. A node kind this interface does not describe (windows over batch times, keyed state, joins of
 * streams, transforms that read the batch time, ...) goes to {@link #unsupported}, which throws by default.
 */
public interface DStreamVisitor<R> {
    /** The micro-batches of one input, read from {@code source}. */
    R input(Source source);

    /**
     * A per-batch Dataset transformation named {@code name} ({@code filter}, {@code select}, {@code flatMap},
     * {@code reduceByKey}, {@code transform}, ...): applied to {@code in}, an empty dataset standing for any batch of
     * {@code parent}, it gives {@code out}, whose lineage is what runs on every batch.
     */
    R transformed(DStream parent, String name, Dataset in, Dataset out);

    /** {@link DStream#withWatermark}: {@code parent}'s rows, with a watermark over {@code column}. */
    R watermark(DStream parent, String column, long allowedLatenessMillis);

    /** {@link DStream#groupByWindow} then {@code agg}: window_start, window_end, the keys, the aggregates. */
    R windowAggregate(DStream parent, EventTimeWindow window, List<String> keys, List<Agg> aggs, OutputMode mode);

    /** A node without a description here. */
    default R unsupported(final DStream node) {
        throw new UnsupportedOperationException("no description for stream operator " + node);
    }
}
