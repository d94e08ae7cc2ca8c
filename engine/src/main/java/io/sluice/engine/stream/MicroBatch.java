package io.sluice.engine.stream;

import java.util.List;

import io.sluice.memory.Batch;

/**
 * The micro-batches of one batch time: one {@link Batch} per input stream, in the order the inputs were added to
 * the context (an input that received nothing has an empty batch). Owned by the context, released after the last
 * job of this batch time returns; jobs retain a batch to keep it.
 */
public final class MicroBatch {
    private final long batchTimeMillis;
    private final List<StreamInput> inputs;
    private final Batch[] batches;
    private final long[] bytes;
    private final boolean replayed;
    private final boolean completedBefore;
    private long submissionNanos;
    private long cutNanos;
    private long walNanos;
    private long queuedNanos;
    private long watermarkMillis = Long.MIN_VALUE;
    private long lateRecords;
    private boolean released;

    MicroBatch(final long batchTimeMillis, final List<StreamInput> inputs, final Batch[] batches, final long[] bytes,
               final boolean replayed) {
        this(batchTimeMillis, inputs, batches, bytes, replayed, false);
    }

    MicroBatch(final long batchTimeMillis, final List<StreamInput> inputs, final Batch[] batches, final long[] bytes,
               final boolean replayed, final boolean completedBefore) {
        this.batchTimeMillis = batchTimeMillis;
        this.inputs = inputs;
        this.batches = batches;
        this.bytes = bytes;
        this.replayed = replayed;
        this.completedBefore = completedBefore;
    }

    public long batchTimeMillis() {
        return batchTimeMillis;
    }

    /** Whether this batch was replayed from the write-ahead log after a restart. */
    public boolean replayed() {
        return replayed;
    }

    /**
     * Whether a run before the restart already completed this batch time (replayed only to rebuild windows): its
     * output operations ran then. A sink that commits by batch time skips it anyway; a sink that cannot be
     * idempotent may skip it to avoid most duplicates (the batch in flight at a crash is still delivered twice).
     */
    public boolean completedBefore() {
        return completedBefore;
    }

    /** Number of inputs. */
    public int inputCount() {
        return batches.length;
    }

    /** The batch of input {@code index} (the order inputs were added). */
    public Batch batch(final int index) {
        if (index < 0 || index >= batches.length) {
            throw new IndexOutOfBoundsException("input index=" + index + " out of range [0, " + batches.length + ")");
        }
        return batches[index];
    }

    /** The batch of {@code input}, which must belong to this context. */
    public Batch batch(final StreamInput input) {
        final int index = input.index();
        if (index >= inputs.size() || inputs.get(index) != input) {
            throw new IllegalArgumentException("input '" + input.name() + "' does not belong to this context");
        }
        return batches[index];
    }

    /** Records over all inputs. */
    public long records() {
        long records = 0;
        for (final Batch batch : batches) {
            records += batch.rowCount();
        }
        return records;
    }

    /**
     * Called by the jobs: the event-time watermark after this batch and the rows it dropped as late (internal: public
     * for the DStream graph, which reports for its event-time operators).
     */
    public void reportEventTime(final long watermark, final long late) {
        this.watermarkMillis = watermark;
        this.lateRecords = late;
    }

    long watermarkMillis() {
        return watermarkMillis;
    }

    long lateRecords() {
        return lateRecords;
    }

    long submissionNanos() {
        return submissionNanos;
    }

    void submitted(final long nanos) {
        submissionNanos = nanos;
    }

    /** The job generator took {@code cut} nanos to poll and cut this batch and {@code wal} to log it. */
    void cutTimes(final long cut, final long wal) {
        cutNanos = cut;
        walNanos = wal;
    }

    /** When the batch entered the job executor's queue. */
    void queued(final long nanos) {
        queuedNanos = nanos;
    }

    /** The phases of this batch once its jobs started at {@code startNanos} and its commit took {@code commitNanos}. */
    BatchPhases phases(final long startNanos, final long commitNanos) {
        return new BatchPhases(cutNanos, walNanos, startNanos - queuedNanos, commitNanos);
    }

    /** Releases the batches and returns their bytes and records to each input's budget. Idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        for (int i = 0; i < batches.length; i++) {
            final long records = batches[i].rowCount();
            batches[i].release();
            inputs.get(i).releaseInFlight(bytes[i], records);
        }
    }
}
