package io.sluice.bench.stream;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.BufferAllocator;

/**
 * The D-Streams paper's straggler experiment, scaled to one JVM: per-batch processing time of streaming word
 * count and grep on {@link #WORKERS} workers, with no straggler, with worker {@link #SLOW_WORKER} slowed by
 * {@link FaultInjection#slowWorker}, and with that straggler plus speculation; under work stealing and under
 * static scheduling. Each task pays a sleep-based cost per row ({@link WorkerSlowdown}) stretched by its worker's
 * slowdown, on top of the real job.
 */
public final class StragglerBench {
    /** Workers: the paper's experiment ran on a cluster; 8 sleeping workers behave like 8 nodes here. */
    public static final int WORKERS = 8;
    /** The slow worker. */
    public static final int SLOW_WORKER = 3;
    /** Default dataset partitions (tasks) per worker in a batch. */
    public static final int DEFAULT_TASKS_PER_WORKER = 4;
    /** Most tasks per worker accepted. */
    public static final int MAX_TASKS_PER_WORKER = 64;
    /** Rows per offered block. */
    static final int BLOCK_ROWS = 256;
    private static final String POOL = "straggler";
    private static final int QUEUE_BLOCKS = 1 << 12;
    private static final BackpressureConfig UNBOUNDED_BYTES = BackpressureConfig.unlimitedRate()
        .withBudget(Long.MAX_VALUE, Long.MAX_VALUE);

    /** The experiment's parameters. */
    public record Settings(long intervalMillis, double rate, long nanosPerRow, double slowdown, int tasksPerWorker) {
        public Settings {
            if (intervalMillis < 1 || !(rate > 0) || nanosPerRow < 0 || !(slowdown >= 1) || tasksPerWorker < 1
                || tasksPerWorker > MAX_TASKS_PER_WORKER) {
                throw new IllegalArgumentException("intervalMillis=" + intervalMillis + " (>= 1) rate=" + rate + " (> 0) nanosPerRow="
                    + nanosPerRow + " (>= 0) slowdown=" + slowdown + " (>= 1) tasksPerWorker=" + tasksPerWorker + " (in [1, "
                    + MAX_TASKS_PER_WORKER + "])");
            }
        }

        /** The same with {@code n} tasks per worker. */
        public Settings withTasksPerWorker(final int n) {
            return new Settings(intervalMillis, rate, nanosPerRow, slowdown, n);
        }

        /** Dataset partitions (tasks of the first stage) per batch. */
        public int partitions() {
            return tasksPerWorker * WORKERS;
        }

        /** Ideal processing time of a batch without straggler: its rows' sleep cost spread over every worker. */
        public double idealNanos() {
            return rate * intervalMillis / 1000.0 * nanosPerRow / WORKERS;
        }
    }

    private StragglerBench() {
    }

    /** One run of {@code job} under {@code config}. */
    public static RunStats run(final TextJob job, final StragglerConfig config, final Settings settings, final String[] lines,
                               final String needle, final StreamRun.Settings timing) throws InterruptedException {
        final FaultInjection faults = config.straggler()
            ? FaultInjection.none().slowWorker(SLOW_WORKER, settings.slowdown()) : FaultInjection.none();
        final PartitionCost cost = new WorkerSlowdown(POOL, faults, settings.nanosPerRow());
        try (BufferAllocator allocator = new BufferAllocator();
             ExecutionContext exec = Pools.create(POOL, WORKERS, config.placement().sluicePolicy(), config.speculation(), faults,
                 allocator)) {
            // Partitions claim their rows in chunks, so an idle worker can split the straggler's running partition
            // (-Dsluice.dataset.chunkedTasks=false runs them whole, as before).
            exec.chunkedTasks(Boolean.parseBoolean(System.getProperty(ExecutionContext.CHUNKED_TASKS_PROPERTY, "true")));
            // Every queued block is a slice of the emitter's one pool and reports the pool's allocated bytes, so the
            // default byte bounds (64 MB, in the source and in the stream's budget) let only 7 blocks in a batch
            // (1,792 lines, not the 10,000 the settings ask for) and dropped the rest; the slices hold no memory of
            // their own: bound by blocks only.
            final QueueSource source = QueueSource.create("lines", TextEmitter.SCHEMA, QUEUE_BLOCKS, Long.MAX_VALUE);
            final long[] checksum = new long[1];
            try (TextEmitter emitter = new TextEmitter(source, allocator, lines, BLOCK_ROWS)) {
                return StreamRun.run(timing, UNBOUNDED_BYTES, allocator, source, emitter, (batchTime, batch) ->
                    checksum[0] += job.run(MicroBatchDataset.of(exec, batch, settings.partitions(), cost), needle));
            }
        }
    }
}
