package io.sluice.engine.stream.source;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.memory.Schema;

/**
 * Where one input stream's records come from. A source hands received records, as off-heap {@link io.sluice.memory.Batch}
 * blocks of {@link #schema()}, to its {@link SourceContext}; the job generator cuts those blocks into one
 * micro-batch per interval.
 *
 * <p>Two styles, both through the same context: a <em>push</em> source (TCP) starts its own receiving thread in
 * {@link #start} and blocks in {@link SourceContext#store} when the stream's memory budget is full; a <em>pull</em>
 * source (generator, in-process queue, directory) moves data in {@link #poll}, which the job generator calls right
 * before every cut, within {@link SourceContext#recordAllowance()}: such sources need no thread and follow a
 * {@link ManualStreamClock} exactly. Every source counts the records it rejects and logs why, naming itself.
 */
public interface Source extends AutoCloseable {
    /** A name unique within the context, used in logs, metrics and the write-ahead log. */
    String name();

    /** The schema of every block this source stores. */
    Schema schema();

    /** Called once when the context starts; a push source starts its receiving thread here. */
    void start(SourceContext context);

    /**
     * Called by the job generator right before each cut at {@code nowNanos} (on its thread, or with
     * {@link io.sluice.engine.stream.HandOff#CUT_ON_JOB_THREAD} on the job executor's: never two at once, and each
     * call sees what the previous one did): a pull source stores what it has, within
     * {@link SourceContext#recordAllowance()}. Push sources keep the default, which does nothing.
     */
    default void poll(final SourceContext context, final long nowNanos) {
    }

    /**
     * Stops receiving: ends any thread this source started and refuses new input. A pull source may still be
     * polled once more afterwards (a graceful stop's last batch). Idempotent.
     */
    void stop();

    /** Releases whatever the source still holds (after {@link #stop()} and the last poll). Idempotent. */
    @Override
    default void close() {
    }

    /** Records rejected so far (bad input: malformed, over-long, wrong type or schema). */
    long rejectedRecords();

    /** Records waiting at the source itself, not yet stored (part of the stream's lag); 0 if unknown. */
    default long pendingRecords() {
        return 0;
    }
}
