package io.sluice.bench.stream;

import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Offers one row per call: {@code (received_ns INT64 = System.nanoTime() now, key INT32 = sequence mod KEYS)}.
 * The row goes through {@link QueueSource#offerRow}, the API a library user pushes single events with (it boxes
 * and copies the values, which is part of what is measured).
 */
public final class TimestampEmitter implements Emitter {
    /** Distinct keys. */
    public static final int KEYS = 1024;
    /** The rows' schema. */
    public static final Schema SCHEMA = Schema.of(Field.notNull("received_ns", ColumnType.INT64),
        Field.notNull("key", ColumnType.INT32));

    private final QueueSource source;

    public TimestampEmitter(final QueueSource source) {
        if (!source.schema().equals(SCHEMA)) {
            throw new IllegalArgumentException("source '" + source.name() + "' schema=" + source.schema() + ", expected "
                + SCHEMA);
        }
        this.source = source;
    }

    @Override
    public int unit() {
        return 1;
    }

    @Override
    public QueueSource.Offer emit(final long sequence) {
        return source.offerRow(System.nanoTime(), (int) (sequence % KEYS));
    }
}
