package io.sluice.nexmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.sluice.bench.report.RunLoad;
import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.sql.SqlSession;

/**
 * Runs a Nexmark query on Sluice as a stream: a {@link NexmarkSource} per event kind the query reads, cut into micro-batches of
 * {@code eventsPerBatch} event ids, the query's DStream on a work-stealing {@link ExecutionContext}, and a sink
 * that digests every output batch in place. The stream clock is a manual one advanced as soon as the batch before
 * last has completed (two batches in flight), so the run measures how fast Sluice processes events, not a rate. The
 * p99 it reports is of the micro-batches' processing time on the wall clock.
 */
public final class SluiceRunner {
    private static final long INTERVAL_MILLIS = 100;
    private static final Duration WAIT = Duration.ofMinutes(10);

    private final int workers;
    private final long eventsPerBatch;
    private final boolean sql;

    public SluiceRunner(final int workers, final long eventsPerBatch) {
        this(workers, eventsPerBatch, false);
    }

    /** With {@code sql}, runs the query's SQL form ({@link NexmarkQuery#sql}) instead of its DStream definition. */
    public SluiceRunner(final int workers, final long eventsPerBatch, final boolean sql) {
        this.workers = workers;
        this.eventsPerBatch = eventsPerBatch;
        this.sql = sql;
    }

    /** Runs {@code query} over {@code config}'s events; keeps the output rows when {@code keepRows}. */
    public RunResult run(final NexmarkQuery query, final NexmarkConfig config, final boolean keepRows)
        throws InterruptedException {
        final RowDigest digest = new RowDigest();
        final KeyTotals totals = new KeyTotals();
        final List<Object[]> rows = new ArrayList<>();
        final List<Long> processing = Collections.synchronizedList(new ArrayList<>());
        final SchedulerConfig schedulerConfig = SchedulerConfig.builder().workers(workers)
            .policy(SchedulingPolicy.WORK_STEALING).build();
        final ManualStreamClock clock = new ManualStreamClock(0);
        final Map<EventKind, NexmarkSource> sources = NexmarkSource.forQuery(query, config, eventsPerBatch);
        final long cpuBefore;
        final long start;
        final long end;
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = ExecutionContext.create(schedulerConfig, allocator, 2 * workers);
             StreamingContext ssc = StreamingContext.builder().batchInterval(Duration.ofMillis(INTERVAL_MILLIS))
                 .allocator(allocator).clock(clock).backpressure(BackpressureConfig.unlimitedRate()).build();
             DStreamGraph graph = DStreamGraph.on(ssc, exec)) {
            timeBatches(ssc, processing);
            final NexmarkStreams streams = NexmarkStreams.of(graph, ssc, sources);
            final long cutoff = query.cutoff(config);
            final DStream output = sql ? query.onSql(SqlSession.on(exec), streams, cutoff) : query.on(streams, cutoff);
            output.foreachBatch((time, dataset) -> {
                final RowDigest batchDigest = new RowDigest();
                final List<Object[]> batchRows = new ArrayList<>();
                for (final Batch batch : DatasetBatches.materialize(dataset)) {
                    try {
                        batchDigest.addAll(batch);
                        if (query.processingTime()) {
                            totals.addAll(batch);
                        }
                        if (keepRows) {
                            BatchRows.addTo(batch, batchRows);
                        }
                    } finally {
                        batch.release();
                    }
                }
                if (query.updating()) {
                    // every batch holds the whole table: the last one is the result
                    digest.clear();
                    rows.clear();
                }
                digest.merge(batchDigest);
                rows.addAll(batchRows);
            });
            ssc.start();
            cpuBefore = RunLoad.processCpuNanos();
            start = System.nanoTime();
            drive(ssc, clock, sources.values(), query.processingTime() ? NexmarkQuery.WINDOW.toMillis() : INTERVAL_MILLIS);
            end = System.nanoTime();
        }
        final long cpu = RunLoad.processCpuNanos() - cpuBefore;
        return new RunResult(sql ? "sluice-sql" : "sluice", query, config.maxEvents(), end - start, cpu,
            query.processingTime() ? totals.digest() : digest, keepRows ? rows : List.of(),
            p99(processing));
    }

    /** Records each batch's processing time on the wall clock (the manual clock's nanos stand still while it runs). */
    private static void timeBatches(final StreamingContext ssc, final List<Long> processing) {
        final long[] startedAt = new long[1];
        ssc.addListener(new StreamingListener() {
            @Override
            public void onBatchStarted(final BatchInfo info) {
                startedAt[0] = System.nanoTime();
            }

            @Override
            public void onBatchCompleted(final BatchInfo info) {
                processing.add(System.nanoTime() - startedAt[0]);
            }
        });
    }

    /**
     * Advances the clock a batch at a time, two batches in flight, until every source is exhausted and processed and
     * the clock is at a multiple of {@code closeEvery} (the processing-time window of q12, so its last window closes).
     */
    private static void drive(final StreamingContext ssc, final ManualStreamClock clock, final Collection<NexmarkSource> sources,
                              final long closeEvery) throws InterruptedException {
        long time = 0;
        do {
            if (time >= 2 * INTERVAL_MILLIS) {
                await(ssc.awaitBatchCompleted(time - INTERVAL_MILLIS, WAIT), ssc, time - INTERVAL_MILLIS);
            }
            time += INTERVAL_MILLIS;
            clock.setMillis(time);
            await(ssc.awaitBatchGenerated(time, WAIT), ssc, time);
        } while (!sources.stream().allMatch(NexmarkSource::exhausted) || time % closeEvery != 0);
        await(ssc.awaitBatchCompleted(time, WAIT), ssc, time);
    }

    private static void await(final boolean done, final StreamingContext ssc, final long time) {
        if (!done) {
            throw new IllegalStateException("batch time=" + time + " not done within " + WAIT
                + ssc.failure().map(f -> ": stream failed: " + f).orElse(""));
        }
    }

    private static long p99(final List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        final long[] sorted;
        synchronized (values) {
            sorted = values.stream().mapToLong(Long::longValue).toArray();
        }
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }
}
