/**
 * SQL over Sluice datasets: Apache Calcite parses and validates a query and turns it into relational algebra;
 * {@link io.sluice.sql.SqlSession} translates that onto {@link io.sluice.engine.dataset.Dataset} operators, which
 * Sluice plans and runs. Calcite never executes anything.
 */
package io.sluice.sql;
