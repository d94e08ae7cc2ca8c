package io.sluice.engine.stream.source;

import java.time.Duration;
import java.util.Arrays;

import io.sluice.engine.stream.source.QueueSource.Offer;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Validation;

/**
 * Queues rows into a {@link QueueSource} from typed setters, allocating nothing per row: set every column (in any
 * order), then {@link #offer()} or {@link #put(Duration)}. The values are staged here and copied into the queue's
 * slot, whose arrays the queue made once. One writer per producer thread (from {@link QueueSource#rowWriter()}); a
 * writer is not thread-safe. A setter of the wrong type for its column is a programming error and throws; a value the
 * column cannot hold (null in a non-nullable column, bytes that are not UTF-8) or a column left unset makes the offer
 * {@link Offer#REJECTED}, counted and logged by the source as for {@link QueueSource#offerRow}.
 *
 * <p>The first such problem a setter finds stays with the row (setting the column again does not clear it) until the
 * offer rejects the row or {@link #clear()}. After {@link Offer#ACCEPTED} or {@link Offer#REJECTED} the writer starts
 * a new row; after {@link Offer#BACK_PRESSURED} or {@link Offer#CLOSED} it keeps the row, so the same offer can be
 * tried again.
 */
public final class RowWriter {
    private final QueueSource source;
    private final Schema schema;
    private final long[] values;
    private final boolean[] nulls;
    private final boolean[] set;
    private final byte[][] utf8;
    /** Why the staged row cannot be queued (the first problem found), or null. */
    private String problem;

    RowWriter(final QueueSource source) {
        this.source = source;
        this.schema = source.schema();
        final int columns = schema.fieldCount();
        this.values = new long[columns];
        this.nulls = new boolean[columns];
        this.set = new boolean[columns];
        this.utf8 = new byte[columns][];
    }

    /** The schema rows must fit: the source's. */
    public Schema schema() {
        return schema;
    }

    private Field field(final int column, final ColumnType expected, final ColumnType alsoAccepted) {
        if (column < 0 || column >= values.length) {
            throw new IndexOutOfBoundsException("column index=" + column + " out of range [0, " + values.length + ") of source '"
                + source.name() + "'");
        }
        final Field field = schema.field(column);
        if (field.type() != expected && field.type() != alsoAccepted) {
            throw new IllegalArgumentException("column '" + field.name() + "' of source '" + source.name() + "' has type="
                + field.type() + ", cannot set " + expected);
        }
        return field;
    }

    private RowWriter value(final int column, final long bits) {
        values[column] = bits;
        nulls[column] = false;
        set[column] = true;
        return this;
    }

    /** Sets an INT64 column. */
    public RowWriter setInt64(final int column, final long value) {
        field(column, ColumnType.INT64, ColumnType.INT64);
        return value(column, value);
    }

    /** Sets an INT32 column, or an INT64 one (widened, as {@link QueueSource#offerRow} takes an Integer there). */
    public RowWriter setInt32(final int column, final int value) {
        field(column, ColumnType.INT32, ColumnType.INT64);
        return value(column, value);
    }

    /** Sets a FLOAT64 column. */
    public RowWriter setFloat64(final int column, final double value) {
        field(column, ColumnType.FLOAT64, ColumnType.FLOAT64);
        return value(column, Double.doubleToRawLongBits(value));
    }

    /** Sets a BOOLEAN column. */
    public RowWriter setBoolean(final int column, final boolean value) {
        field(column, ColumnType.BOOLEAN, ColumnType.BOOLEAN);
        return value(column, value ? 1 : 0);
    }

    /**
     * Sets a UTF8 column to {@code utf8[offset, offset + length)}, copied here (the caller may reuse its array at once);
     * bytes that are not valid UTF-8 make the offer {@link Offer#REJECTED}.
     */
    public RowWriter setUtf8(final int column, final byte[] utf8Bytes, final int offset, final int length) {
        final Field field = field(column, ColumnType.UTF8, ColumnType.UTF8);
        if (offset < 0 || length < 0 || offset > utf8Bytes.length - length) {
            throw new IndexOutOfBoundsException("column '" + field.name() + "' offset=" + offset + " length=" + length
                + " outside bytes of length=" + utf8Bytes.length);
        }
        final int invalid = Utf8Validation.firstInvalid(utf8Bytes, offset, length);
        if (invalid >= 0 && problem == null) {
            problem = "column '" + field.name() + "' of type UTF8 cannot hold bytes that are not valid UTF-8 (at byte " + invalid + ")";
        }
        byte[] held = utf8[column];
        if (held == null || held.length < length) {
            held = new byte[Math.max(length, 16)];
            utf8[column] = held;
        }
        System.arraycopy(utf8Bytes, offset, held, 0, length);
        return value(column, length);
    }

    /** Sets a column null; a non-nullable column makes the offer {@link Offer#REJECTED}. */
    public RowWriter setNull(final int column) {
        if (column < 0 || column >= values.length) {
            throw new IndexOutOfBoundsException("column index=" + column + " out of range [0, " + values.length + ") of source '"
                + source.name() + "'");
        }
        final Field field = schema.field(column);
        if (!field.isNullable() && problem == null) {
            problem = "column '" + field.name() + "' is not nullable but the row has null";
        }
        nulls[column] = true;
        set[column] = true;
        return this;
    }

    /** Queues the row set so far. Never blocks. */
    public Offer offer() {
        return submit(null);
    }

    /** Like {@link #offer()}, waiting up to {@code timeout} while the queue is full. */
    public Offer put(final Duration timeout) {
        return submit(timeout);
    }

    /** Forgets the row set so far. */
    public void clear() {
        Arrays.fill(set, false);
        problem = null;
    }

    private Offer submit(final Duration timeout) {
        if (problem == null) {
            for (int c = 0; c < set.length; c++) {
                if (!set[c]) {
                    problem = "column '" + schema.field(c).name() + "' has no value in the row";
                    break;
                }
            }
        }
        if (problem != null) {
            source.reject(problem);
            clear();
            return Offer.REJECTED;
        }
        final Offer offer = source.offerStaged(this, timeout);
        if (offer == Offer.ACCEPTED) {
            clear();
        }
        return offer;
    }

    /** Copies the staged row into the ring's claimed slot at {@code position}. */
    void copyTo(final RowRing ring, final long position) {
        ring.putRow(position, values, nulls, utf8);
    }
}
