/**
 * Stream sources and backpressure. A {@link io.sluice.engine.stream.source.Source} hands blocks of rows to its
 * {@link io.sluice.engine.stream.source.SourceContext}; the context's input cuts them into one micro-batch per
 * interval. Built in: {@link io.sluice.engine.stream.source.GeneratorSource} (seeded, replayable by row index),
 * {@link io.sluice.engine.stream.source.QueueSource} (in-process: a lock-free many-producer ring of rows and batches;
 * a {@link io.sluice.engine.stream.source.RowWriter} queues a row from typed setters with no heap allocation),
 * {@link io.sluice.engine.stream.source.TcpLineSource} (text lines from a socket, reconnecting) and
 * {@link io.sluice.engine.stream.source.DirectorySource} (text-line or batch files, in name order, replayable).
 * A {@link io.sluice.engine.stream.source.ReplayableSource} can be sought to an offset after a restart.
 *
 * <p>Backpressure: {@link io.sluice.engine.stream.source.BackpressureConfig} bounds the bytes an input holds; the
 * {@link io.sluice.engine.stream.source.PidRateEstimator} (Spark's formula) sets the rate of the
 * {@link io.sluice.engine.stream.source.RateLimiter} token bucket after every batch. Invalid input (bad UTF-8,
 * over-long lines) is skipped and counted ({@link io.sluice.engine.stream.source.RejectCounter}), never passed on.
 *
 * <p>Where a new source goes: a class here implementing {@code Source} (or {@code ReplayableSource} if it can seek),
 * registered by the user with {@code StreamingContext.input(source)}.
 */
package io.sluice.engine.stream.source;
