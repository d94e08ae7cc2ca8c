/**
 * Runs a Sluice {@link io.sluice.engine.dataset.Dataset} pipeline on Apache Spark: {@link io.sluice.spark.SparkBackend}
 * translates the dataset's lineage into Spark DataFrame operations with Sluice's null and type semantics, and throws
 * {@link java.lang.UnsupportedOperationException} naming the operator for whatever it cannot translate exactly.
 */
package io.sluice.spark;
