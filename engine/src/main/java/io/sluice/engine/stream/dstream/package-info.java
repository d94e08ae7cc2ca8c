/**
 * The DStream API. A {@link io.sluice.engine.stream.dstream.DStreamGraph} ties a streaming context to an
 * execution context; each {@link io.sluice.engine.stream.dstream.DStream} is a transformation whose lineage is
 * evaluated once per batch time as a Dataset on the scheduler. Per-batch operators (every Dataset operator), windows
 * ({@code window}, {@code reduceByKeyAndWindow} with or without an inverse function), keyed state
 * ({@code updateStateByKey}, {@code mapWithState}, stored by the {@code state} package), joins and unions, and the
 * outputs: {@code foreachBatch}, {@code collectToMemory} ({@link io.sluice.engine.stream.dstream.MemorySink}),
 * {@code print} ({@link io.sluice.engine.stream.dstream.ConsoleSink}) and {@code writeBatchFiles}
 * ({@link io.sluice.engine.stream.dstream.BatchFileSink}, exactly once by batch time).
 *
 * <p>Where a new operator goes: a {@code DStream} subclass here (stateless: wrap the parent's Dataset per batch time,
 * like {@link io.sluice.engine.stream.dstream.TransformedDStream}; stateful: also implement {@code Checkpointed} and
 * register with the graph), and a method on {@code DStream} that builds it. A new sink is a
 * {@link io.sluice.engine.stream.dstream.DatasetJob}.
 */
package io.sluice.engine.stream.dstream;
