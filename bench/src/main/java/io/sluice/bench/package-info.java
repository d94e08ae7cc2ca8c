/**
 * The benchmark suite and what its parts share: {@code BenchSuite} / {@code BenchMain} ({@code scripts/bench}: the
 * JMH suite with a time plan and a report of ratios to each class's {@link io.sluice.bench.Baseline}), the JVM flags
 * of forked runs ({@code JvmFlags}), workloads with skew ({@code Workload}, {@code WorkloadGenerator},
 * {@code ZipfDistribution}, {@code Skew}) and task cost models (sleep or spin, {@code CostModel}). Nothing in the
 * project depends on bench; bench depends on everything it measures.
 */
package io.sluice.bench;
