package io.sluice.engine.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.sluice.engine.os.LatencyThreads;
import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.checkpoint.WalDescriptor;
import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.ReplayableSource;
import io.sluice.engine.stream.source.Source;
import io.sluice.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of a streaming job: input streams ({@link #input(Source)}), the work run on every micro-batch
 * ({@link #foreachBatch}, {@link #addJob}), listeners, and the life cycle {@link #start()} / {@link #stop(boolean)}.
 *
 * <p>Once started, a job generator thread cuts every input into one micro-batch per interval (batch time = the
 * interval boundary) and queues it; a job executor thread runs the batches one at a time in batch-time order. The
 * generator never waits for processing: batches queue ({@link StreamingMetrics#queueLength()}), and the memory
 * they hold is bounded per input by {@link BackpressureConfig}. Configuration (inputs, jobs, listeners) happens
 * before {@link #start()}; the context runs once. Stopping ends every thread it started and releases every batch.
 */
public final class StreamingContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingContext.class);

    /** Shortest batch interval. */
    public static final Duration MIN_BATCH_INTERVAL = Duration.ofMillis(1);
    /** Longest batch interval. */
    public static final Duration MAX_BATCH_INTERVAL = Duration.ofHours(1);
    /** System property: the default of {@link Builder#threadSlice} in microseconds (unset or 0: off). */
    public static final String THREAD_SLICE_PROPERTY = "sluice.stream.threadSliceMicros";

    private enum State { NEW, STARTED, STOPPED }

    private final long intervalMillis;
    private final BufferAllocator allocator;
    private final StreamClock clock;
    private final Path checkpointFolder;
    private final BackpressureConfig backpressure;
    private final long progressLogNanos;
    private final List<StreamInput> inputs = new ArrayList<>();
    private final List<MicroBatchJob> jobs = new ArrayList<>();
    private final List<Checkpointed> checkpointed = new ArrayList<>();
    private final int checkpointEvery;
    private final HandOff handOff;
    private final long threadSliceNanos;
    private long rememberMillis;
    private final List<Runnable> stopHooks = new ArrayList<>();
    private final ListenerBus bus = new ListenerBus();
    private final Progress progress = new Progress();
    private final StreamingMetrics metrics;
    private State state = State.NEW;
    private JobExecutor executor;
    private JobGenerator generator;

    private StreamingContext(final Builder builder) {
        this.intervalMillis = builder.interval.toMillis();
        this.allocator = builder.allocator;
        this.clock = builder.clock;
        this.checkpointFolder = builder.checkpointFolder;
        this.backpressure = builder.backpressure;
        this.progressLogNanos = builder.progressLogInterval.toNanos();
        this.checkpointEvery = builder.checkpointEvery;
        this.handOff = builder.handOff;
        this.threadSliceNanos = builder.threadSliceNanos;
        this.metrics = new StreamingMetrics(Collections.unmodifiableList(inputs), checkpointFolder != null);
    }

    /** A builder; {@link Builder#batchInterval} and {@link Builder#allocator} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds an input stream fed by {@code source}; names must be unique. Before {@link #start()} only. */
    public synchronized StreamInput input(final Source source) {
        requireState(State.NEW, "add an input");
        for (final StreamInput input : inputs) {
            if (input.name().equals(source.name())) {
                throw new IllegalArgumentException("duplicate source name '" + source.name() + "'");
            }
        }
        final StreamInput input = new StreamInput(inputs.size(), source, allocator, clock, bus, backpressure, intervalMillis,
            error -> {
                LOG.error("source '{}' failed; the stream stops", source.name(), error);
                progress.failed(error);
            });
        inputs.add(input);
        return input;
    }

    /** Runs {@code job} on every micro-batch of {@code input}. Before {@link #start()} only. */
    public synchronized StreamingContext foreachBatch(final StreamInput input, final BatchJob job) {
        Objects.requireNonNull(job, "job");
        if (input.index() >= inputs.size() || inputs.get(input.index()) != input) {
            throw new IllegalArgumentException("input '" + input.name() + "' does not belong to this context");
        }
        return addJob(batch -> job.process(batch.batchTimeMillis(), batch.batch(input)));
    }

    /**
     * Runs {@code job} once per batch time over all inputs' micro-batches: the hook a DStream graph registers its
     * output operations through. Jobs run in the order added. Before {@link #start()} only.
     */
    public synchronized StreamingContext addJob(final MicroBatchJob job) {
        requireState(State.NEW, "add a job");
        jobs.add(Objects.requireNonNull(job, "job"));
        return this;
    }

    /**
     * Registers stateful operator state for snapshots: with a checkpoint folder, every operator is snapshotted after
     * every k-th completed batch ({@link Builder#checkpointEvery}) and restored from the newest complete snapshot on
     * a restart before any batch runs. Names must be unique folder names ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, at
     * most 100 characters). Without a checkpoint folder nothing is snapshotted. Before {@link #start()} only.
     */
    public synchronized StreamingContext addCheckpointed(final Checkpointed operator) {
        requireState(State.NEW, "add a checkpointed operator");
        final String name = Objects.requireNonNull(operator, "operator").checkpointName();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") || name.endsWith(WalDescriptor.TEMP_SUFFIX)) {
            throw new IllegalArgumentException("checkpoint name='" + name + "' must match [A-Za-z0-9][A-Za-z0-9._-]{0,99}"
                + " and not end in " + WalDescriptor.TEMP_SUFFIX);
        }
        for (final Checkpointed other : checkpointed) {
            if (other.checkpointName().equals(name)) {
                throw new IllegalArgumentException("duplicate checkpoint name '" + name + "'");
            }
        }
        checkpointed.add(operator);
        return this;
    }

    /**
     * Keeps logged input for at least {@code duration} before the newest snapshot (window operators ask for their
     * window length), so a restart can replay it to rebuild windows. The context keeps the longest duration asked
     * for. Before {@link #start()} only.
     */
    public synchronized StreamingContext remember(final Duration duration) {
        requireState(State.NEW, "remember input");
        if (duration.isNegative() || duration.toNanos() % 1_000_000L != 0) {
            throw new IllegalArgumentException("remember duration=" + duration + " must be whole milliseconds >= 0");
        }
        rememberMillis = Math.max(rememberMillis, duration.toMillis());
        return this;
    }

    /** The longest duration asked for with {@link #remember}, in milliseconds. */
    public synchronized long rememberMillis() {
        return rememberMillis;
    }

    /**
     * Runs {@code hook} once at the end of {@link #stop(boolean)}, after every thread the context started has ended
     * (hooks run in reverse order of adding): a DStream graph releases what its operators hold through it. A hook
     * that throws does not stop the others; {@code stop} rethrows the first. Before or while running (a dashboard
     * attached to a running context stops with it); not once stopping began.
     */
    public synchronized StreamingContext onStop(final Runnable hook) {
        if (state == State.STOPPED) {
            throw new IllegalStateException("cannot add a stop hook: context state=" + state + ", expected NEW or STARTED");
        }
        stopHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /** Adds a listener (may be called at any time). */
    public StreamingContext addListener(final StreamingListener listener) {
        bus.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Removes a listener added with {@link #addListener} (may be called at any time); no-op if absent. */
    public StreamingContext removeListener(final StreamingListener listener) {
        bus.remove(listener);
        return this;
    }

    private void requireState(final State expected, final String action) {
        if (state != expected) {
            throw new IllegalStateException("cannot " + action + ": context state=" + state + ", expected " + expected);
        }
    }

    /**
     * Opens the checkpoint folder (if any; a {@link CheckpointException} leaves it untouched and the context
     * unstarted), restores every {@link Checkpointed} operator from its newest complete snapshot, seeks every
     * {@link ReplayableSource} past the newest logged offset, then starts the sources, the job generator and the
     * job executor. Logged batch times after the snapshot minus the remembered duration are queued first, in
     * order and {@link MicroBatch#replayed()}; new batch times start at the first interval boundary after now and
     * after every logged batch time.
     */
    public synchronized void start() {
        requireState(State.NEW, "start");
        if (inputs.isEmpty()) {
            throw new IllegalStateException("cannot start: no input stream was added");
        }
        final List<StreamInput> frozen = List.copyOf(inputs);
        final long nextBoundary = Math.floorDiv(clock.millis(), intervalMillis) * intervalMillis + intervalMillis;
        final Restart.Opened opened = checkpointFolder == null ? Restart.Opened.fresh(nextBoundary)
            : Restart.open(checkpointFolder, intervalMillis, frozen, allocator, checkpointed, rememberMillis, nextBoundary);
        final List<MicroBatch> replay = opened.replay();
        final long firstBatchTime = opened.firstBatchTime();
        executor = new JobExecutor(clock, frozen, List.copyOf(jobs), metrics, bus, progress, opened.wal(), List.copyOf(checkpointed),
            checkpointEvery, handOff);
        final boolean cutOnJobThread = handOff == HandOff.CUT_ON_JOB_THREAD && clock instanceof SystemStreamClock;
        generator = new JobGenerator(clock, intervalMillis, frozen, executor, metrics, bus, progress, progressLogNanos, opened.wal(),
            cutOnJobThread ? HandOff.backupDelayNanos(intervalMillis) : 0);
        if (cutOnJobThread) {
            executor.cutWhenIdle(generator);
        }
        progress.onFailure(() -> generator.requestStop(false));
        state = State.STARTED;
        try {
            InputLifecycle.startAll(frozen);
        } catch (final RuntimeException ex) {
            replay.forEach(MicroBatch::release);
            state = State.STOPPED;
            throw ex;
        }
        executor.start(threadSliceNanos);
        generator.start(firstBatchTime, replay, threadSliceNanos);
        LOG.info("streaming context started: interval={}ms inputs={} checkpoint={} operators={} replaying batches={} first batch time={}",
            intervalMillis, frozen.size(), checkpointFolder, checkpointed.size(), replay.size(), firstBatchTime);
    }

    /**
     * Stops the stream and waits for its threads to end. Graceful: sources stop receiving, whatever they stored is
     * cut into a last batch, and every queued batch is processed. Immediate: a running job is interrupted and
     * queued batches are dropped (their memory released). Either way every thread the context started has ended
     * and every batch it holds is released on return. Throws {@link StreamingJobException} if a job failed.
     * Idempotent after the first call.
     */
    public void stop(final boolean graceful) {
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            final boolean started = state == State.STARTED;
            state = State.STOPPED;
            if (!started) {
                final RuntimeException hookFailure = runStopHooks();
                if (hookFailure != null) {
                    throw hookFailure;
                }
                return;
            }
        }
        InputLifecycle.stopAll(inputs);
        generator.requestStop(graceful);
        boolean interrupted = OwnThread.joinUninterruptibly(generator::join);
        if (graceful) {
            executor.finish();
        } else {
            executor.abort();
        }
        interrupted |= OwnThread.joinUninterruptibly(executor::join);
        InputLifecycle.releaseAndCloseAll(inputs);
        final RuntimeException hookFailure = runStopHooks();
        LOG.info("streaming context stopped ({}): {}", graceful ? "graceful" : "immediate", metrics.progressLine());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        final Throwable failure = progress.failure();
        if (failure != null) {
            final StreamingJobException ex = failureException(failure);
            if (hookFailure != null) {
                ex.addSuppressed(hookFailure);
            }
            throw ex;
        }
        if (hookFailure != null) {
            throw hookFailure;
        }
    }

    /** Runs every stop hook, newest first; returns the first failure (later ones suppressed into it), or null. */
    private RuntimeException runStopHooks() {
        final List<Runnable> hooks;
        synchronized (this) {
            hooks = new ArrayList<>(stopHooks);
        }
        return StopHooks.runNewestFirst(hooks, LOG);
    }

    /** Immediate stop, {@code stop(false)}: queued batches are dropped (a write-ahead log keeps them for a restart). */
    @Override
    public void close() {
        stop(false);
    }

    /** The exception {@link #stop} and the waits throw for the stream's first failure. */
    private static StreamingJobException failureException(final Throwable failure) {
        return new StreamingJobException("the stream failed: " + failure, failure);
    }

    /** Returns {@code reached}, or throws the stream's failure if it failed before getting there. */
    private boolean reachedOrFailed(final boolean reached) {
        final Throwable failure = progress.failure();
        if (!reached && failure != null) {
            throw failureException(failure);
        }
        return reached;
    }

    /**
     * Waits until the batch at {@code batchTimeMillis} (or a later one) completed. Returns false on timeout, or once
     * processing has ended (a stop) without reaching it; throws {@link StreamingJobException} (cause: the first
     * failure of a job, source or stream thread) if the stream failed before reaching it. The timeout is a safety
     * net for tests.
     */
    public boolean awaitBatchCompleted(final long batchTimeMillis, final Duration timeout) throws InterruptedException {
        return reachedOrFailed(progress.awaitCompleted(batchTimeMillis, timeout.toNanos()));
    }

    /**
     * Waits until the batch at {@code batchTimeMillis} (or a later one) was cut and queued; false on timeout; throws
     * {@link StreamingJobException} if the stream failed before.
     */
    public boolean awaitBatchGenerated(final long batchTimeMillis, final Duration timeout) throws InterruptedException {
        return reachedOrFailed(progress.awaitGenerated(batchTimeMillis, timeout.toNanos()));
    }

    /** The first job failure, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(progress.failure());
    }

    public StreamingMetrics metrics() {
        return metrics;
    }

    public synchronized List<StreamInput> inputs() {
        return List.copyOf(inputs);
    }

    public long batchIntervalMillis() {
        return intervalMillis;
    }

    public StreamClock clock() {
        return clock;
    }

    public BufferAllocator allocator() {
        return allocator;
    }

    /** Builds a {@link StreamingContext}. */
    public static final class Builder {
        private Duration interval;
        private BufferAllocator allocator;
        private StreamClock clock = SystemStreamClock.instance();
        private Path checkpointFolder;
        private BackpressureConfig backpressure = BackpressureConfig.unlimitedRate();
        private Duration progressLogInterval = Duration.ofSeconds(10);
        private int checkpointEvery = 10;
        private HandOff handOff = HandOff.SPIN_THEN_PARK;
        private long threadSliceNanos = LatencyThreads.sliceNanosFromProperty(THREAD_SLICE_PROPERTY);

        private Builder() {
        }

        /** The batch interval: whole milliseconds in [1 ms, 1 h]. */
        public Builder batchInterval(final Duration value) {
            if (value.compareTo(MIN_BATCH_INTERVAL) < 0 || value.compareTo(MAX_BATCH_INTERVAL) > 0
                || value.toNanos() % 1_000_000L != 0) {
                throw new IllegalArgumentException("batch interval=" + value + " must be whole milliseconds in ["
                    + MIN_BATCH_INTERVAL + ", " + MAX_BATCH_INTERVAL + "]");
            }
            this.interval = value;
            return this;
        }

        /** The allocator every received block and micro-batch comes from (owned by the caller). */
        public Builder allocator(final BufferAllocator value) {
            this.allocator = Objects.requireNonNull(value, "allocator");
            return this;
        }

        /** The clock (default: {@link SystemStreamClock}); tests pass a {@link ManualStreamClock}. */
        public Builder clock(final StreamClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** A folder for the write-ahead log (optional: none by default). */
        public Builder checkpointFolder(final Path value) {
            this.checkpointFolder = Objects.requireNonNull(value, "checkpointFolder");
            return this;
        }

        /**
         * Snapshot the {@link Checkpointed} operators after every {@code batches}-th completed batch (default 10):
         * fewer means less replay after a crash and more snapshot I/O.
         */
        public Builder checkpointEvery(final int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("checkpointEvery=" + batches + " must be >= 1 batch");
            }
            this.checkpointEvery = batches;
            return this;
        }

        /** Rate control and memory budget per input (default: no rate limit, 64 MiB per input). */
        public Builder backpressure(final BackpressureConfig value) {
            this.backpressure = Objects.requireNonNull(value, "backpressure");
            return this;
        }

        /** How often (on the stream clock) the one-line progress log is written; default 10 s. */
        public Builder progressLogInterval(final Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("progress log interval=" + value + " must be > 0");
            }
            this.progressLogInterval = value;
            return this;
        }

        /** How cut batches reach the job executor thread (default {@link HandOff#SPIN_THEN_PARK}). */
        public Builder handOff(final HandOff value) {
            this.handOff = Objects.requireNonNull(value, "handOff");
            return this;
        }

        /**
         * The Linux scheduler slice the generator and job threads ask for ({@link LatencyThreads}, best effort): a short
         * one (e.g. 100 us) lets them preempt other processes sooner after a wake. {@link Duration#ZERO}: off (the
         * kernel's default); else in [0.1 ms, 100 ms]. Default: {@value #THREAD_SLICE_PROPERTY} (microseconds), else off.
         */
        public Builder threadSlice(final Duration value) {
            this.threadSliceNanos = LatencyThreads.checkSliceOrZero(value.toNanos(), "thread slice");
            return this;
        }

        public StreamingContext build() {
            if (interval == null || allocator == null) {
                throw new IllegalStateException("batchInterval=" + interval + " and allocator=" + allocator + " are required");
            }
            return new StreamingContext(this);
        }
    }
}
