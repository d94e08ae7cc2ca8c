package io.sluice.bench.stream;

import io.sluice.engine.stream.source.QueueSource;
import io.sluice.engine.stream.source.RowWriter;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Offers one row per call: {@code (received_ns INT64 = System.nanoTime() now, key INT32 = sequence mod KEYS)}.
 * The row goes through a {@link RowWriter}, the single-event API that allocates nothing per row (typed setters
 * copied into the queue's slot); {@link #boxed} offers the same rows through {@link QueueSource#offerRow}, which
 * takes boxed values.
 */
public final class TimestampEmitter implements Emitter {
    /** Distinct keys. */
    public static final int KEYS = 1024;
    /** The rows' schema. */
    public static final Schema SCHEMA = Schema.of(Field.notNull("received_ns", ColumnType.INT64),
        Field.notNull("key", ColumnType.INT32));

    private final QueueSource source;
    private final RowWriter writer;

    /** Offers through a {@link RowWriter} made here; the emitter must then be called on one thread only. */
    public TimestampEmitter(final QueueSource source) {
        this(source, true);
    }

    private TimestampEmitter(final QueueSource source, final boolean typed) {
        if (!source.schema().equals(SCHEMA)) {
            throw new IllegalArgumentException("source '" + source.name() + "' schema=" + source.schema() + ", expected "
                + SCHEMA);
        }
        this.source = source;
        this.writer = typed ? source.rowWriter() : null;
    }

    /** Offers the same rows through {@link QueueSource#offerRow} (boxed values, a varargs array per row). */
    public static TimestampEmitter boxed(final QueueSource source) {
        return new TimestampEmitter(source, false);
    }

    @Override
    public int unit() {
        return 1;
    }

    @Override
    public QueueSource.Offer emit(final long sequence) {
        if (writer == null) {
            return source.offerRow(System.nanoTime(), (int) (sequence % KEYS));
        }
        return writer.setInt64(0, System.nanoTime()).setInt32(1, (int) (sequence % KEYS)).offer();
    }
}
