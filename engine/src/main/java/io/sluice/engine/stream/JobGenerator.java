package io.sluice.engine.stream;

import java.util.Arrays;
import java.util.List;

import io.sluice.engine.os.LatencyThreads;
import io.sluice.engine.stream.checkpoint.WriteAheadLog;
import io.sluice.engine.stream.source.ReplayableSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts every input's received blocks into one micro-batch per interval: at each boundary it polls the pull sources,
 * cuts each input, and queues the {@link MicroBatch} on the {@link JobExecutor}. It never waits for processing, so
 * a slow batch makes the queue longer (a metric) rather than moving boundaries. If the clock jumps past several
 * boundaries (a pause, or a test advancing a manual clock), each boundary still gets its own batch.
 *
 * <p>Cuts run on its own thread, and with {@link HandOff#CUT_ON_JOB_THREAD} also on the job executor's thread
 * ({@link #cutOnJobThread}): an idle executor waits for the boundary itself and cuts the batch it then runs, so
 * no thread wakes another on a batch's path. Every cut happens under one lock that also orders the boundaries, so
 * each boundary is cut once, by whichever thread gets there first, and batches are queued in batch-time order. In
 * that mode this thread waits until a boundary plus {@link #backupDelayNanos}: it cuts only the boundaries the
 * executor, busy with an earlier batch, did not get to.
 */
final class JobGenerator implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JobGenerator.class);

    private final StreamClock clock;
    private final long intervalMillis;
    private final List<StreamInput> inputs;
    private final JobExecutor executor;
    private final StreamingMetrics metrics;
    private final ListenerBus bus;
    private final Progress progress;
    private final long progressLogNanos;
    private final WriteAheadLog wal;
    private final long backupDelayNanos;
    private List<MicroBatch> replay = List.of();
    /** The replayable sources' offsets after the newest logged batch ("" for other sources). */
    private String[] loggedOffsets;
    /** Also the lock of stopRequested/graceful, so a stop cannot slip between the check and the wait. */
    private final OwnThread thread = new OwnThread("sluice-stream-generator");
    /**
     * Held while cutting: guards {@link #open}, the source polls, the write-ahead log's writes and the advance of
     * {@link #nextBatchTime}, whichever thread cuts.
     */
    private final Object cuts = new Object();
    /** The next boundary to cut; written under {@link #cuts}, read without it to time a wait. */
    private volatile long nextBatchTime;
    /** Whether the job executor may cut: the replayed batches are queued, and no stop or failure came yet. */
    private boolean open;
    private long nextProgressLogNanos;
    private volatile boolean stopRequested;
    private volatile boolean graceful;

    JobGenerator(final StreamClock clock, final long intervalMillis, final List<StreamInput> inputs, final JobExecutor executor,
                 final StreamingMetrics metrics, final ListenerBus bus, final Progress progress, final long progressLogNanos,
                 final WriteAheadLog wal, final long backupDelayNanos) {
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.inputs = inputs;
        this.executor = executor;
        this.metrics = metrics;
        this.bus = bus;
        this.progress = progress;
        this.progressLogNanos = progressLogNanos;
        this.wal = wal;
        this.backupDelayNanos = backupDelayNanos;
    }

    /**
     * Queues {@code replayed} (batches from the write-ahead log) first, then cuts from {@code firstBatchTime} on;
     * {@code sliceNanos} > 0 asks the kernel for that scheduler slice for the thread ({@link LatencyThreads}).
     */
    void start(final long firstBatchTime, final List<MicroBatch> replayed, final long sliceNanos) {
        nextBatchTime = firstBatchTime;
        replay = replayed;
        loggedOffsets = offsets();
        nextProgressLogNanos = clock.nanos() + progressLogNanos;
        thread.start(this, sliceNanos, error -> {
            LOG.error("job generator thread ended by an uncaught throwable; the stream stops", error);
            progress.failed(error);
        });
    }

    /**
     * Stops cutting. Graceful: one last batch, at the next boundary and without waiting for the clock, takes
     * whatever was received (if anything), so nothing stored is lost. Only a thread waiting for the clock is
     * interrupted, never one writing batches or files.
     */
    void requestStop(final boolean finishReceived) {
        synchronized (thread) {
            if (!stopRequested) {
                graceful = finishReceived;
                stopRequested = true;
            }
            thread.interruptIfAllowed();
        }
    }

    void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public void run() {
        try {
            for (final MicroBatch batch : replay) {
                submit(batch, clock.nanos());
            }
            replay = List.of();
            synchronized (cuts) {
                open = true;
            }
            // An executor that went idle before the replay ended waits without a deadline: it now has one.
            executor.wakeUp();
            while (true) {
                synchronized (thread) {
                    if (stopRequested) {
                        break;
                    }
                    thread.allowInterrupt();
                }
                final long boundary = nextBatchTime;
                try {
                    clock.awaitNanos(Math.multiplyExact(boundary, 1_000_000L) + backupDelayNanos);
                } catch (final InterruptedException ex) {
                    LOG.debug("job generator woken for stop at batch time={}", boundary);
                } finally {
                    thread.disallowInterrupt();
                }
                if (stopRequested) {
                    break;
                }
                synchronized (cuts) {
                    // The job executor may have cut it already.
                    if (nextBatchTime == boundary) {
                        cut(boundary, false);
                    }
                }
            }
            synchronized (cuts) {
                open = false;
                if (graceful) {
                    cut(nextBatchTime, true);
                }
            }
        } catch (final Throwable ex) {
            // Errors too (a source running out of memory, a fault in a mapped file): the stream fails with the cause.
            LOG.error("job generator failed at batch time={}; the stream stops", nextBatchTime, ex);
            progress.failed(ex);
        }
    }

    /**
     * The job executor's thread, idle: cuts the next boundary if it is due (the batch is queued as the generator
     * queues it). Returns 0 after a cut, else the nanos until the next boundary is due, or {@link Long#MAX_VALUE}
     * while the executor may not cut (replay still being queued, stopping, failed): then it waits for a batch or
     * {@link JobExecutor#wakeUp}. A failure of the cut fails the stream, as on the generator's thread.
     */
    long cutOnJobThread() {
        final Throwable failure;
        synchronized (cuts) {
            if (!open || stopRequested) {
                return Long.MAX_VALUE;
            }
            final long boundary = nextBatchTime;
            final long left = Math.multiplyExact(boundary, 1_000_000L) - clock.nanos();
            if (left > 0) {
                return left;
            }
            try {
                cut(boundary, false);
                return 0;
            } catch (final Throwable ex) {
                // Errors too, as on the generator's thread.
                LOG.error("job generator failed at batch time={} (cut on the job thread); the stream stops", boundary, ex);
                failure = ex;
            }
        }
        // Outside the lock: the failure stops the generator, whose stop request must not wait for a cut.
        progress.failed(failure);
        return Long.MAX_VALUE;
    }

    /**
     * Under {@link #cuts}: cuts {@code boundary} and moves on to the next one. A cut that throws closes cutting before
     * the lock is let go, so no other thread cuts after it (the stream then fails).
     */
    private void cut(final long boundary, final boolean last) {
        try {
            generate(boundary, last);
        } catch (final RuntimeException | Error ex) {
            open = false;
            throw ex;
        }
        nextBatchTime = boundary + intervalMillis;
    }

    private void generate(final long batchTime, final boolean last) {
        final long submission = clock.nanos();
        for (final StreamInput input : inputs) {
            try {
                input.source().poll(input, submission);
            } catch (final RuntimeException ex) {
                LOG.error("source '{}' failed to poll at batch time={}", input.name(), batchTime, ex);
                input.reportError("poll", ex);
            }
        }
        final Batch[] batches = new Batch[inputs.size()];
        final long[] bytes = new long[inputs.size()];
        long records = 0;
        try {
            for (int i = 0; i < batches.length; i++) {
                final StreamInput.Cut cut = inputs.get(i).cut();
                batches[i] = cut.batch();
                bytes[i] = cut.bytes();
                records += cut.batch().rowCount();
            }
        } catch (final RuntimeException | Error ex) {
            new MicroBatch(batchTime, inputs, fill(batches), bytes, false).release();
            throw ex;
        }
        final MicroBatch batch = new MicroBatch(batchTime, inputs, batches, bytes, false);
        final long cut = clock.nanos();
        final String[] offsets = wal == null ? loggedOffsets : offsets();
        final boolean moved = !Arrays.equals(offsets, loggedOffsets);
        if (last && records == 0 && !moved) {
            batch.release();
            return;
        }
        if (wal != null && (records > 0 || moved)) {
            // Logged even without records when an offset moved (a file with no rows), so a restart does not redo it.
            try {
                wal.writeReceived(batchTime, batches, offsets, inputs.get(0).allocator());
            } catch (final RuntimeException | Error ex) {
                batch.release();
                throw ex;
            }
            loggedOffsets = offsets;
        }
        final long logged = clock.nanos();
        batch.cutTimes(cut - submission, logged - cut);
        submit(batch, submission);
        logProgress();
    }

    /** Every input's source offset now ("" for a source that is not replayable). */
    private String[] offsets() {
        final String[] offsets = new String[inputs.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = inputs.get(i).source() instanceof ReplayableSource replayable ? replayable.offset() : "";
        }
        return offsets;
    }

    /** Replaces the nulls of a partly built array by empty batches so it can be released as a whole. */
    private Batch[] fill(final Batch[] batches) {
        for (int i = 0; i < batches.length; i++) {
            if (batches[i] == null) {
                batches[i] = BatchBuilder.empty(inputs.get(i).allocator(), inputs.get(i).schema());
            }
        }
        return batches;
    }

    private void submit(final MicroBatch batch, final long submission) {
        batch.submitted(submission);
        final BatchInfo info = new BatchInfo(batch.batchTimeMillis(), batch.records(), batch.replayed(), submission, -1, -1, null);
        metrics.onSubmitted();
        // Listeners hear "submitted" before the executor can start the batch and post "started".
        bus.post("batchSubmitted", listener -> listener.onBatchSubmitted(info));
        batch.queued(clock.nanos());
        executor.submit(batch);
        progress.generated(batch.batchTimeMillis());
    }

    private void logProgress() {
        final long now = clock.nanos();
        if (now >= nextProgressLogNanos) {
            nextProgressLogNanos = now + progressLogNanos;
            if (LOG.isInfoEnabled()) {
                LOG.info("stream progress: {}", metrics.progressLine());
            }
        }
    }
}
