package io.sluice.engine.dataset;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageResult;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * Runs {@link Dataset}s: owns a {@link Scheduler} (one stage per narrow chain) and uses one {@link BufferAllocator}
 * for every batch. Datasets are created here. {@link #close()} releases source and cached batches, stops the
 * workers, then closes the allocator if this context created it. Thread-safe; stages run one at a time.
 */
public final class ExecutionContext implements AutoCloseable {
    /** Stage reports kept by {@link #recentStages()}. */
    public static final int RECENT_STAGES = 64;

    private final Scheduler scheduler;
    private final BufferAllocator allocator;
    private final boolean ownsAllocator;
    private final int shufflePartitions;
    private final List<Runnable> onClose = new ArrayList<>();
    private final AtomicLong stages = new AtomicLong();
    private final Deque<StageReport> recent = new ArrayDeque<>();
    private boolean closed;

    private ExecutionContext(final SchedulerConfig config, final BufferAllocator allocator, final boolean owns,
                             final int shufflePartitions) {
        if (shufflePartitions <= 0) {
            throw new IllegalArgumentException("shufflePartitions=" + shufflePartitions + " must be > 0");
        }
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.ownsAllocator = owns;
        this.shufflePartitions = shufflePartitions;
        this.scheduler = Scheduler.create(config);
    }

    /** A context with its own allocator and {@code 2 x workers} shuffle partitions. */
    public static ExecutionContext create(final SchedulerConfig config) {
        return new ExecutionContext(config, new BufferAllocator(), true, 2 * config.workers());
    }

    /** A context on a caller-owned allocator (not closed by {@link #close()}). */
    public static ExecutionContext create(final SchedulerConfig config, final BufferAllocator allocator,
                                          final int shufflePartitions) {
        return new ExecutionContext(config, allocator, false, shufflePartitions);
    }

    public BufferAllocator allocator() {
        return allocator;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Partitions of a hash exchange (aggregation, join, distinct) unless the operator says otherwise. */
    public int shufflePartitions() {
        return shufflePartitions;
    }

    /** Stages run so far. */
    public long stagesRun() {
        return stages.get();
    }

    /** Reports of the last (up to {@value #RECENT_STAGES}) stages that finished, oldest first. */
    public synchronized List<StageReport> recentStages() {
        return List.copyOf(recent);
    }

    <R> StageResult<R> runStage(final Stage<R> stage) {
        stages.incrementAndGet();
        final StageResult<R> result = scheduler.run(stage);
        synchronized (this) {
            if (recent.size() == RECENT_STAGES) {
                recent.removeFirst();
            }
            recent.addLast(new StageReport(stage.name(), result.metrics(), result.summary()));
        }
        return result;
    }

    /** A dataset of one partition per batch; takes over the caller's reference to each (released on close). */
    public Dataset fromBatches(final Schema schema, final List<Batch> batches) {
        final Batch[] owned = batches.toArray(new Batch[0]);
        for (int i = 0; i < owned.length; i++) {
            if (!owned[i].schema().equals(schema)) {
                Batch.releaseAll(owned);
                throw new IllegalArgumentException("batch index=" + i + " has schema=" + owned[i].schema() + ", expected "
                    + schema);
            }
        }
        registerOnClose(() -> Batch.releaseAll(owned));
        return new SourceDataset(this, schema, owned);
    }

    /**
     * A dataset of {@code rows} (values: Integer, Long, Double, Boolean, String or null) cut into {@code partitions}
     * contiguous partitions of near-equal size (some empty when there are fewer rows than partitions).
     */
    public Dataset fromRows(final Schema schema, final List<Object[]> rows, final int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions=" + partitions + " must be > 0");
        }
        final List<Batch> batches = new ArrayList<>(partitions);
        try {
            for (int p = 0; p < partitions; p++) {
                final int from = (int) ((long) rows.size() * p / partitions);
                final int to = (int) ((long) rows.size() * (p + 1) / partitions);
                try (BatchBuilder builder = new BatchBuilder(allocator, schema, to - from)) {
                    for (int r = from; r < to; r++) {
                        Rows.append(builder, rows.get(r), r);
                    }
                    batches.add(builder.build());
                }
            }
        } catch (final RuntimeException ex) {
            Batch.releaseAll(batches);
            throw ex;
        }
        return fromBatches(schema, batches);
    }

    /** A dataset of {@code partitions} partitions produced by {@code generator} inside the first stage that reads them. */
    public Dataset generate(final Schema schema, final int partitions, final PartitionGenerator generator) {
        return new GeneratedDataset(this, schema, partitions, generator);
    }

    /** A dataset over the batch files {@code part-*.sbf} in {@code dir}, one partition per file, read lazily. */
    public Dataset readFiles(final Path dir) {
        return FileDataset.open(this, dir);
    }

    synchronized void registerOnClose(final Runnable action) {
        if (closed) {
            throw new IllegalStateException("execution context is closed");
        }
        onClose.add(action);
    }

    /** Releases sources and caches, stops the scheduler and closes an owned allocator (which throws on a leak). */
    @Override
    public void close() {
        final List<Runnable> actions;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            actions = new ArrayList<>(onClose);
        }
        // Workers first: a straggling attempt may still hold a retained input until it returns.
        scheduler.close();
        for (final Runnable action : actions) {
            action.run();
        }
        if (ownsAllocator) {
            allocator.close();
        }
    }
}
