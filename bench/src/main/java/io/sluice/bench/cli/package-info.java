/**
 * The command line of {@code scripts/compare-scheduling}: picocli options with their defaults (the embedded default
 * workload), validation with exit code 2 on bad input, and the names of the contenders.
 */
package io.sluice.bench.cli;
