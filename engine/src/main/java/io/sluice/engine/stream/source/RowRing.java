package io.sluice.engine.stream.source;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * The bounded many-producer, one-consumer queue behind {@link QueueSource}: a ring of slots, each holding either a
 * whole {@link Batch} or one row's values stored in place, so queueing a row allocates nothing. A slot's values live
 * in arrays made once: fixed-width values as {@code long} bits in {@code values[slot * columns + column]}, a UTF8
 * value's bytes in that slot's reused {@code byte[]} (its length in {@code values}), nulls in {@code nulls}. The row
 * arrays are made on the first row, so a source fed only batches never holds them.
 *
 * <p>The protocol is Vyukov's bounded queue: slot {@code i} carries a sequence number. A producer claims position
 * {@code p} by a CAS on the tail once the slot's sequence equals {@code p} (the slot is free for this lap), writes the
 * slot, then publishes it by setting the sequence to {@code p + 1} with release semantics. The consumer reads the slot
 * at the head once its sequence is {@code head + 1} (acquire), then frees it for the next lap by setting
 * {@code head + capacity}. Sequences are ints compared by difference, correct across wrap-around as the capacity is
 * below 2^30. Positions keep FIFO order among claims, so one producer's elements stay in its order. A producer
 * descheduled between claim and publish holds the consumer back at that slot until it publishes (the rows stay
 * queued; nothing is lost or reordered).
 */
final class RowRing {
    /** The largest capacity: int sequences stay unambiguous when compared by difference. */
    static final int MAX_CAPACITY = 1 << 29;

    private final Schema schema;
    private final ColumnType[] types;
    private final boolean anyNullable;
    private final boolean anyUtf8;
    private final int columns;
    private final int capacity;
    private final int mask;
    private final AtomicIntegerArray sequences;
    private final Batch[] batches;
    /** Slots whose producer failed while filling them (an allocation failure): published empty, skipped by the consumer. */
    private final boolean[] skipped;
    private final AtomicLong tail = new AtomicLong();
    /** Written by the one consumer at a time (poll, or close after the last poll). */
    private volatile long head;
    private volatile RowSlots rows;

    /** The per-slot row arrays, made once on the first row. */
    private static final class RowSlots {
        final long[] values;
        final boolean[] nulls;
        final byte[][] utf8;

        RowSlots(final int slots, final int columns, final boolean nullable, final boolean text) {
            values = new long[Math.multiplyExact(slots, columns)];
            nulls = nullable ? new boolean[slots * columns] : null;
            utf8 = text ? new byte[slots * columns][] : null;
        }
    }

