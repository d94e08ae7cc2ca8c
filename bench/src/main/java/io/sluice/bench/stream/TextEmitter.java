package io.sluice.bench.stream;

import io.sluice.engine.stream.source.QueueSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Offers text lines in blocks of {@link #unit()} rows: zero-copy slices of one off-heap batch holding a fixed pool
 * of lines, cycled (unit {@code s} is rows {@code [(s x unit) mod pool, + unit)}). The records are the same every
 * run, so a plain-Java baseline can do the same work on the same lines. {@link #close()} drops this emitter's
 * reference to the pool; slices still queued keep it alive until the stream releases them.
 */
public final class TextEmitter implements Emitter, AutoCloseable {
    /** The lines' schema. */
    public static final Schema SCHEMA = Schema.of(Field.notNull("line", ColumnType.UTF8));

    private final QueueSource source;
    private final Batch pool;
    private final int unit;
    private final int units;

    /** Cycles through {@code lines} (a multiple of {@code unit} of them) in blocks of {@code unit} rows. */
    public TextEmitter(final QueueSource source, final BufferAllocator allocator, final String[] lines, final int unit) {
        if (unit < 1 || lines.length == 0 || lines.length % unit != 0) {
            throw new IllegalArgumentException("lines=" + lines.length + " must be a positive multiple of unit=" + unit);
        }
        if (!source.schema().equals(SCHEMA)) {
            throw new IllegalArgumentException("source '" + source.name() + "' schema=" + source.schema() + ", expected "
                + SCHEMA);
        }
        this.source = source;
        this.unit = unit;
        this.units = lines.length / unit;
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, lines.length)) {
            builder.appendUtf8Column(0, lines);
            this.pool = builder.build();
        }
    }

    @Override
    public int unit() {
        return unit;
    }

    @Override
    public QueueSource.Offer emit(final long sequence) {
        final int from = (int) (sequence % units) * unit;
        final Batch block = pool.slice(from, from + unit);
        final QueueSource.Offer offer = source.offerBatch(block);
        if (offer != QueueSource.Offer.ACCEPTED) {
            block.release();
        }
        return offer;
    }

    @Override
    public void close() {
        pool.release();
    }
}
