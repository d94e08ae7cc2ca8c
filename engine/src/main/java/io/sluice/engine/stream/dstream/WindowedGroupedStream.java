package io.sluice.engine.stream.dstream;

import java.util.List;
import java.util.Objects;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;

/**
 * A stream grouped by event-time window and keys ({@link DStream#groupByWindow}), waiting for its aggregates and
 * output mode (default {@link OutputMode#APPEND}). Immutable.
 */
public final class WindowedGroupedStream {
    private final DStream parent;
    private final WatermarkedDStream watermark;
    private final EventTimeWindow window;
    private final List<String> keys;
    private final OutputMode mode;

    WindowedGroupedStream(final DStream parent, final WatermarkedDStream watermark, final EventTimeWindow window,
                          final List<String> keys, final OutputMode mode) {
        this.parent = parent;
        this.watermark = watermark;
        this.window = window;
        this.keys = List.copyOf(keys);
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** The same grouping emitting in {@code value} mode. */
    public WindowedGroupedStream outputMode(final OutputMode value) {
        return new WindowedGroupedStream(parent, watermark, window, keys, value);
    }

    /**
     * One row per (window, key) with {@code aggs} (the {@link io.sluice.engine.dataset.GroupedDataset} functions and
     * types): window_start, window_end (INT64 epoch millis, end exclusive), the keys, then the aggregates.
     */
    public WindowAggregateDStream agg(final Agg... aggs) {
        if (aggs.length == 0) {
            throw new IllegalArgumentException("groupByWindow(" + window + ", " + keys + ") needs at least one aggregate");
        }
        return new WindowAggregateDStream(parent, watermark, window, keys, List.of(aggs), mode);
    }
}
