package io.sluice.engine.stream.source;

import java.nio.charset.StandardCharsets;

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
 * <p>Slots are claimed and published through a {@link SlotSequencer}; the consumer's head is a position.
 */
final class RowRing {
    private final Schema schema;
    private final ColumnType[] types;
    private final boolean anyNullable;
    private final boolean anyUtf8;
    private final int columns;
    private final SlotSequencer sequencer;
    private final Batch[] batches;
    /** Slots whose producer failed while filling them (an allocation failure): published empty, skipped by the consumer. */
    private final boolean[] skipped;
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
        this.sequencer = new SlotSequencer(requestedCapacity);
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
        this.batches = new Batch[sequencer.capacity()];
        this.skipped = new boolean[sequencer.capacity()];
    }

    int capacity() {
        return sequencer.capacity();
    }

    /** Claims the next slot: its position, or -1 if the ring is full. The caller must fill and publish it. */
    long claim() {
        return sequencer.claim();
    }

    /** Makes the claimed slot at {@code position} visible to the consumer. */
    void publish(final long position) {
        sequencer.publish(position);
    }

    /** Fills the claimed slot at {@code position} with {@code batch}. */
    void putBatch(final long position, final Batch batch) {
        batches[sequencer.index(position)] = batch;
    }

    /**
     * Publishes the claimed slot at {@code position} as empty: its producer failed while filling it, and a slot never
     * published would hold the consumer back for good.
     */
    void publishSkipped(final long position) {
        batches[sequencer.index(position)] = null;
        skipped[sequencer.index(position)] = true;
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
            rows = new RowSlots(sequencer.capacity(), columns, anyNullable, anyUtf8);
        }
        return rows;
    }

    /**
     * Fills the claimed slot at {@code position} with one row: {@code values} as long bits (a UTF8 value's length),
     * {@code nulls} per column (ignored when the schema has no nullable field), UTF8 bytes from {@code utf8}.
     */
    void putRow(final long position, final long[] values, final boolean[] nulls, final byte[][] utf8) {
        final RowSlots slots = rowSlots();
        final int base = sequencer.index(position) * columns;
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
        final int base = sequencer.index(position) * columns;
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
        return sequencer.published(head);
    }

    /** The published slot at the head was published empty ({@link #publishSkipped}); consumer only, after {@link #ready()}. */
    boolean headSkipped() {
        return skipped[sequencer.index(head)];
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
            final int index = sequencer.index(position);
            if (!sequencer.published(position) || batches[index] != null || skipped[index]) {
                break;
            }
            count++;
        }
        return count;
    }

    /** The published slot at the head holds a batch (null if it holds a row); consumer only, after {@link #ready()}. */
    Batch headBatch() {
        return batches[sequencer.index(head)];
    }

    /** Appends the row in the published slot at the head to {@code builder}, of this ring's schema; consumer only. */
    void appendHeadRow(final BatchBuilder builder) {
        final RowSlots slots = rows;
        final int base = sequencer.index(head) * columns;
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
        final int index = sequencer.index(position);
        batches[index] = null;
        skipped[index] = false;
        sequencer.free(position);
        head = position + 1;
    }
}
