package io.sluice.engine.stream;

import java.util.Arrays;
import java.util.List;

import io.sluice.engine.stream.checkpoint.WriteAheadLog;
import io.sluice.engine.stream.source.ReplayableSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts every input's received blocks into one micro-batch per interval, on its own thread: at each boundary it
 * polls the pull sources, cuts each input, and queues the {@link MicroBatch} on the {@link JobExecutor}. It never
 * waits for processing, so a slow batch makes the queue longer (a metric) rather than moving boundaries. If the
 * clock jumps past several boundaries (a pause, or a test advancing a manual clock), each boundary still gets
 * its own batch.
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
    private List<MicroBatch> replay = List.of();
    /** The replayable sources' offsets after the newest logged batch ("" for other sources). */
    private String[] loggedOffsets;
    /** Also the lock of stopRequested/graceful, so a stop cannot slip between the check and the wait. */
    private final OwnThread thread = new OwnThread("sluice-stream-generator");
    private long nextBatchTime;
    private long nextProgressLogNanos;
    private volatile boolean stopRequested;
    private volatile boolean graceful;

    JobGenerator(final StreamClock clock, final long intervalMillis, final List<StreamInput> inputs, final JobExecutor executor,
                 final StreamingMetrics metrics, final ListenerBus bus, final Progress progress, final long progressLogNanos,
                 final WriteAheadLog wal) {
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.inputs = inputs;
        this.executor = executor;
        this.metrics = metrics;
        this.bus = bus;
        this.progress = progress;
        this.progressLogNanos = progressLogNanos;
        this.wal = wal;
    }

    /** Queues {@code replayed} (batches from the write-ahead log) first, then cuts from {@code firstBatchTime} on. */
    void start(final long firstBatchTime, final List<MicroBatch> replayed) {
        nextBatchTime = firstBatchTime;
        replay = replayed;
        loggedOffsets = offsets();
        nextProgressLogNanos = clock.nanos() + progressLogNanos;
        thread.start(this, error -> {
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
            while (true) {
                synchronized (thread) {
                    if (stopRequested) {
                        break;
                    }
                    thread.allowInterrupt();
                }
                try {
                    clock.awaitMillis(nextBatchTime);
                } catch (final InterruptedException ex) {
                    LOG.debug("job generator woken for stop at batch time={}", nextBatchTime);
                } finally {
                    thread.disallowInterrupt();
                }
                if (stopRequested) {
                    break;
                }
                generate(nextBatchTime, false);
                nextBatchTime += intervalMillis;
            }
            if (graceful) {
                generate(nextBatchTime, true);
            }
        } catch (final Throwable ex) {
            // Errors too (a source running out of memory, a fault in a mapped file): the stream fails with the cause.
            LOG.error("job generator failed at batch time={}; the stream stops", nextBatchTime, ex);
            progress.failed(ex);
        }
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
