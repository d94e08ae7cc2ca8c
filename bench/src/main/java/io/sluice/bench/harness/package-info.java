/**
 * The compare-scheduling harness ({@code scripts/compare-scheduling}, the main job): runs the embedded default
 * workload (or the command line's) as one stage under each contender on real threads, prints the table and writes
 * the report folder (README, runs.csv, makespan and busy-per-worker plots).
 */
package io.sluice.bench.harness;
