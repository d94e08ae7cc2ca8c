/**
 * JMH benchmarks of keyed state kept off-heap against {@code HashMap} (the baseline).
 */
package io.sluice.bench.state;
