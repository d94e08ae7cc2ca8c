package io.sluice.engine.stream.dstream;

import io.sluice.engine.dataset.Dataset;

/**
 * A batch-time-aware Dataset transformation for {@link DStream#transformWithTime}. It must only build lineage
 * (no actions): it is also called once at definition time, with batch time {@value #DEFINITION_TIME} and an empty
 * dataset, to learn the result's schema.
 */
@FunctionalInterface
public interface TimedTransform {
    /** The batch time passed when the transform is called at definition time to learn its schema. */
    long DEFINITION_TIME = -1L;

    Dataset apply(long batchTimeMillis, Dataset dataset);
}
