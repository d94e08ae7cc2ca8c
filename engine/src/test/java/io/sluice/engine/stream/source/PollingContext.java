package io.sluice.engine.stream.source;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamClock;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;

/**
 * A {@link SourceContext} for polling a pull source by hand: unlimited allowance and budget; a stored block is kept
 * (when {@code keep}) or handed to {@link #lastRows} and released at once, so a loop of polls holds one block at most.
 */
final class PollingContext implements SourceContext {
    private final BufferAllocator allocator;
    private final ManualStreamClock clock = new ManualStreamClock(0);
    private final boolean keep;
    private final List<Batch> kept = new ArrayList<>();
    private long storedRows;
    private long lastSum;

    PollingContext(final BufferAllocator allocator, final boolean keep) {
        this.allocator = allocator;
        this.keep = keep;
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
    public long recordAllowance() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean tryStore(final Batch block) {
        storedRows += block.rowCount();
        if (keep) {
            kept.add(block);
        } else {
            lastSum = block.schema().field(0).type() == ColumnType.INT64 ? block.int64Vector(0).sum() : 0;
            block.release();
        }
        return true;
    }

    @Override
    public boolean store(final Batch block) {
        return tryStore(block);
    }

    @Override
    public long budgetRoomBytes() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean isStopping() {
        return false;
    }

    @Override
    public void reportError(final String what, final Throwable error) {
        throw new AssertionError(what, error);
    }

    @Override
    public void fail(final Throwable error) {
        throw new AssertionError(error);
    }

    /** Rows stored so far. */
    long storedRows() {
        return storedRows;
    }

    /** The sum of column 0 (INT64) of the last block released at once. */
    long lastSum() {
        return lastSum;
    }

    /** The blocks kept, in store order (the caller releases them). */
    List<Batch> kept() {
        return kept;
    }
}
