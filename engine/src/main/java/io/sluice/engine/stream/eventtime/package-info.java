/**
 * Event time: how rows are assigned to windows of a timestamp column
 * ({@link io.sluice.engine.stream.eventtime.EventTimeWindow}: tumbling, hopping, session), when a window's row is
 * emitted ({@link io.sluice.engine.stream.eventtime.OutputMode}), and the off-heap (window, key) aggregation state that
 * a watermark evicts ({@link io.sluice.engine.stream.eventtime.WindowAggregation}). The DStream operators over them
 * ({@code withWatermark}, {@code groupByWindow}, {@code joinWithinTime}) live in {@code dstream}.
 */
package io.sluice.engine.stream.eventtime;
