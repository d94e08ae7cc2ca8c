package io.sluice.engine.stream.source;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process source other threads push rows or whole batches into, through a bounded lock-free ring
 * ({@link RowRing}: many producers, the job generator the one consumer) that stores a row's values in place, so
 * queueing a row allocates nothing: a {@link RowWriter} ({@link #rowWriter()}) queues rows from typed setters with no
 * allocation per row; {@link #offerRow(Object...)} takes boxed values (the caller's boxes and varargs array are its
 * only allocations). At each poll the queued rows are appended to one block, sized to them. Back-pressure is explicit: the
 * {@code offer*} methods never block and return {@link Offer#BACK_PRESSURED} when the queue is full; the
 * {@code put*} methods wait, backing off from spinning to 1 ms parks, up to a timeout. The queue fills when the
 * stream's rate limit or memory budget holds the consumer back. Rows are checked against the schema on the
 * producer's thread: a bad row is {@link Offer#REJECTED}, counted and logged. A batch's ownership passes to the
 * source only on {@link Offer#ACCEPTED}. The queue is bounded in elements ({@code capacity}) and in the off-heap
 * bytes its queued batches allocated: once the stream started, queued batches count against the stream's memory
 * budget ({@link BackpressureConfig#maxBufferedBytes()}) together with what the stream holds, so the input's
 * batches, queued or buffered or in flight, stay within one budget; before the start (and never above)
 * {@code maxQueuedBytes} bounds them (default {@link BackpressureConfig#DEFAULT_MAX_BUFFERED_BYTES}). One batch is
 * always let in when none is queued, as the stream's buffer always takes one block. Pending = rows queued, a batch
 * counting its rows.
 */
public final class QueueSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(QueueSource.class);
    private static final long MAX_PARK_NANOS = 1_000_000L;
    private static final int SPINS_BEFORE_PARKING = 1_000;

    /** The outcome of handing a row or batch to the source. */
    public enum Offer {
        /** Queued; a batch now belongs to the source. */
        ACCEPTED,
        /** The queue is full (or stayed full until the timeout): try again later. */
        BACK_PRESSURED,
        /** Does not match the schema: counted as rejected and logged; never retried. */
        REJECTED,
        /** The source has stopped. */
        CLOSED
    }

    private final String name;
    private final Schema schema;
    private final RowRing ring;
    private final RejectCounter rejects;
    private final AtomicLong producersInside = new AtomicLong();
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong queuedRows = new AtomicLong();
    /** A block the stream refused for lack of room, stored first at the next poll; its bytes stay in queuedBytes. */
    private volatile Batch carried;
    private volatile SourceContext context;
    private volatile boolean stopped;

    private QueueSource(final String name, final Schema schema, final int capacity, final long maxQueuedBytes) {
        this.name = Objects.requireNonNull(name, "name");
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("queue source '" + name + "' maxQueuedBytes=" + maxQueuedBytes + " must be > 0");
        }
        this.maxQueuedBytes = maxQueuedBytes;
        this.schema = Objects.requireNonNull(schema, "schema");
        if (capacity < 2) {
            throw new IllegalArgumentException("queue source '" + name + "' capacity=" + capacity + " must be >= 2");
        }
        this.ring = new RowRing(schema, capacity);
        this.rejects = new RejectCounter(LOG, name);
    }

    /**
     * A source queueing up to {@code capacity} rows or batches (rounded up to a power of two). The first queued row
     * makes the ring's row arrays: about {@code capacity x columns x 8} bytes of heap (plus a reused array per UTF8
     * slot), held for the source's life.
     */
    public static QueueSource create(final String name, final Schema schema, final int capacity) {
        return new QueueSource(name, schema, capacity, BackpressureConfig.DEFAULT_MAX_BUFFERED_BYTES);
    }

    /** Like {@link #create(String, Schema, int)}, holding queued batches of at most {@code maxQueuedBytes} allocated bytes. */
    public static QueueSource create(final String name, final Schema schema, final int capacity, final long maxQueuedBytes) {
        return new QueueSource(name, schema, capacity, maxQueuedBytes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public void start(final SourceContext sourceContext) {
        this.context = sourceContext;
    }

    /**
     * Queues one row (values in schema order; boxed Java values). Never blocks. The varargs array and the boxes are
     * the caller's allocations; a producer that must allocate nothing per row uses a {@link #rowWriter()}.
     */
    public Offer offerRow(final Object... values) {
        final String problem = checkRow(values);
        if (problem != null) {
            rejects.reject(1, problem);
            return Offer.REJECTED;
        }
        return enqueue(null, values, null);
    }

    /** Queues a batch of this source's schema; on {@link Offer#ACCEPTED} the source owns it. Never blocks. */
    public Offer offerBatch(final Batch batch) {
        if (!batch.schema().equals(schema)) {
            rejects.reject(batch.rowCount(), "batch schema " + batch.schema() + " differs from source schema " + schema);
            return Offer.REJECTED;
        }
        return enqueue(batch, null, null);
    }

    /** Like {@link #offerRow}, waiting up to {@code timeout} while the queue is full. */
    public Offer putRow(final Duration timeout, final Object... values) {
        final String problem = checkRow(values);
        if (problem != null) {
            rejects.reject(1, problem);
            return Offer.REJECTED;
        }
        return put(null, values, null, timeout);
    }

    /** Like {@link #offerBatch}, waiting up to {@code timeout} while the queue is full. */
    public Offer putBatch(final Duration timeout, final Batch batch) {
        if (!batch.schema().equals(schema)) {
            rejects.reject(batch.rowCount(), "batch schema " + batch.schema() + " differs from source schema " + schema);
            return Offer.REJECTED;
        }
        return put(batch, null, null, timeout);
    }

    /**
     * A writer for one producer thread that queues rows from typed setters without allocating: the values are copied
     * into the queue's slot, whose arrays are made once. Each producer thread takes its own writer.
     */
    public RowWriter rowWriter() {
        return new RowWriter(this);
    }

    /** Queues the row staged in {@code writer}, already checked; with {@code timeout} null, never blocks. */
    Offer offerStaged(final RowWriter writer, final Duration timeout) {
        return timeout == null ? enqueue(null, null, writer) : put(null, null, writer, timeout);
    }

    /** Counts and logs a row a writer found bad. */
    void reject(final String problem) {
        rejects.reject(1, problem);
    }

    private Offer put(final Batch batch, final Object[] boxed, final RowWriter writer, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long park = 1_000;
        while (true) {
            final Offer offer = enqueue(batch, boxed, writer);
            if (offer != Offer.BACK_PRESSURED) {
                return offer;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return Offer.BACK_PRESSURED;
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(MAX_PARK_NANOS, park * 2);
        }
    }

    /**
     * Queues {@code batch}, else the row {@code boxed}, else the row staged in {@code writer}. The counter makes
     * {@link #close()} wait for producers that passed the stopped check, so nothing leaks.
     */
    private Offer enqueue(final Batch batch, final Object[] boxed, final RowWriter writer) {
        producersInside.incrementAndGet();
        try {
            if (stopped) {
                return Offer.CLOSED;
            }
            final long bytes = batch != null ? batch.allocatedBytes() : 0;
            final long rows = batch != null ? batch.rowCount() : 1;
            if (batch == null) {
                ring.prepareRows();
            }
            if (!reserve(bytes)) {
                return Offer.BACK_PRESSURED;
            }
            queuedRows.addAndGet(rows);
            final long position = ring.claim();
            if (position < 0) {
                queuedBytes.addAndGet(-bytes);
                queuedRows.addAndGet(-rows);
                return Offer.BACK_PRESSURED;
            }
            fill(position, batch, boxed, writer);
            return Offer.ACCEPTED;
        } finally {
            producersInside.decrementAndGet();
        }
    }

    /** Fills and publishes the claimed slot; if filling throws (out of memory), publishes it empty and rethrows. */
    private void fill(final long position, final Batch batch, final Object[] boxed, final RowWriter writer) {
        try {
            if (batch != null) {
                ring.putBatch(position, batch);
            } else if (boxed != null) {
                ring.putBoxedRow(position, boxed);
            } else {
                writer.copyTo(ring, position);
            }
        } catch (final Throwable error) {
            ring.publishSkipped(position);
            queuedRows.addAndGet(batch != null ? -batch.rowCount() : -1);
            queuedBytes.addAndGet(batch != null ? -batch.allocatedBytes() : 0);
            throw error;
        }
        ring.publish(position);
    }

    /**
     * Takes {@code bytes} of the byte bounds (this queue's, and the stream's budget less what the stream holds);
     * always succeeds when nothing is queued, so any one batch gets in.
     */
    private boolean reserve(final long bytes) {
        while (true) {
            final long queued = queuedBytes.get();
            if (queued > 0) {
                final SourceContext stream = context;
                if (queued + bytes > maxQueuedBytes || stream != null && queued + bytes > stream.budgetRoomBytes()) {
                    return false;
                }
            }
            if (queuedBytes.compareAndSet(queued, queued + bytes)) {
                return true;
            }
        }
    }

    /** A batch that was queued or carried now belongs to the stream (or was released): its bytes leave the bound. */
    private void storedOrReleased(final Batch batch) {
        queuedBytes.addAndGet(-batch.allocatedBytes());
    }

    /** As {@link #storedOrReleased(Batch)}, for a batch whose size was read before the stream took it. */
    private void storedOrReleased(final long allocatedBytes) {
        queuedBytes.addAndGet(-allocatedBytes);
    }

    /** Keeps {@code block}, refused by the stream, for the next poll; a block built from rows enters the byte count. */
    private void carry(final Batch block, final boolean counted) {
        if (!counted) {
            queuedBytes.addAndGet(block.allocatedBytes());
        }
        carried = block;
    }

    /**
     * Stores {@code block} taken out of the ring, or carries it to the next poll if the stream refuses it or the store
     * throws (a throwing store leaves the block with the caller): either way it is not lost and close() releases it.
     */
    private boolean tryStoreOrCarry(final SourceContext context, final Batch block, final boolean counted) {
        boolean stored = false;
        try {
            stored = context.tryStore(block);
        } finally {
            if (!stored) {
                carry(block, counted);
            }
        }
        return stored;
    }

    /** Null if {@code values} fit the schema, else why not. */
    private String checkRow(final Object[] values) {
        if (values.length != schema.fieldCount()) {
            return "row has values=" + values.length + " but schema has fields=" + schema.fieldCount();
        }
        for (int c = 0; c < values.length; c++) {
            final Field field = schema.field(c);
            final Object value = values[c];
            if (value == null) {
                if (!field.isNullable()) {
                    return "column '" + field.name() + "' is not nullable but the row has null";
                }
                continue;
            }
            final boolean fits;
            switch (field.type()) {
                case BOOLEAN:
                    fits = value instanceof Boolean;
                    break;
                case INT32:
                    fits = value instanceof Integer || value instanceof Short || value instanceof Byte;
                    break;
                case INT64:
                    fits = value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
                    break;
                case FLOAT64:
                    fits = value instanceof Double || value instanceof Float;
                    break;
                case UTF8:
                    fits = value instanceof String
                        || value instanceof byte[] && Utf8Validation.firstInvalid((byte[]) value, 0, ((byte[]) value).length) < 0;
                    break;
                default:
                    fits = false;
                    break;
            }
            if (!fits) {
                return "column '" + field.name() + "' of type " + field.type() + " cannot hold a " + value.getClass().getSimpleName()
                    + (value instanceof byte[] ? " that is not valid UTF-8" : "");
            }
        }
        return null;
    }

    @Override
    public void poll(final SourceContext context, final long nowNanos) {
        long allowance = context.recordAllowance();
        final Batch held = carried;
        if (held != null) {
            final int heldRows = held.rowCount();
            final long heldBytes = held.allocatedBytes();
            if (!context.tryStore(held)) {
                return;
            }
            allowance -= heldRows;
            carried = null;
            storedOrReleased(heldBytes);
        }
        BatchBuilder rows = null;
        try {
            while (allowance > 0 && ring.ready()) {
                if (ring.headSkipped()) {
                    ring.advance();
                    continue;
                }
                final Batch batch = ring.headBatch();
                if (batch != null) {
                    if (rows != null) {
                        break;
                    }
                    ring.advance();
                    final int batchRows = batch.rowCount();
                    final long batchBytes = batch.allocatedBytes();
                    queuedRows.addAndGet(-batchRows);
                    if (!tryStoreOrCarry(context, batch, true)) {
                        return;
                    }
                    storedOrReleased(batchBytes);
                    allowance -= batchRows;
                } else {
                    if (rows == null) {
                        rows = new BatchBuilder(context.allocator(), schema, ring.readyRows((int) Math.min(allowance, ring.capacity())));
                    }
                    ring.appendHeadRow(rows);
                    ring.advance();
                    queuedRows.decrementAndGet();
                    allowance--;
                }
            }
            if (rows != null && rows.rowCount() > 0) {
                tryStoreOrCarry(context, rows.build(), false);
            }
        } finally {
            if (rows != null) {
                rows.close();
            }
        }
    }

    /** Stops accepting: later offers return {@link Offer#CLOSED}; what is queued can still be polled once. */
    @Override
    public void stop() {
        stopped = true;
    }

    /** Releases every queued batch; waits for producers caught mid-offer. */
    @Override
    public void close() {
        stopped = true;
        awaitProducersOutside();
        while (ring.ready()) {
            final Batch batch = ring.headBatch();
            final boolean row = batch == null && !ring.headSkipped();
            ring.advance();
            if (batch != null) {
                queuedRows.addAndGet(-batch.rowCount());
                storedOrReleased(batch);
                batch.release();
            } else if (row) {
                queuedRows.decrementAndGet();
            }
        }
        final Batch held = carried;
        if (held != null) {
            storedOrReleased(held);
            held.release();
            carried = null;
        }
    }

    /**
     * Waits until no producer is inside an offer: spins a little (an offer is short), then parks from 1 us doubling
     * up to 1 ms, as {@code put*} do, so a producer descheduled mid-offer does not cost the closer a core.
     */
    private void awaitProducersOutside() {
        long park = 1_000;
        for (int spins = 0; producersInside.get() != 0; spins++) {
            if (spins < SPINS_BEFORE_PARKING) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(MAX_PARK_NANOS, park * 2);
            }
        }
    }

    @Override
    public long rejectedRecords() {
        return rejects.count();
    }

    @Override
    public long pendingRecords() {
        final Batch held = carried;
        return queuedRows.get() + (held == null ? 0 : held.rowCount());
    }
}
