package io.sluice.engine.stream.source;

import io.sluice.engine.stream.StreamClock;
import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;

/**
 * What a {@link Source} sees of its stream: the allocator for its blocks, the clock, the stream's rate limit and
 * memory budget, and the place to store blocks. A stored block belongs to the stream; a refused one stays the
 * caller's to release. Thread-safe.
 */
public interface SourceContext {
    /** The allocator blocks must come from. */
    BufferAllocator allocator();

    /** The context's clock. */
    StreamClock clock();

    /**
     * Records a pull source may store now: the minimum of the rate limiter's permits and the room left in the
     * stream's record and byte budget. Reading it takes the rate permits for whatever is then stored.
     */
    long recordAllowance();

    /**
     * Stores {@code block} if the stream's budget has room (an empty stream buffer always takes one block, so a
     * block larger than the whole budget cannot deadlock). Never blocks. Returns false, leaving the block with
     * the caller, if there is no room or the stream is stopping.
     */
    boolean tryStore(Batch block);

    /**
     * Stores {@code block}, first waiting for its records' rate permits and then for budget room: this is how
     * backpressure reaches a push source's thread (and so its peer, through TCP flow control). Returns false,
     * leaving the block with the caller, once the stream is stopping.
     */
    boolean store(Batch block);

    /**
     * Bytes the stream's memory budget has room for now: {@link BackpressureConfig#maxBufferedBytes()} less the
     * allocated bytes of the blocks it holds (buffered or in a micro-batch not yet released); negative when over. A
     * source that holds blocks of its own before storing them counts them against this, so they share the budget.
     */
    long budgetRoomBytes();

    /** Whether the stream is stopping: push sources end their loop. */
    boolean isStopping();

    /** Reports a receiver error (logged by the source) to the context's listeners. */
    void reportError(String what, Throwable error);

    /**
     * The source cannot go on (a push source's thread caught a throwable it cannot recover from, an {@link Error}
     * above all): fails the stream with {@code error} as the cause, as a failing job does.
     */
    void fail(Throwable error);
}
