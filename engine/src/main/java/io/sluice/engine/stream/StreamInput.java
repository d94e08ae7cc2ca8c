package io.sluice.engine.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.sluice.engine.stream.source.BackpressureConfig;
import io.sluice.engine.stream.source.PidRateEstimator;
import io.sluice.engine.stream.source.RateLimiter;
import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;

/**
 * One input stream of a {@link StreamingContext}: its {@link Source}, the blocks received since the last cut, its
 * memory budget and rate limit, and its metrics. Sources see it as their {@link SourceContext}.
 *
 * <p>Budget accounting: a block's allocated off-heap bytes ({@link Batch#allocatedBytes()}, room reserved for rows
 * included, so memory is bounded by the budget) and records are <em>held</em> from {@link #tryStore} until the
 * micro-batch it was cut into is released after processing, so queued batches count against the budget and a
 * slow job holds sources back instead of growing memory. Thread-safe.
 */
public final class StreamInput implements SourceContext {
    private static final long DEFAULT_BYTES_PER_RECORD = 64;
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int index;
    private final Source source;
    private final BufferAllocator allocator;
    private final StreamClock clock;
    private final ListenerBus bus;
    private final BackpressureConfig config;
    private final RateLimiter rateLimiter;
    private final PidRateEstimator estimator;
    private final Consumer<Throwable> onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Blocks received since the last cut; the cut swaps it with {@link #cutBlocks} instead of copying it. */
    private List<Batch> blocks = new ArrayList<>();
    /** The list the generator cuts from (empty between cuts; only the generator thread reads it outside the lock). */
    private List<Batch> cutBlocks = new ArrayList<>();
    private long bufferedBytes;
    private long bufferedRecords;
    private long inFlightBytes;
    private long inFlightRecords;
    private long maxHeldBytes;
    private long storedBytes;
    private long storedRecords;
    private volatile boolean stopping;

    StreamInput(final int index, final Source source, final BufferAllocator allocator, final StreamClock clock, final ListenerBus bus,
                final BackpressureConfig config, final long batchIntervalMillis, final Consumer<Throwable> onFailure) {
        this.index = index;
        this.onFailure = onFailure;
        this.source = source;
        this.allocator = allocator;
        this.clock = clock;
        this.bus = bus;
        this.config = config;
        final long burstNanos = TimeUnit.MILLISECONDS.toNanos(batchIntervalMillis);
        this.rateLimiter = new RateLimiter(clock, burstNanos, config.rateControl() ? config.initialRate() : config.maxRate());
        this.estimator = config.rateControl()
            ? new PidRateEstimator(batchIntervalMillis, config.proportional(), config.integral(), config.derivative(), config.minRate())
            : null;
    }

    /** Position of this input in the context (and in every {@link MicroBatch}). */
    public int index() {
        return index;
    }

    public String name() {
        return source.name();
    }

    public Schema schema() {
        return source.schema();
    }

    public Source source() {
        return source;
    }

    @Override
    public BufferAllocator allocator() {
        return allocator;
    }

    @Override
    public StreamClock clock() {
        return clock;
    }

    @Override
    public boolean isStopping() {
        return stopping;
    }

    @Override
    public void reportError(final String what, final Throwable error) {
        bus.post("receiverError", listener -> listener.onReceiverError(source.name(), what, error));
    }

    @Override
    public void fail(final Throwable error) {
        onFailure.accept(error);
    }

    @Override
    public long recordAllowance() {
        lock.lock();
        try {
            final long held = bufferedRecords + inFlightRecords;
            final long heldBytes = bufferedBytes + inFlightBytes;
            final long byRecords = config.maxBufferedRecords() - held;
            final long perRecord = storedRecords == 0 ? DEFAULT_BYTES_PER_RECORD : Math.max(1, storedBytes / storedRecords);
            final long byBytes = (config.maxBufferedBytes() - heldBytes) / perRecord;
            long budget = Math.max(0, Math.min(byRecords, byBytes));
            if (held == 0 && budget == 0) {
                budget = 1;
            }
            return Math.min(budget, rateLimiter.available());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long budgetRoomBytes() {
        lock.lock();
        try {
            return config.maxBufferedBytes() - bufferedBytes - inFlightBytes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean tryStore(final Batch block) {
        checkSchema(block);
        final long bytes = block.allocatedBytes();
        lock.lock();
        try {
            if (stopping || !hasRoom(bytes, block.rowCount())) {
                return false;
            }
            rateLimiter.consume(block.rowCount());
            add(block, bytes);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean store(final Batch block) {
        checkSchema(block);
        final long bytes = block.allocatedBytes();
        try {
            rateLimiter.acquire(block.rowCount());
            lock.lock();
            try {
                while (!stopping && !hasRoom(bytes, block.rowCount())) {
                    room.awaitNanos(WAIT_SLICE_NANOS);
                }
                if (stopping) {
                    return false;
                }
                add(block, bytes);
                return true;
            } finally {
                lock.unlock();
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void checkSchema(final Batch block) {
        if (!block.schema().equals(source.schema())) {
            throw new IllegalArgumentException("source '" + source.name() + "' stored a block with schema " + block.schema()
                + " but declares " + source.schema());
        }
    }

    private boolean hasRoom(final long bytes, final long records) {
        final long heldRecords = bufferedRecords + inFlightRecords;
        final long heldBytes = bufferedBytes + inFlightBytes;
        if (heldRecords == 0 && heldBytes == 0) {
            return true;
        }
        return heldBytes + bytes <= config.maxBufferedBytes() && heldRecords + records <= config.maxBufferedRecords();
    }

    private void add(final Batch block, final long bytes) {
        blocks.add(block);
        bufferedBytes += bytes;
        bufferedRecords += block.rowCount();
        storedBytes += bytes;
        storedRecords += block.rowCount();
        maxHeldBytes = Math.max(maxHeldBytes, bufferedBytes + inFlightBytes);
    }

    /** Cuts the blocks received so far into one batch (possibly empty); their accounting moves to in-flight. */
    Cut cut() {
        final List<Batch> taken;
        final long bytes;
        lock.lock();
        try {
            taken = blocks;
            blocks = cutBlocks;
            cutBlocks = taken;
            bytes = bufferedBytes;
            inFlightBytes += bufferedBytes;
            inFlightRecords += bufferedRecords;
            bufferedBytes = 0;
            bufferedRecords = 0;
        } finally {
            lock.unlock();
        }
        try {
            return new Cut(BatchBuilder.concatAndRelease(allocator, source.schema(), taken), bytes);
        } catch (final RuntimeException ex) {
            releaseInFlight(bytes, countRows(taken));
            throw ex;
        } finally {
            taken.clear();
        }
    }

    private static long countRows(final List<Batch> batches) {
        long rows = 0;
        for (final Batch batch : batches) {
            rows += batch.rowCount();
        }
        return rows;
    }

    /** Counts a replayed batch against the budget until it is released. */
    void holdReplayed(final long bytes, final long records) {
        lock.lock();
        try {
            inFlightBytes += bytes;
            inFlightRecords += records;
            maxHeldBytes = Math.max(maxHeldBytes, bufferedBytes + inFlightBytes);
        } finally {
            lock.unlock();
        }
    }

    /** A micro-batch of this input was processed or dropped: its bytes and records leave the budget. */
    void releaseInFlight(final long bytes, final long records) {
        lock.lock();
        try {
            inFlightBytes -= bytes;
            inFlightRecords -= records;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Feeds the rate controller with a completed batch of this input. */
    void onBatchCompleted(final long endNanos, final long records, final long processingNanos, final long schedulingDelayNanos) {
        if (estimator == null) {
            return;
        }
        final double rate = estimator.compute(endNanos, records, processingNanos, schedulingDelayNanos);
        if (!Double.isNaN(rate)) {
            rateLimiter.setRate(Math.min(config.maxRate(), Math.max(config.minRate(), rate)));
        }
    }

    /** Stops storing: waiting and later stores return false. */
    void stopStoring() {
        stopping = true;
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Releases blocks received but never cut (immediate stop). */
    void releaseBuffered() {
        final List<Batch> dropped;
        lock.lock();
        try {
            dropped = new ArrayList<>(blocks);
            blocks.clear();
            bufferedBytes = 0;
            bufferedRecords = 0;
        } finally {
            lock.unlock();
        }
        for (final Batch block : dropped) {
            block.release();
        }
    }

    /** The current rate limit in records per second (infinite: none). */
    public double rateLimit() {
        return rateLimiter.rate();
    }

    /** Allocated bytes received and not yet cut into a batch. */
    public long bufferedBytes() {
        lock.lock();
        try {
            return bufferedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Allocated bytes held: received, queued or being processed. */
    public long heldBytes() {
        lock.lock();
        try {
            return bufferedBytes + inFlightBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The most allocated bytes ever held at once. */
    public long maxHeldBytes() {
        lock.lock();
        try {
            return maxHeldBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Records waiting: at the source, received but not cut, and in batches not yet finished. */
    public long lagRecords() {
        lock.lock();
        try {
            return source.pendingRecords() + bufferedRecords + inFlightRecords;
        } finally {
            lock.unlock();
        }
    }

    /** Records stored by the source since start. */
    public long receivedRecords() {
        lock.lock();
        try {
            return storedRecords;
        } finally {
            lock.unlock();
        }
    }

    /** Records the source rejected. */
    public long rejectedRecords() {
        return source.rejectedRecords();
    }

    /** One input's share of a cut: the batch and the allocated bytes it holds against the budget. */
    record Cut(Batch batch, long bytes) {
    }
}
