/**
 * JMH benchmarks of batch jobs: text jobs against {@code parallelStream} (the baseline) and lineage recovery of lost
 * partitions against one worker.
 */
package io.sluice.bench.dataset;
