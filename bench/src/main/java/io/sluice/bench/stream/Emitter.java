package io.sluice.bench.stream;

import io.sluice.engine.stream.source.QueueSource;

/**
 * What a {@link PacedProducer} pushes: {@link #unit()} records per call, the {@code sequence}-th unit of the run.
 * Called on the producer thread only.
 */
public interface Emitter {
    /** Records per {@link #emit} call (>= 1). */
    int unit();

    /** Offers the records of unit {@code sequence} to the source and returns what the source answered. */
    QueueSource.Offer emit(long sequence);
}
