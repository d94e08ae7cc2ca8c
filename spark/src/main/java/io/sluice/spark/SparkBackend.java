package io.sluice.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import io.sluice.engine.dataset.Dataset;

/**
 * Runs a Sluice {@link Dataset} pipeline on Apache Spark: the dataset's lineage (sources, filter, select/withColumn,
 * flatMap, repartition, groupBy-agg and global aggregates, distinct, joins, union, orderBy and limit, cache) becomes
 * Spark DataFrame operations with Sluice's semantics (nulls, integer wrapping, integer division by zero giving null,
 * IEEE 754 doubles, sort order of nulls). Translation happens before any Spark job runs and throws
 * {@link UnsupportedOperationException} naming the operator it cannot translate exactly, or
 * {@link IllegalArgumentException} naming a user function that is not serializable.
 *
 * <p>Works on its own child session of the given one ({@link SparkSession#newSession()}: same cluster, own SQL
 * settings) with ANSI mode off ({@code spark.sql.ansi.enabled=false}: Sluice's integer arithmetic wraps and integer
 * division by zero is null, where ANSI mode throws) and case-sensitive column names, as Sluice's are. Sources made of
 * in-memory rows are shipped from this JVM; batch files and generated partitions are made in the Spark tasks, so
 * executors need Sluice's JVM flags and, for files, a path they can read. Thread-safe as far as Spark is.
 */
public final class SparkBackend {
    private final SparkSession spark;

    private SparkBackend(final SparkSession spark) {
        this.spark = spark;
    }

    /** A backend on a child session of {@code session} with the settings Sluice's semantics need. */
    public static SparkBackend on(final SparkSession session) {
        final SparkSession child = session.newSession();
        child.conf().set("spark.sql.ansi.enabled", "false");
        child.conf().set("spark.sql.caseSensitive", "true");
        return new SparkBackend(child);
    }

    /** The session this backend runs on. */
    public SparkSession session() {
        return spark;
    }

    /** The Spark DataFrame computing {@code dataset}'s rows, with its column names and types; runs nothing yet. */
    public org.apache.spark.sql.Dataset<Row> toDataFrame(final Dataset dataset) {
        return PlanTranslator.translate(spark, dataset, false);
    }

    /**
     * Computes {@code dataset} on Spark and writes it as Parquet to {@code path} (a folder of part files, replaced if
     * present), with the dataset's column names and types; readable by Spark, DuckDB, pyarrow and others.
     */
    public void writeParquet(final Dataset dataset, final String path) {
        toDataFrame(dataset).write().mode(SaveMode.Overwrite).parquet(path);
    }

    /** Every row of {@code dataset} computed by Spark, boxed as {@link Dataset#collect()} boxes them. */
    public List<Object[]> run(final Dataset dataset) {
        final List<Object[]> rows = new ArrayList<>();
        for (final Row row : PlanTranslator.translate(spark, dataset, true).collectAsList()) {
            rows.add(SparkTypes.toSluice(row));
        }
        return rows;
    }
}
