/**
 * The same-run peer: the Nexmark queries on Apache Flink's DataStream API in a local in-JVM environment, fed by
 * the same generator through Flink's {@code DataGeneratorSource}.
 */
package io.sluice.nexmark.flink;
