package io.sluice.bench.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.stream.HandOff;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.BufferAllocator;

/**
 * Sustained throughput of a streaming text job: blocks of lines ({@link TextEmitter}) offered at a fixed rate,
 * the job per batch as a {@link io.sluice.engine.stream.dstream.DStreamGraph} output (zero-copy slices of each batch)
 * on a 2-worker execution context, the rate searched ({@link RateSearch}) up to the highest at
 * which the scheduling delay stays flat.
 */
public final class ThroughputBench {
    /** Rows per offered block. */
    static final int BLOCK_ROWS = 256;
    /** Dataset partitions per micro-batch: two per worker, so stealing can even out the two cores. */
    static final int PARTITIONS = 2 * LatencyBench.WORKERS;
    private static final int MIN_QUEUE_BLOCKS = 1 << 10;
    /**
     * No rate limit and no byte budget. The emitter's blocks are zero-copy slices of one pool batch, and a slice
     * counts its whole parent's allocated bytes (it keeps the parent alive), so a byte budget would count the
     * ~8 MB pool once per queued block and cap the search at a few dozen blocks in flight whatever the CPU. The
     * pool, the queue's block capacity and the cut's one copy per batch bound the memory.
     */
    private static final BackpressureConfig BACKPRESSURE = BackpressureConfig.unlimitedRate()
        .withBudget(Long.MAX_VALUE, Long.MAX_VALUE);
    /** The queue holds at least this much input, so a stall of the generator does not drop blocks. */
    private static final long STALL_MILLIS = 500;

    private final List<RatePoint> points = new ArrayList<>();
    private final String[] lines;
    private final String needle;

    /** A search over {@code lines}, grep looking for {@code needle}. */
    public ThroughputBench(final String[] lines, final String needle) {
        this.lines = lines.clone();
        this.needle = needle;
    }

    /** Every run so far, in order. */
    public List<RatePoint> points() {
        return List.copyOf(points);
    }

    /** Searches the highest sustainable rate of {@code job} and returns it (records/s; 0 if none was). */
    public double search(final TextJob job, final long intervalMillis, final double start, final double step,
                         final double maxRate, final Duration warmup, final Duration measure,
                         final Consumer<RatePoint> progress) throws InterruptedException {
        return RateSearch.search(start, step, maxRate, rate -> {
            final RatePoint point = new RatePoint(job.label(), intervalMillis, rate,
                run(job, new StreamRun.Settings(intervalMillis, rate, warmup, measure)));
            points.add(point);
            progress.accept(point);
            return point.sustainable();
        }).maxSustainable();
    }

    /** One run of {@code job} at {@code settings}. */
    public RunStats run(final TextJob job, final StreamRun.Settings settings) throws InterruptedException {
        final long[] checksum = new long[1];
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create("throughput", LatencyBench.WORKERS, SchedulingPolicy.WORK_STEALING, false,
                 FaultInjection.none(), allocator)) {
            final int blocks = (int) Math.max(MIN_QUEUE_BLOCKS,
                Math.ceil(settings.rate() * Math.max(settings.intervalMillis() * 4, STALL_MILLIS) / 1000.0 / BLOCK_ROWS));
            // Queued blocks are slices of the emitter's pool: bounded in blocks only (see BACKPRESSURE).
            final QueueSource source = QueueSource.create("lines", TextEmitter.SCHEMA, blocks, Long.MAX_VALUE);
            try (TextEmitter emitter = new TextEmitter(source, allocator, lines, BLOCK_ROWS)) {
                return StreamRun.run(settings, BACKPRESSURE, HandOff.SPIN_THEN_PARK, 0, allocator, source, emitter,
                    StreamRun.graph(exec, PARTITIONS, (batchTime, dataset) -> checksum[0] += job.run(dataset, needle)));
            }
        }
    }
}
