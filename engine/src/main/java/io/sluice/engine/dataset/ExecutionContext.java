package io.sluice.engine.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * for every batch. Datasets are created here. In-memory sources ({@link #fromRows}, {@link #fromBatches}) are
 * released by their own {@link SourceDataset#close()}; {@link #close()} releases those still open and every cache,
 * stops the workers, then closes the allocator if this context created it. Thread-safe; stages run one at a time.
 */
public final class ExecutionContext implements AutoCloseable {
    /** Stage reports kept by {@link #recentStages()}. */
    public static final int RECENT_STAGES = 64;
    /** System property: the default of {@link #chunkedTasks(boolean)} for new contexts ({@code false} when unset). */
    public static final String CHUNKED_TASKS_PROPERTY = "sluice.dataset.chunkedTasks";

    private final Scheduler scheduler;
    private final BufferAllocator allocator;
    private final boolean ownsAllocator;
    private final int shufflePartitions;
    private final Set<Runnable> onClose = new LinkedHashSet<>();
    private final AtomicLong stages = new AtomicLong();
    private final Deque<StageReport> recent = new ArrayDeque<>();
    private final ConcurrentHashMap<String, PartitionStage.ChunkRates> chunkRates = new ConcurrentHashMap<>();
    private volatile boolean chunkedTasks = Boolean.getBoolean(CHUNKED_TASKS_PROPERTY);
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

    /**
     * Whether a task over a partition of known size claims its rows in ~1 ms chunks, so idle workers can split it
     * while it runs (a straggling worker then sheds the rest of its partition). Off by default: it makes every such
     * task a merging task, which costs short CPU-bound stages (grep over a micro-batch: 1.05-1.29x the time in
     * perf-reports/2026-11-30-straggler-3); on, it brings the straggler experiment from 1.24x to 1.10x (grep, no
     * speculation). Applies to stages started after the call.
     */
    public ExecutionContext chunkedTasks(final boolean on) {
        chunkedTasks = on;
        return this;
    }

    /** See {@link #chunkedTasks(boolean)}. */
    public boolean chunkedTasks() {
        return chunkedTasks;
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

    /** The runners' measured chunk rates for stages named {@code stage} (see {@link PartitionStage}). */
    PartitionStage.ChunkRates chunkRates(final String stage) {
        return chunkRates.computeIfAbsent(stage, s -> new PartitionStage.ChunkRates(scheduler.config().workers() + 1));
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

    /**
     * A dataset of one partition per batch; takes over the caller's reference to each, released by the dataset's
     * {@link SourceDataset#close()} or, at the latest, when this context closes.
     */
    public SourceDataset fromBatches(final Schema schema, final List<Batch> batches) {
        return source(schema, batches, "fromBatches");
    }

    private SourceDataset source(final Schema schema, final List<Batch> batches, final String origin) {
        final Batch[] owned = batches.toArray(new Batch[0]);
        for (int i = 0; i < owned.length; i++) {
            if (!owned[i].schema().equals(schema)) {
                Batch.releaseAll(owned);
                throw new IllegalArgumentException("batch index=" + i + " has schema=" + owned[i].schema() + ", expected "
                    + schema);
            }
        }
        return new SourceDataset(this, schema, owned, origin, true);
    }

    /**
     * A dataset of {@code rows} (values: Integer, Long, Double, Boolean, String or null) cut into {@code partitions}
     * contiguous partitions of near-equal size (some empty when there are fewer rows than partitions). The batches
     * live off-heap until the dataset's {@link SourceDataset#close()} or, at the latest, until this context closes:
     * a long-lived context that makes many such datasets should close each (try-with-resources).
     */
    public SourceDataset fromRows(final Schema schema, final List<Object[]> rows, final int partitions) {
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
        return source(schema, batches, "fromRows");
    }

    /**
     * A dataset of {@code partitions} partitions produced by {@code generator} inside the first stage that reads them;
     * with a {@link PartitionGenerator.Ranged} generator, in chunks that idle workers may take over.
     */
    public Dataset generate(final Schema schema, final int partitions, final PartitionGenerator generator) {
        return new GeneratedDataset(this, schema, partitions, generator);
    }

    /** A dataset over the batch files {@code part-*.sbf} in {@code dir}, one partition per file, read lazily. */
    public Dataset readFiles(final Path dir) {
        return FileDataset.open(this, dir, PartitionFileFormat.BATCH_FILES);
    }

    /**
     * A dataset over Arrow IPC data (file or stream format), read lazily: {@code path} is one file (one partition), or a
     * folder of {@code part-*.arrow} files as {@link Dataset#writeArrow} writes them (one partition each). Arrow types
     * without a Sluice column type are refused with an error naming the field.
     */
    public Dataset readArrow(final Path path) {
        if (Files.isDirectory(path)) {
            return FileDataset.open(this, path, PartitionFileFormat.ARROW);
        }
        return FileDataset.of(this, PartitionFileFormat.ARROW, List.of(path));
    }

    /**
     * Runs {@code action} when this context closes, after its workers stopped, in registration order (e.g. a dashboard
     * that listens to the scheduler stops with it). Throws {@link IllegalStateException} if the context is closed.
     */
    public void onClose(final Runnable action) {
        registerOnClose(Objects.requireNonNull(action, "action"));
    }

    synchronized void registerOnClose(final Runnable action) {
        if (closed) {
            throw new IllegalStateException("execution context is closed");
        }
        onClose.add(action);
    }

    /** Forgets an action of {@link #registerOnClose} that its owner already ran. */
    synchronized void unregisterOnClose(final Runnable action) {
        onClose.remove(action);
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
