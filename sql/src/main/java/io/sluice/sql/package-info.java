/**
 * SQL over Sluice datasets: Apache Calcite parses and validates a query and turns it into relational algebra;
 * {@link io.sluice.sql.SqlSession} translates that onto {@link io.sluice.engine.dataset.Dataset} operators, which
 * Sluice plans and runs. Calcite never executes anything. Over a registered
 * {@link io.sluice.engine.stream.dstream.DStream}, {@link io.sluice.sql.SqlSession#stream} runs projections and
 * filters per micro-batch and event-time window aggregates (TUMBLE, HOP, SESSION) as {@code withWatermark} +
 * {@code groupByWindow}.
 */
package io.sluice.sql;
