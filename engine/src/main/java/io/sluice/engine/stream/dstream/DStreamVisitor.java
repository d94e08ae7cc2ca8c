package io.sluice.engine.stream.dstream;

import java.util.List;
import java.util.function.LongBinaryOperator;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.state.LongColumnsSpec;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.memory.Schema;

/**
 * A read-only view of one node of a DStream graph ({@link DStream#accept}), for backends that translate a stream to
 * another engine. A node kind this interface does not describe (windows over batch times, joins of
 * streams, transforms that read the batch time, ...) goes to {@link #unsupported}, which throws by default.
 */
public interface DStreamVisitor<R> {
    /** The micro-batches of one input, read from {@code source}. */
    R input(Source source);

    /** {@link #input(Source)} with the graph's batch interval (how the input's rows fall into micro-batches). */
    default R input(final Source source, final long batchIntervalMillis) {
        return input(source);
    }

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

    /** {@code node} = {@link DStream#updateStateByKey} over {@code parent}, with its arguments. */
    default R updateStateByKey(final DStream node, final DStream parent, final List<String> keyColumns, final Schema stateSchema,
                               final StateUpdateFunction function) {
        return unsupported(node);
    }

    /** {@code node} = {@link DStream#mapWithState} over {@code parent} (its mapped rows), with its arguments. */
    default R mapWithState(final DStream node, final DStream parent, final List<String> keyColumns, final StateSpec spec) {
        return unsupported(node);
    }

    /** {@code node} = {@link DStream#mapWithLongState} over {@code parent}, with its arguments. */
    default R mapWithLongState(final DStream node, final DStream parent, final String keyColumn, final String valueColumn,
                               final long zero, final LongBinaryOperator fold, final long timeoutMillis) {
        return unsupported(node);
    }

    /** {@code node} = {@link DStream#mapWithLongColumns} over {@code parent} (its emitted rows), with its arguments. */
    default R mapWithLongColumns(final DStream node, final DStream parent, final String keyColumn,
                                 final List<String> valueColumns, final LongColumnsSpec spec) {
        return unsupported(node);
    }

    /** A node without a description here. */
    default R unsupported(final DStream node) {
        throw new UnsupportedOperationException("no description for stream operator " + node);
    }
}
