package io.sluice.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.sluice.engine.stream.BatchInfo;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.state.KeyedStateStore;
import io.sluice.engine.stream.state.MapWithState;
import io.sluice.engine.stream.StreamInput;
import io.sluice.engine.stream.StreamingContext;
import io.sluice.engine.stream.StreamingListener;
import io.sluice.engine.stream.StreamingMetrics;
import io.sluice.engine.stream.state.UpdateStateByKey;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Listens to a {@link StreamingContext} on its job thread and publishes what the dashboard reads: the last
 * {@link #CAPACITY} batches in a ring, run-wide counters and delay distributions. The job thread only writes
 * (wait-free: ring slots, ordered counter stores, HdrHistogram {@link Recorder}s); readers on the HTTP thread never
 * take a lock the job thread takes.
 */
final class StreamCollector implements StreamingListener {
    /** Batches kept for the charts. */
    static final int CAPACITY = 600;
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final StreamingContext context;
    private final List<KeyedStateStore> stores;
    private final AtomicReferenceArray<BatchPoint> ring = new AtomicReferenceArray<>(CAPACITY);
    /** Points published so far; point {@code seq} lives in slot {@code (seq - 1) % CAPACITY}. */
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong[] sums = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final Recorder[] recorders = {new Recorder(HIGHEST_NANOS, 3), new Recorder(HIGHEST_NANOS, 3), new Recorder(HIGHEST_NANOS, 3)};
    /** Reader side: run-wide histograms, each interval from the recorders added in (guarded by {@code this}). */
    private final Histogram[] runWide = {new Histogram(HIGHEST_NANOS, 3), new Histogram(HIGHEST_NANOS, 3), new Histogram(HIGHEST_NANOS, 3)};
    private final Histogram[] recycle = new Histogram[3];
    /** The context's inputs, read once on the job thread (they are fixed once the context started). */
    private volatile List<StreamInput> inputs;
    private volatile CheckpointStatus checkpoint = new CheckpointStatus(false, 0, -1, 0);

    /**
     * Write-ahead log and snapshot status, as of the last completed batch.
     *
     * @param writeAheadLog         whether input is logged (a checkpoint folder was given)
     * @param snapshots             operator snapshots taken since start
     * @param lastSnapshotBatchTime batch time of the newest one, or -1
     * @param lastSnapshotNanos     how long it took
     */
    record CheckpointStatus(boolean writeAheadLog, long snapshots, long lastSnapshotBatchTime, long lastSnapshotNanos) {
    }

    /** The three delay distributions, indices into {@link #delays()}. */
    static final int SCHEDULING = 0;
    static final int PROCESSING = 1;
    static final int TOTAL = 2;

    StreamCollector(final StreamingContext context, final List<Checkpointed> operators) {
        this.context = context;
        final List<KeyedStateStore> found = new ArrayList<>();
        for (final Checkpointed op : operators) {
            if (op instanceof UpdateStateByKey u) {
                found.add(u.store());
            } else if (op instanceof MapWithState m) {
                found.add(m.store());
            }
        }
        this.stores = List.copyOf(found);
    }

    @Override
    public void onBatchCompleted(final BatchInfo info) {
        final boolean ok = info.succeeded();
        final long sched = Math.max(0, info.schedulingDelayNanos());
        final long proc = Math.max(0, info.processingNanos());
        final long total = Math.max(0, info.totalDelayNanos());
        if (ok) {
            record(SCHEDULING, sched);
            record(PROCESSING, proc);
            record(TOTAL, total);
            records.lazySet(records.get() + info.records());
            completed.lazySet(completed.get() + 1);
        } else {
            failed.lazySet(failed.get() + 1);
        }
        double rate = 0;
        long lag = 0;
        long held = 0;
        List<StreamInput> ins = inputs;
        if (ins == null) {
            ins = context.inputs();
            inputs = ins;
        }
        for (final StreamInput input : ins) {
            rate += input.rateLimit();
            lag += input.lagRecords();
            held += input.heldBytes();
        }
        long keys = 0;
        for (final KeyedStateStore store : stores) {
            keys += store.size();
        }
        final StreamingMetrics m = context.metrics();
        if (m.writeAheadLog() && (m.snapshots() != checkpoint.snapshots() || !checkpoint.writeAheadLog())) {
            checkpoint = new CheckpointStatus(true, m.snapshots(), m.lastSnapshotBatchTimeMillis(), m.lastSnapshotNanos());
        }
        final long seq = published.get() + 1;
        ring.set((int) ((seq - 1) % CAPACITY), new BatchPoint(seq, info.batchTimeMillis(), info.records(), sched, proc, total, !ok, rate,
            lag, held, context.metrics().queueLength(), stores.isEmpty() ? -1 : keys));
        // Release: a reader that sees the count sees the slot.
        published.lazySet(seq);
    }

    private void record(final int which, final long nanos) {
        recorders[which].recordValue(Math.min(nanos, HIGHEST_NANOS));
        sums[which].lazySet(sums[which].get() + nanos);
    }

    /** The points with {@code seq > since}, oldest first, at most the newest {@code limit} of them. */
    List<BatchPoint> pointsSince(final long since, final int limit) {
        final long last = published.get();
        final long first = Math.max(Math.max(since + 1, last - CAPACITY + 1), last - limit + 1);
        final List<BatchPoint> out = new ArrayList<>((int) Math.max(0, last - first + 1));
        for (long seq = Math.max(1, first); seq <= last; seq++) {
            final BatchPoint p = ring.get((int) ((seq - 1) % CAPACITY));
            // A slot overwritten by a newer point while we read (the writer lapped us) is skipped, never misread.
            if (p != null && p.seq() == seq) {
                out.add(p);
            }
        }
        return out;
    }

    /** The newest point, or null before any batch completed. */
    BatchPoint latest() {
        final long last = published.get();
        return last == 0 ? null : ring.get((int) ((last - 1) % CAPACITY));
    }

    long batchesCompleted() {
        return completed.get();
    }

    long batchesFailed() {
        return failed.get();
    }

    long recordsProcessed() {
        return records.get();
    }

    /** Exact sum of the recorded values of distribution {@code which}, nanos. */
    long sumNanos(final int which) {
        return sums[which].get();
    }

    /**
     * Run-wide copies of the scheduling-delay, processing-time and total-delay distributions (nanos) of every
     * successful batch so far. Reader side only: the recorders hand over what the job thread recorded since the
     * last call without stopping it.
     */
    synchronized Histogram[] delays() {
        final Histogram[] copies = new Histogram[3];
        for (int i = 0; i < 3; i++) {
            recycle[i] = recorders[i].getIntervalHistogram(recycle[i]);
            runWide[i].add(recycle[i]);
            copies[i] = runWide[i].copy();
        }
        return copies;
    }

    /** Input names, known once the first batch completed (empty before). */
    List<String> inputNames() {
        final List<StreamInput> ins = inputs;
        return ins == null ? List.of() : ins.stream().map(StreamInput::name).toList();
    }

    CheckpointStatus checkpoint() {
        return checkpoint;
    }

    StreamingContext context() {
        return context;
    }

    boolean hasKeyedState() {
        return !stores.isEmpty();
    }
}
