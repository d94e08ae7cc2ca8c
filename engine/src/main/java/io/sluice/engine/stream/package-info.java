/**
 * Discretized streams, first half: the streaming context, its clocks, sources, backpressure, metrics and the
 * write-ahead log. DStream operators over Datasets plug in later through {@link io.sluice.engine.stream.MicroBatchJob}.
 *
 * <h2>Threads and data flow</h2>
 * <pre>
 *  TCP source thread --store()-----------+
 *                                        v
 *  generator/queue/directory --poll()--> StreamInput (blocks, budget, rate limiter fed by the PID)
 *                                        |  cut() at each interval boundary
 *                                        v
 *  JobGenerator thread "sluice-stream-generator": one MicroBatch per interval, logged to the WAL, queued
 *                                        |
 *                                        v
 *  JobExecutor thread "sluice-stream-jobs": every MicroBatchJob in order, then WAL completed, PID update,
 *                                           release, BatchInfo to listeners and metrics
 * </pre>
 * A {@link io.sluice.engine.stream.StreamingContext} owns one generator thread and one executor thread; a TCP
 * source owns one thread. All end in {@code stop()}. The generator never waits for processing: batches queue
 * ({@link io.sluice.engine.stream.StreamingMetrics#queueLength()}); memory is bounded because a block's bytes count
 * against its input's budget ({@link io.sluice.engine.stream.BackpressureConfig}) until the batch it was cut into
 * is released after processing.
 *
 * <h2>Ownership</h2>
 * A source owns a block until {@link io.sluice.engine.stream.SourceContext} accepts it; the context owns every
 * micro-batch and releases it after the last job of its batch time returns (a job retains a batch to keep it).
 *
 * <h2>Plugging in DStreams (the next task)</h2>
 * A DStream graph is built before {@code start()} over the {@link io.sluice.engine.stream.StreamInput}s returned by
 * {@link io.sluice.engine.stream.StreamingContext#input}. It registers one {@link io.sluice.engine.stream.MicroBatchJob}
 * per output operation with {@link io.sluice.engine.stream.StreamingContext#addJob}; each job receives the
 * {@link io.sluice.engine.stream.MicroBatch} of one batch time ({@code batch(input)} per input stream, all inputs
 * at once, in batch-time order, one batch time at a time), wraps each input's batch as a source Dataset, evaluates
 * its lineage for that batch time on the scheduler, and runs the sink. Windows keep the last
 * {@code length / interval} batches retained; state lives in the graph and is snapshotted at batch boundaries.
 *
 * <h2>Recovery: what is and is not guaranteed yet</h2>
 * With a checkpoint folder ({@link io.sluice.engine.stream.WalDescriptor}), every non-empty micro-batch is
 * logged before it is queued and marked completed after its jobs; a restart replays the received-but-unfinished
 * batches, in order, before new input. So jobs see every logged batch at least once. Not yet: records a source
 * received but that were not yet cut (a crash between two boundaries) are lost unless the source can replay them
 * (sources keep no offsets); exactly-once output needs the sink to commit by batch time, and keyed state needs
 * snapshots every k batches: both come with the DStream task, as does the kill -9 test.
 */
package io.sluice.engine.stream;
