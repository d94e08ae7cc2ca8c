package io.sluice.engine.stream;

import java.util.concurrent.ConcurrentLinkedQueue;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** A test pull source: the test queues blocks of int64 values; each poll stores what the budget allows. */
final class ScriptedSource implements Source {
    static final Schema SCHEMA = Schema.of(Field.notNull("value", ColumnType.INT64));

    private final String name;
    private final ConcurrentLinkedQueue<Batch> pending = new ConcurrentLinkedQueue<>();

    ScriptedSource(final String name) {
        this.name = name;
    }

    static Batch block(final BufferAllocator allocator, final long... values) {
        try (BatchBuilder builder = new BatchBuilder(allocator, SCHEMA, values.length)) {
            return builder.appendInt64Column(0, values).build();
        }
    }

    void add(final Batch block) {
        pending.add(block);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
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
