package io.sluice.engine.stream;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.sluice.engine.dataset.DatasetBatches;
import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * A test pull source of any schema (by default one int64 column, {@link #SCHEMA}): the test queues blocks; each poll
 * stores them in order as far as the budget allows.
 */
public final class ScriptedSource implements Source {
    public static final Schema SCHEMA = Schema.of(Field.notNull("value", ColumnType.INT64));

    private final String name;
    private final Schema schema;
    private final ConcurrentLinkedQueue<Batch> pending = new ConcurrentLinkedQueue<>();

    /** A source of {@link #SCHEMA}. */
    public ScriptedSource(final String name) {
        this(name, SCHEMA);
    }

    public ScriptedSource(final String name, final Schema schema) {
        this.name = name;
        this.schema = schema;
    }

    public static Batch block(final BufferAllocator allocator, final long... values) {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, values.length)) {
            return builder.appendInt64Column(0, values).build();
        }
    }

    public void add(final Batch block) {
        pending.add(block);
    }

    /** Queues boxed {@code rows} as one block (nothing for an empty list), allocated from {@code input}'s allocator. */
    public void add(final StreamInput input, final List<Object[]> rows) {
        if (!rows.isEmpty()) {
            pending.add(DatasetBatches.fromRows(input.allocator(), schema, rows));
        }
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
    public void start(final SourceContext context) {
    }

    @Override
    public void poll(final SourceContext context, final long nowNanos) {
        for (Batch next = pending.peek(); next != null; next = pending.peek()) {
            if (!context.tryStore(next)) {
                return;
            }
            pending.poll();
        }
    }

    @Override
    public void stop() {
    }

    @Override
    public void close() {
        for (Batch next = pending.poll(); next != null; next = pending.poll()) {
            next.release();
        }
    }

    @Override
    public long rejectedRecords() {
        return 0;
    }

    @Override
    public long pendingRecords() {
        long rows = 0;
        for (final Batch batch : pending) {
            rows += batch.rowCount();
        }
        return rows;
    }
}
