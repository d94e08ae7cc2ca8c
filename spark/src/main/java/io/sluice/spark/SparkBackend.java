package io.sluice.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.dstream.DStream;

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
        return new SparkBackend(configured(session.newSession()));
    }

    /** {@code child} with the settings Sluice's semantics need. */
    private static SparkSession configured(final SparkSession child) {
        child.conf().set("spark.sql.ansi.enabled", "false");
        child.conf().set("spark.sql.caseSensitive", "true");
        // Streams: judge a micro-batch's rows by the watermark that evicts state in it, as Sluice does (Spark's default
        // for chains of stateful operators judges them by the watermark one batch older, keeping rows Sluice drops).
        // The translation allows one stateful operator per query, which this setting requires.
        child.conf().set("spark.sql.streaming.statefulOperator.allowMultiple", "false");
        return child;
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

    /**
     * The Spark Structured Streaming DataFrame of {@code stream}'s rows, with its column names and types; starts
     * nothing. Translated: a {@link io.sluice.engine.stream.source.DirectorySource} input (Spark's file stream source:
     * text lines, or Sluice batch files decoded in the tasks; Spark takes files in modification-time order, Sluice in
     * name order, so name files in the order they are written), row-wise per-batch operators (filter,
     * select/withColumn, flatMap, transform of such), {@code withWatermark} and {@code groupByWindow} with tumbling or
     * hopping windows in append mode. A {@link io.sluice.engine.stream.source.GeneratorSource} input becomes a micro-batch
     * source of this module ({@link GeneratorStream}); keyed state ({@code updateStateByKey}, {@code mapWithState} and
     * {@code mapWithLongState} without timeout) becomes {@code flatMapGroupsWithState}, which matches Sluice's
     * batches only with {@code spark.sql.streaming.noDataMicroBatches.enabled=false} (as {@link #writeParquetStream}
     * sets). Anything else throws {@link UnsupportedOperationException} naming the operator, and a state function that
     * is not serializable {@link IllegalArgumentException} naming it.
     */
    public org.apache.spark.sql.Dataset<Row> toStreamingDataFrame(final DStream stream) {
        return StreamTranslator.translate(spark, stream).df();
    }

    /**
     * Starts a streaming query writing {@code stream}'s rows as Parquet to {@code outputDir} with Spark's file sink,
     * exactly once: {@code checkpointDir} records offsets, watermark and window state, and the sink's metadata log
     * lists only committed files, so a query stopped at any point and started again on the same checkpoint adds each
     * row once. Read the output with {@link #readParquet}. Translation (and any refusal) happens before it starts.
     * The query runs on its own child session: with keyed state it runs no micro-batch without new rows (Spark's
     * no-data batches would call the state functions once more than Sluice's batches do).
     */
    public StreamingQuery writeParquetStream(final DStream stream, final String outputDir, final String checkpointDir,
                                             final Trigger trigger) {
        final SparkSession session = configured(spark.newSession());
        final StreamTranslator.Streamed translated = StreamTranslator.translate(session, stream);
        if (translated.keyed()) {
            // Read when the query starts (Spark clones the session's settings for the query then).
            session.conf().set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
        }
        return translated.df().writeStream().format("parquet").outputMode("append")
            .option("checkpointLocation", checkpointDir).trigger(trigger).start(outputDir);
    }

    /** The rows of a Parquet folder written by Spark (a streaming sink's committed files only), boxed as Sluice's. */
    public List<Object[]> readParquet(final String path) {
        final List<Object[]> rows = new ArrayList<>();
        for (final Row row : spark.read().parquet(path).collectAsList()) {
            rows.add(SparkTypes.toSluice(row));
        }
        return rows;
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
