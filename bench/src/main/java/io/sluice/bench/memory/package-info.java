/**
 * JMH benchmarks of off-heap column scans against {@code long[]} (the baseline) and the memory-bandwidth limit,
 * with bounds checks on (the default a user gets) and off.
 */
package io.sluice.bench.memory;
