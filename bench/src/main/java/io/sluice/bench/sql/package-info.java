/** Benchmarks of the SQL front end: planning time, SQL vs the same Dataset pipeline, and DuckDB as the single-node peer. */
package io.sluice.bench.sql;
