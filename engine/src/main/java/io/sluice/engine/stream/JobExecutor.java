package io.sluice.engine.stream;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.os.LatencyThreads;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.checkpoint.WriteAheadLog;
import io.sluice.memory.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued micro-batches one at a time, in batch-time order, on its own thread: every registered
 * {@link MicroBatchJob} in registration order, then marks the batch completed in the write-ahead log (if any),
 * feeds the rate controllers, releases the batch and reports it. The queue is unbounded in batches; the memory
 * they hold is bounded by each input's budget. After every {@code checkpointEvery}-th completed batch (after
 * the snapshot restored at start) it snapshots the {@link Checkpointed} operators between two batches. After a job
 * fails, later batches are dropped (left in the write-ahead log for a restart). With {@link HandOff#CUT_ON_JOB_THREAD}
 * an idle executor cuts the next batch itself when its boundary comes ({@link JobGenerator#cutOnJobThread}).
 */
final class JobExecutor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
    private static final MicroBatch END = new MicroBatch(Long.MIN_VALUE, List.of(), new Batch[0], new long[0], false);

    private final StreamClock clock;
    private final List<StreamInput> inputs;
    private final List<MicroBatchJob> jobs;
    private final StreamingMetrics metrics;
    private final ListenerBus bus;
    private final Progress progress;
    private final WriteAheadLog wal;
    private final List<Checkpointed> checkpointed;
    private final int checkpointEvery;
    private int sinceSnapshot;
    private final OwnThread thread = new OwnThread("sluice-stream-jobs");
    private final BatchQueue queue;
    /** Cuts due batches on this thread when idle ({@link HandOff#CUT_ON_JOB_THREAD}), or null; set before start. */
    private JobGenerator cutter;
    private volatile boolean aborted;
    private volatile Throwable failure;

    JobExecutor(final StreamClock clock, final List<StreamInput> inputs, final List<MicroBatchJob> jobs, final StreamingMetrics metrics,
                final ListenerBus bus, final Progress progress, final WriteAheadLog wal, final List<Checkpointed> checkpointed,
                final int checkpointEvery, final HandOff handOff) {
        this.queue = handOff.newQueue(thread);
        this.clock = clock;
        this.inputs = inputs;
        this.jobs = jobs;
        this.metrics = metrics;
        this.bus = bus;
        this.progress = progress;
        this.wal = wal;
        this.checkpointed = checkpointed;
        this.checkpointEvery = checkpointEvery;
    }

    /**
     * Lets this thread cut due batches through {@code generator} while idle, parked until each boundary. Before
     * {@link #start()}.
     */
    void cutWhenIdle(final JobGenerator generator) {
        this.cutter = generator;
    }

    /** Starts the thread; {@code sliceNanos} > 0 asks the kernel for that scheduler slice ({@link LatencyThreads}). */
    void start(final long sliceNanos) {
        thread.start(this, sliceNanos, this::failed);
    }

    /** Ends an idle wait early (without a batch), so the executor looks again whether it may cut. */
    void wakeUp() {
        thread.unpark();
    }

    /** Records {@code error} as the stream's failure (the first one wins) and wakes everyone waiting. */
    private void failed(final Throwable error) {
        if (failure == null) {
            failure = error;
        }
        progress.failed(error);
    }

    void submit(final MicroBatch batch) {
        queue.put(batch);
    }

    /** The first job failure, or null. */
    Throwable failure() {
        return failure;
    }

    /** Graceful end: runs every batch queued so far, then the thread exits. */
    void finish() {
        queue.put(END);
    }

    /** Immediate end: interrupts a running job and drops (releases) every queued batch. */
    void abort() {
        aborted = true;
        queue.put(END);
        thread.interruptIfAllowed();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public void run() {
        try {
            while (true) {
                final MicroBatch batch;
                try {
                    batch = next();
                } catch (final InterruptedException ex) {
                    continue;
                }
                if (batch == END) {
                    break;
                }
                if (aborted || failure != null) {
                    drop(batch);
                } else {
                    process(batch);
                }
            }
        } catch (final Throwable ex) {
            // process() turns what a job, the log or a snapshot throws into a failure; this is what escaped around it.
            LOG.error("job executor failed; the stream stops processing", ex);
            failed(ex);
        } finally {
            final List<MicroBatch> left = new ArrayList<>();
            queue.drainTo(left);
            for (final MicroBatch batch : left) {
                if (batch != END) {
                    drop(batch);
                }
            }
            progress.executorDone();
        }
    }

    /** The next batch: the queue's oldest, or, when cutting while idle, the one this thread cuts at the boundary. */
    private MicroBatch next() throws InterruptedException {
        if (cutter == null) {
            return queue.take();
        }
        while (true) {
            final MicroBatch queued = queue.poll(0);
            if (queued != null) {
                return queued;
            }
            final long left = cutter.cutOnJobThread();
            if (left == 0) {
                continue;
            }
            final MicroBatch batch = queue.poll(left);
            if (batch != null) {
                return batch;
            }
        }
    }

    private void drop(final MicroBatch batch) {
        metrics.onDropped();
        batch.release();
        LOG.debug("dropped micro-batch time={} records={} (stream stopping)", batch.batchTimeMillis(), batch.records());
    }

    private void process(final MicroBatch batch) {
        final long start = clock.nanos();
        metrics.onStarted();
        final BatchInfo started = new BatchInfo(batch.batchTimeMillis(), batch.records(), batch.replayed(), batch.submissionNanos(),
            start, -1, null);
        bus.post("batchStarted", listener -> listener.onBatchStarted(started));
        Throwable error = null;
        thread.allowInterrupt();
        try {
            for (final MicroBatchJob job : jobs) {
                job.process(batch);
            }
        } catch (final Throwable ex) {
            // Errors too (an AssertionError in a job, OutOfMemoryError, a fault): the stream fails with the cause.
            error = ex;
        } finally {
            // An abort's interrupt meant for the job must not leak into the write-ahead log's file I/O.
            thread.disallowInterrupt();
        }
        if (error != null && aborted) {
            batch.release();
            LOG.debug("interrupted micro-batch time={} by an immediate stop", batch.batchTimeMillis());
            return;
        }
        final long end = clock.nanos();
        if (error == null && wal != null) {
            try {
                wal.markCompleted(batch.batchTimeMillis(), inputs.get(0).allocator());
            } catch (final Throwable ex) {
                error = ex;
            }
        }
        if (error == null && wal != null && !checkpointed.isEmpty()) {
            try {
                maybeSnapshot(batch.batchTimeMillis());
            } catch (final Throwable ex) {
                error = ex;
            }
        }
        if (error == null) {
            for (final StreamInput input : inputs) {
                input.onBatchCompleted(end, batch.batch(input.index()).rowCount(), end - start, start - batch.submissionNanos());
            }
        }
        batch.release();
        final BatchInfo info = started.completed(end, error, batch.watermarkMillis(), batch.lateRecords(),
            batch.phases(start, clock.nanos() - end));
        metrics.onCompleted(info);
        bus.post("batchCompleted", listener -> listener.onBatchCompleted(info));
        if (error != null) {
            LOG.error("micro-batch time={} records={} failed; the stream stops processing", batch.batchTimeMillis(), info.records(), error);
            failed(error);
        } else {
            progress.completed(batch.batchTimeMillis());
        }
    }

    /** Counts batches after the current snapshot; every {@code checkpointEvery}-th one is snapshotted. */
    private void maybeSnapshot(final long batchTime) {
        // A replayed batch at or before the restored snapshot changed no operator: it must not be labelled a snapshot.
        if (batchTime <= wal.snapshotTime() || batchTime < 0) {
            return;
        }
        if (++sinceSnapshot < checkpointEvery) {
            return;
        }
        sinceSnapshot = 0;
        final long start = System.nanoTime();
        wal.snapshot(batchTime, checkpointed, inputs.get(0).allocator());
        final long took = System.nanoTime() - start;
        metrics.onSnapshot(batchTime, took);
        LOG.debug("snapshot of batch time={} operators={} took {} us", batchTime, checkpointed.size(), took / 1000);
    }
}
