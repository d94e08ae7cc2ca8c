package io.sluice.engine.stream;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Run-wide metrics of a {@link StreamingContext}: batch and record counts, the live queue length and lag, and
 * HdrHistogram distributions (nanoseconds, 3 significant digits) of total delay, scheduling delay and processing
 * time over every completed batch. Thread-safe: written by the job executor, read by anyone.
 */
public final class StreamingMetrics {
    private static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

    private final List<StreamInput> inputs;
    private final Histogram totalDelay = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram schedulingDelay = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram processingTime = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong maxQueued = new AtomicLong();
    private long batchesSubmitted;
    private long batchesCompleted;
    private long batchesFailed;
    private long recordsProcessed;
    private BatchInfo lastCompleted;
    private final boolean writeAheadLog;
    private long snapshots;
    private long lastSnapshotBatchTime = -1;
    private long lastSnapshotNanos;

    StreamingMetrics(final List<StreamInput> inputs, final boolean writeAheadLog) {
        this.inputs = inputs;
        this.writeAheadLog = writeAheadLog;
    }

    /** The job executor snapshotted the stateful operators after batch {@code batchTimeMillis} in {@code nanos}. */
    synchronized void onSnapshot(final long batchTimeMillis, final long nanos) {
        snapshots++;
        lastSnapshotBatchTime = batchTimeMillis;
        lastSnapshotNanos = nanos;
    }

    /** Whether the context logs its input to a write-ahead log (a checkpoint folder was given). */
    public boolean writeAheadLog() {
        return writeAheadLog;
    }

    /** Operator snapshots taken since start (0 without a checkpoint folder or stateful operators). */
    public synchronized long snapshots() {
        return snapshots;
    }

    /** The batch time of the newest snapshot taken since start, or -1. */
    public synchronized long lastSnapshotBatchTimeMillis() {
        return lastSnapshotBatchTime;
    }

    /** How long the newest snapshot since start took, nanos (0 if none). */
    public synchronized long lastSnapshotNanos() {
        return lastSnapshotNanos;
    }

    synchronized void onSubmitted() {
        batchesSubmitted++;
        final long length = queued.incrementAndGet();
        maxQueued.accumulateAndGet(length, Math::max);
    }

    void onStarted() {
        queued.decrementAndGet();
    }

    /** A queued batch dropped by an immediate stop. */
    void onDropped() {
        queued.decrementAndGet();
    }

    synchronized void onCompleted(final BatchInfo info) {
        lastCompleted = info;
        if (info.failure() != null) {
            batchesFailed++;
            return;
        }
        batchesCompleted++;
        recordsProcessed += info.records();
        totalDelay.recordValue(clamp(info.totalDelayNanos()));
        schedulingDelay.recordValue(clamp(info.schedulingDelayNanos()));
        processingTime.recordValue(clamp(info.processingNanos()));
    }

    private static long clamp(final long nanos) {
        return Math.max(0, Math.min(HIGHEST_TRACKABLE_NANOS, nanos));
    }

    /** Batches cut and waiting for the job executor (not counting the one running). */
    public long queueLength() {
        return queued.get();
    }

    /** The longest the batch queue has been. */
    public long maxQueueLength() {
        return maxQueued.get();
    }

    public synchronized long batchesSubmitted() {
        return batchesSubmitted;
    }

    public synchronized long batchesCompleted() {
        return batchesCompleted;
    }

    public synchronized long batchesFailed() {
        return batchesFailed;
    }

    public synchronized long recordsProcessed() {
        return recordsProcessed;
    }

    /** The last completed batch, or null. */
    public synchronized BatchInfo lastCompleted() {
        return lastCompleted;
    }

    /** Scheduling delay of the last completed batch in nanos, or 0 if none completed. */
    public synchronized long lastSchedulingDelayNanos() {
        return lastCompleted == null ? 0 : Math.max(0, lastCompleted.schedulingDelayNanos());
    }

    /** Records waiting over all inputs (at sources, received, queued or running). */
    public long lagRecords() {
        long lag = 0;
        for (final StreamInput input : inputs) {
            lag += input.lagRecords();
        }
        return lag;
    }

    /** Payload bytes held over all inputs. */
    public long heldBytes() {
        long bytes = 0;
        for (final StreamInput input : inputs) {
            bytes += input.heldBytes();
        }
        return bytes;
    }

    /** The total-delay percentile ({@code percentile} in (0, 100]) in nanos; 0 before any batch completed. */
    public synchronized long totalDelayPercentileNanos(final double percentile) {
        return totalDelay.getValueAtPercentile(percentile);
    }

    public synchronized long schedulingDelayPercentileNanos(final double percentile) {
        return schedulingDelay.getValueAtPercentile(percentile);
    }

    public synchronized long processingTimePercentileNanos(final double percentile) {
        return processingTime.getValueAtPercentile(percentile);
    }

    /** A copy of the total-delay histogram (nanos). */
    public synchronized Histogram totalDelayHistogram() {
        return totalDelay.copy();
    }

    /** The one-line progress summary the context logs periodically. */
    public String progressLine() {
        final long p50;
        final long p99;
        final long p999;
        final long completed;
        final long failed;
        final long records;
        synchronized (this) {
            p50 = totalDelay.getValueAtPercentile(50);
            p99 = totalDelay.getValueAtPercentile(99);
            p999 = totalDelay.getValueAtPercentile(99.9);
            completed = batchesCompleted;
            failed = batchesFailed;
            records = recordsProcessed;
        }
        double rate = 0;
        for (final StreamInput input : inputs) {
            rate += input.rateLimit();
        }
        return String.format(Locale.ROOT, "batches=%d failed=%d records=%d queued=%d lagRecords=%d heldBytes=%d rateLimit=%s"
                + " totalDelay p50=%.3fms p99=%.3fms p999=%.3fms",
            completed, failed, records, queueLength(), lagRecords(), heldBytes(),
            Double.isInfinite(rate) ? "none" : String.format(Locale.ROOT, "%.0f/s", rate), p50 / 1e6, p99 / 1e6, p999 / 1e6);
    }
}
