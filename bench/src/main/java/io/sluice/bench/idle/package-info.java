/**
 * {@code scripts/idle-bench}: what each idle policy of the worker pool costs the application that links Sluice (its
 * throughput beside an idle pool, the pool's CPU while idle) and what it costs Sluice (wake-up latency of a stage
 * submitted to an idle pool, throughput of short back-to-back stages), quiet and under a background load, in one run.
 */
package io.sluice.bench.idle;
