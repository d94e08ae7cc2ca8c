/**
 * The streaming benchmarks ({@code scripts/stream-bench}): sustainable throughput under a latency target, latency
 * percentiles at paced rates, and the straggler experiment, each against a plain-Java baseline where one exists.
 */
package io.sluice.bench.stream;
