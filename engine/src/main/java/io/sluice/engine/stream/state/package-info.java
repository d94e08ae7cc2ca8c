/**
 * Keyed state kept off-heap between micro-batches. {@link io.sluice.engine.stream.state.KeyedStateStore} holds one
 * state row per key in a columnar batch, indexed by {@link io.sluice.engine.stream.state.KeyIndex}; a batch's
 * updates are applied in one pass ({@link io.sluice.engine.stream.state.StateUpdate}). The user-facing functions are
 * {@link io.sluice.engine.stream.state.StateUpdateFunction} ({@code updateStateByKey}) and
 * {@link io.sluice.engine.stream.state.StateMappingFunction} with {@link io.sluice.engine.stream.state.StateSpec}
 * ({@code mapWithState}: emitted rows, timeouts). The primitive states keep INT64 values per INT64 key in place in one
 * off-heap table ({@code LongStateTable}): one value folded by a {@code LongBinaryOperator}
 * ({@link io.sluice.engine.stream.state.LongKeyedState}, {@code mapWithLongState}), or several columns read and
 * written by a {@link io.sluice.engine.stream.state.LongColumnsFold} that may emit or defer the row
 * ({@link io.sluice.engine.stream.state.LongColumnsState}, {@code mapWithLongColumns}). State is snapshotted
 * through the {@code checkpoint} package and released when the graph stops.
 */
package io.sluice.engine.stream.state;