    RowRing(final Schema schema, final int requestedCapacity) {
        if (requestedCapacity < 2 || requestedCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + requestedCapacity + " must be in [2, " + MAX_CAPACITY + "]");
        }
        this.schema = schema;
        this.columns = schema.fieldCount();
        this.types = new ColumnType[columns];
        boolean nullable = false;
        boolean text = false;
        for (int c = 0; c < columns; c++) {
            types[c] = schema.field(c).type();
            nullable |= schema.field(c).isNullable();
            text |= types[c] == ColumnType.UTF8;
        }
        this.anyNullable = nullable;
        this.anyUtf8 = text;
        this.capacity = Integer.highestOneBit(requestedCapacity - 1) << 1;
        this.mask = capacity - 1;
        this.sequences = new AtomicIntegerArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        this.batches = new Batch[capacity];
        this.skipped = new boolean[capacity];
    }

    int capacity() {
        return capacity;
    }

    /** Claims the next slot: its position, or -1 if the ring is full. The caller must fill and publish it. */
    long claim() {
        long position = tail.get();
        while (true) {
            final int difference = sequences.getAcquire((int) position & mask) - (int) position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    return position;
                }
                position = tail.get();
            } else if (difference < 0) {
                return -1;
            } else {
                position = tail.get();
            }
        }
    }

    /** Makes the claimed slot at {@code position} visible to the consumer. */
    void publish(final long position) {
        sequences.setRelease((int) position & mask, (int) position + 1);
    }

    /** Fills the claimed slot at {@code position} with {@code batch}. */
    void putBatch(final long position, final Batch batch) {
        batches[(int) position & mask] = batch;
    }

    /**
     * Publishes the claimed slot at {@code position} as empty: its producer failed while filling it, and a slot never
     * published would hold the consumer back for good.
     */
    void publishSkipped(final long position) {
        batches[(int) position & mask] = null;
        skipped[(int) position & mask] = true;
        publish(position);
    }

    /** Makes the row arrays if no row was queued before; a producer calls it before claiming a slot for a row. */
    void prepareRows() {
        rowSlots();
    }

    /** The row arrays, made by the first producer of a row. */
    private RowSlots rowSlots() {
        final RowSlots slots = rows;
        return slots != null ? slots : makeRowSlots();
    }

    private synchronized RowSlots makeRowSlots() {
        if (rows == null) {
            rows = new RowSlots(capacity, columns, anyNullable, anyUtf8);
        }
        return rows;
    }

    /**
     * Fills the claimed slot at {@code position} with one row: {@code values} as long bits (a UTF8 value's length),
     * {@code nulls} per column (ignored when the schema has no nullable field), UTF8 bytes from {@code utf8}.
     */
    void putRow(final long position, final long[] values, final boolean[] nulls, final byte[][] utf8) {
        final RowSlots slots = rowSlots();
        final int base = ((int) position & mask) * columns;
        for (int c = 0; c < columns; c++) {
            final boolean isNull = anyNullable && nulls[c];
            if (anyNullable) {
                slots.nulls[base + c] = isNull;
            }
            final long value = values[c];
            slots.values[base + c] = value;
            if (types[c] == ColumnType.UTF8 && !isNull) {
                copyUtf8(slots, base + c, utf8[c], (int) value);
            }
        }
    }

    /** Fills the claimed slot at {@code position} with a row of boxed values already checked against the schema. */
    void putBoxedRow(final long position, final Object[] values) {
        final RowSlots slots = rowSlots();
        final int base = ((int) position & mask) * columns;
        for (int c = 0; c < columns; c++) {
            final Object value = values[c];
            if (anyNullable) {
                slots.nulls[base + c] = value == null;
            }
            if (value == null) {
                continue;
            }
            switch (types[c]) {
                case BOOLEAN:
                    slots.values[base + c] = (Boolean) value ? 1 : 0;
                    break;
                case INT32:
                case INT64:
                    slots.values[base + c] = ((Number) value).longValue();
                    break;
                case FLOAT64:
                    slots.values[base + c] = Double.doubleToRawLongBits(((Number) value).doubleValue());
                    break;
                case UTF8:
                    final byte[] bytes = value instanceof byte[] ? (byte[]) value : ((String) value).getBytes(StandardCharsets.UTF_8);
                    slots.values[base + c] = bytes.length;
                    copyUtf8(slots, base + c, bytes, bytes.length);
                    break;
                default:
                    throw new IllegalStateException("unsupported column type=" + types[c]);
            }
        }
    }

    /** Copies a UTF8 value into the slot's own array, which grows only for a longer value than it ever held. */
    private static void copyUtf8(final RowSlots slots, final int index, final byte[] bytes, final int length) {
        byte[] held = slots.utf8[index];
        if (held == null || held.length < length) {
            held = new byte[Math.max(length, 16)];
            slots.utf8[index] = held;
        }
        System.arraycopy(bytes, 0, held, 0, length);
    }

    /** Whether the slot at the head is published (consumer only). */
    boolean ready() {
        final long position = head;
        return sequences.getAcquire((int) position & mask) == (int) position + 1;
    }

    /** The published slot at the head was published empty ({@link #publishSkipped}); consumer only, after {@link #ready()}. */
    boolean headSkipped() {
        return skipped[(int) head & mask];
    }

    /**
     * Rows in the published slots from the head on, up to the first batch, unpublished or skipped slot or {@code max};
     * consumer only. Sizes the block the consumer builds, so its columns need not grow.
     */
    int readyRows(final int max) {
        final long start = head;
        int count = 0;
        while (count < max) {
            final long position = start + count;
            final int index = (int) position & mask;
            if (sequences.getAcquire(index) != (int) position + 1 || batches[index] != null || skipped[index]) {
                break;
            }
            count++;
        }
        return count;
    }

    /** The published slot at the head holds a batch (null if it holds a row); consumer only, after {@link #ready()}. */
    Batch headBatch() {
        return batches[(int) head & mask];
    }

    /** Appends the row in the published slot at the head to {@code builder}, of this ring's schema; consumer only. */
    void appendHeadRow(final BatchBuilder builder) {
        final RowSlots slots = rows;
        final int base = ((int) head & mask) * columns;
        for (int c = 0; c < columns; c++) {
            if (anyNullable && slots.nulls[base + c]) {
                builder.setNull(c);
                continue;
            }
            final long value = slots.values[base + c];
            switch (types[c]) {
                case BOOLEAN:
                    builder.setBoolean(c, value != 0);
                    break;
                case INT32:
                    builder.setInt32(c, (int) value);
                    break;
                case INT64:
                    builder.setInt64(c, value);
                    break;
                case FLOAT64:
                    builder.setFloat64(c, Double.longBitsToDouble(value));
                    break;
                case UTF8:
                    builder.setUtf8(c, slots.utf8[base + c], 0, (int) value);
                    break;
                default:
                    throw new IllegalStateException("unsupported column type=" + types[c] + " in " + schema);
            }
        }
        builder.endRow();
    }

    /** Frees the head slot for the producers' next lap and moves the head on; consumer only. */
    void advance() {
        final long position = head;
        final int index = (int) position & mask;
        batches[index] = null;
        skipped[index] = false;
        sequences.setRelease(index, (int) position + capacity);
        head = position + 1;
    }
}
