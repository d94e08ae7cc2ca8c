/**
 * Nexmark, the online-auction benchmark, on Sluice: a generator with Beam's deterministic semantics
 * ({@link io.sluice.nexmark.NexmarkGenerator}, written straight into off-heap columns), the event streams as
 * replayable Sluice sources ({@link io.sluice.nexmark.NexmarkSource}), the queries on the DStream API
 * ({@link io.sluice.nexmark.NexmarkQuery}; the unbounded joins q3 and q4 on keyed state in
 * {@link io.sluice.nexmark.StatefulJoins}), their SQL forms where the {@code sql} module runs them
 * ({@link io.sluice.nexmark.NexmarkQuery#sql}) and the runner that measures them ({@link io.sluice.nexmark.SluiceRunner}).
 * The same queries run on Apache Flink in {@code io.sluice.nexmark.flink}; both engines' outputs are compared by an
 * order-independent digest ({@link io.sluice.nexmark.RowDigest}). A measurement module: nothing in the library
 * depends on it.
 */
package io.sluice.nexmark;
