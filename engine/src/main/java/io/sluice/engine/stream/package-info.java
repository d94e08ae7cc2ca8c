/**
 * Discretized streams. This package holds the streaming context and its threads, clocks, inputs, per-batch metrics
 * and listeners; the other concepts live in sub-packages:
 * <ul>
 *   <li>{@code source}: the {@link io.sluice.engine.stream.source.Source} contract, the built-in sources (generator,
 *       in-process queue, TCP lines, a folder of files) and backpressure (memory budget, PID rate estimator, token
 *       bucket);</li>
 *   <li>{@code checkpoint}: the write-ahead log, operator snapshots and the checkpoint folder layout;</li>
 *   <li>{@code dstream}: the DStream API ({@link io.sluice.engine.stream.dstream.DStreamGraph},
 *       {@link io.sluice.engine.stream.dstream.DStream}) whose operators run every micro-batch as a Dataset on the
 *       scheduler, windows and the output sinks;</li>
 *   <li>{@code state}: keyed state kept off-heap ({@code updateStateByKey}, {@code mapWithState});</li>
 *   <li>{@code eventtime}: event-time windows (tumbling, hopping, session), output modes and the off-heap
 *       (window, key) state a watermark evicts; {@code dstream}'s {@code withWatermark}, {@code groupByWindow} and
 *       {@code joinWithinTime} build on it.</li>
 * </ul>
 * Dependencies point one way: {@code source} and {@code checkpoint} know the context's contracts (clock, input,
 * micro-batch); {@code dstream} builds on all of them; {@code state} holds the stores that {@code dstream}'s stateful
 * operators use, {@code eventtime} the window state (on top of {@code state}'s key index). Classes marked
 * "internal" are public only so that the context and these sub-packages can reach each other; they are not part of
 * the user API.
 *
 * <h2>Threads and data flow</h2>
 * <pre>
 *  TCP source thread --store()-----------+
 *                                        v
 *  generator/queue/directory --poll()--> StreamInput (blocks, budget, rate limiter fed by the PID)
 *                                        |  cut() at each interval boundary
 *                                        v
 *  JobGenerator thread "sluice-stream-generator": one MicroBatch per interval, logged to the WAL, queued
 *                                        |  HandOff (default: MPSC queue; the idle executor spins, then parks;
 *                                        |  CUT_ON_JOB_THREAD: the idle executor cuts at the boundary itself and
 *                                        v  the generator cuts only for a busy executor, under one cut lock)
 *  JobExecutor thread "sluice-stream-jobs": every MicroBatchJob in order, then WAL completed, PID update,
 *                                           release, BatchInfo to listeners and metrics
 * </pre>
 * A {@link io.sluice.engine.stream.StreamingContext} owns one generator thread and one executor thread; a TCP
 * source owns one thread. All end in {@code stop()}. The generator never waits for processing: batches queue
 * ({@link io.sluice.engine.stream.StreamingMetrics#queueLength()}); memory is bounded because a block's bytes count
 * against its input's budget ({@link io.sluice.engine.stream.source.BackpressureConfig}) until the batch it was cut into
 * is released after processing. Each {@link io.sluice.engine.stream.BatchInfo} carries the batch's
 * {@link io.sluice.engine.stream.BatchPhases} (cut, WAL, hand-off, commit) beside its scheduling delay and processing
 * time, so a latency tail can be traced to its phase.
 *
 * <h2>Ownership</h2>
 * A source owns a block until {@link io.sluice.engine.stream.source.SourceContext} accepts it; the context owns every
 * micro-batch and releases it after the last job of its batch time returns (a job retains a batch to keep it).
 *
 * <h2>DStreams</h2>
 * A {@link io.sluice.engine.stream.dstream.DStreamGraph} is built before {@code start()} over the
 * {@link io.sluice.engine.stream.source.StreamInput}s returned by {@link io.sluice.engine.stream.StreamingContext#input}. It
 * registers one {@link io.sluice.engine.stream.MicroBatchJob} with {@link io.sluice.engine.stream.StreamingContext#addJob};
 * per batch time that job wraps each input's micro-batch as a source Dataset of zero-copy slices, evaluates every
 * output operation's lineage on the scheduler (each stream at most once per batch time) and runs the outputs in the
 * order they were added. Windows keep their batches' results until they leave the window; stateful operators
 * (windows, {@code updateStateByKey}, {@code mapWithState}) register with {@code addCheckpointed} and are
 * snapshotted between batches; everything they hold is released by the graph's stop hook
 * ({@link io.sluice.engine.stream.StreamingContext#onStop}).
 *
 * <h2>Recovery: checkpoints and exactly-once restart</h2>
 * With a checkpoint folder (layout in {@link io.sluice.engine.stream.checkpoint.WalDescriptor}) the context logs, before
 * queueing it, every micro-batch that has records or after which a replayable source's offset moved, with each
 * {@link io.sluice.engine.stream.source.ReplayableSource}'s offset; marks it completed after its jobs; and after every k-th
 * completed batch ({@code Builder.checkpointEvery}) snapshots every registered
 * {@link io.sluice.engine.stream.checkpoint.Checkpointed} operator atomically (temp folder, fsync, rename, pointer). Logged
 * batches are kept back to the snapshot time minus the longest {@code remember(Duration)} (window lengths). A context
 * restarted on the folder after a crash, including kill -9 at any point: restores every operator from the newest
 * complete snapshot; replays, in order and with {@code replayed()} true, every batch time after (snapshot time -
 * remembered) up to the newest logged one (unlogged times as empty batches; {@code completedBefore()} marks those an
 * earlier run completed); seeks every replayable source past the newest logged offset; then continues. Batch times
 * that fell while the process was down are not run.
 *
 * <p>What that guarantees:
 * <ul>
 *   <li>Operator state: exactly once, if the operator skips replayed batch times at or before the snapshot it
 *       restored (the {@link io.sluice.engine.stream.checkpoint.Checkpointed} contract).</li>
 *   <li>Output: exactly once to a sink that commits by batch time, idempotently (write a temporary file, rename it
 *       to a name derived from the batch time, skip a batch time already committed): a replayed batch has the same
 *       records as the first time. A sink that cannot be idempotent (a socket, a console, a counter elsewhere) gets
 *       at-least-once: the batch that was running at the crash, and those after its last snapshot, are delivered
 *       again (skipping {@code completedBefore()} batches narrows that to the batches after the last completed
 *       one).</li>
 *   <li>Input: exactly once from replayable sources ({@link io.sluice.engine.stream.source.GeneratorSource}: the row index;
 *       {@link io.sluice.engine.stream.source.DirectorySource}: the last file name taken, files consumed in name order).
 *       The in-process queue and TCP sources are not replayable: records they received but that were not yet
 *       logged in a cut micro-batch (at most about one batch interval, plus what the queue holds) are lost on a
 *       crash. At-least-once is impossible there without the producer's help (acknowledgements or resending from
 *       its own log).</li>
 * </ul>
 * A folder written by another stream (other inputs or schemas, another interval, other operators, a shorter
 * remembered duration) or corrupt (garbage files, a torn or checksum-failing file) stops {@code start()} with a
 * {@link io.sluice.engine.stream.checkpoint.CheckpointException} naming the file; nothing in the folder is written or deleted
 * until everything validated. Temporary files and snapshot folders a kill left behind are then deleted.
 */
package io.sluice.engine.stream;
