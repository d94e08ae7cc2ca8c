package io.sluice.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongBinaryOperator;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.stream.dstream.DStream;
import io.sluice.engine.stream.dstream.DStreamVisitor;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.source.DirectorySource;
import io.sluice.engine.stream.source.GeneratorSource;
import io.sluice.engine.stream.source.Source;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Translates a DStream graph into a Spark Structured Streaming DataFrame with the same rows: a folder source
 * ({@link DirectorySource}) becomes Spark's file stream source, per-batch row-wise operators become the same DataFrame
 * operators, {@code withWatermark} becomes Spark's watermark (on a hidden timestamp copy of the INT64 epoch-millis
 * column, carried through later projections) and {@code groupByWindow} with a tumbling or hopping window in append
 * mode becomes a {@code groupBy(window(...))} aggregate. Both engines judge a micro-batch's rows by the watermark
 * of the batches before it (max event time seen minus the lateness) and emit a window once the watermark passes its
 * end, so over the same micro-batches (one per file: {@code maxFilesPerBatch}) they emit the same windows. Anything
 * else throws {@link UnsupportedOperationException} naming the operator, before any query starts.
 */
final class StreamTranslator implements DStreamVisitor<StreamTranslator.Streamed> {
    /** The hidden TIMESTAMP column Spark's watermark and window work on. */
    static final String EVENT_TIME = "__sluice_event_time";
    private static final String WINDOW = "__sluice_window";

    private final SparkSession spark;

    /**
     * A translated stream: its DataFrame, whether it carries {@link #EVENT_TIME}, whether it went through a stateful
     * operator (window aggregate or keyed state), whether through keyed state.
     */
    record Streamed(org.apache.spark.sql.Dataset<Row> df, boolean watermarked, boolean aggregated, boolean keyed) {
        /** The DataFrame with the stream's own columns only. */
        org.apache.spark.sql.Dataset<Row> visible() {
            return watermarked ? df.drop(EVENT_TIME) : df;
        }
    }

    StreamTranslator(final SparkSession spark) {
        this.spark = spark;
    }

    static Streamed translate(final SparkSession spark, final DStream stream) {
        final Streamed s = stream.accept(new StreamTranslator(spark));
        return new Streamed(s.visible(), false, s.aggregated(), s.keyed());
    }

    @Override
    public Streamed input(final Source source, final long batchIntervalMillis) {
        if (source instanceof GeneratorSource) {
            return new Streamed(GeneratorStream.read(spark, (GeneratorSource) source, batchIntervalMillis), false, false, false);
        }
        return input(source);
    }

    @Override
    public Streamed input(final Source source) {
        if (!(source instanceof DirectorySource)) {
            throw new UnsupportedOperationException("stream source '" + source.name() + "' (" + source.getClass().getSimpleName()
                + ") has no Spark Structured Streaming translation: only a DirectorySource (Spark's file stream source) and a"
                + " GeneratorSource (a micro-batch source of this module) have one");
        }
        final DirectorySource dir = (DirectorySource) source;
        if (dir.globPattern() != null) {
            throw new UnsupportedOperationException("stream source '" + source.name() + "' has glob '" + dir.globPattern()
                + "', which has no exact Spark translation (Hadoop globs differ from java.nio's)");
        }
        DataStreamReader reader = spark.readStream();
        if (dir.maxFilesPerBatch() != Integer.MAX_VALUE) {
            reader = reader.option("maxFilesPerTrigger", dir.maxFilesPerBatch());
        }
        final String folder = dir.folder().toAbsolutePath().toString();
        if (dir.textLines()) {
            return new Streamed(reader.text(folder).select(functions.col("value").as("line")), false, false, false);
        }
        // Sluice batch files: Spark lists and tracks the files (binaryFile), Sluice's reader decodes each in the task.
        final StructType files = DataTypes.createStructType(List.of(
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("modificationTime", DataTypes.TimestampType, false),
            DataTypes.createStructField("length", DataTypes.LongType, false),
            DataTypes.createStructField("content", DataTypes.BinaryType, true)));
        final org.apache.spark.sql.Dataset<Row> paths = reader.format("binaryFile").schema(files).load(folder).select("path");
        final StructType rows = SparkTypes.of(source.schema());
        return new Streamed(paths.flatMap(new BatchFileRows(new SchemaSpec(source.schema())), Encoders.row(rows)), false, false, false);
    }

    @Override
    public Streamed transformed(final DStream parent, final String name, final Dataset in, final Dataset out) {
        RowWiseCheck.check(out, in, name + " over " + parent);
        final Streamed p = parent.accept(this);
        final List<String> carry = p.watermarked() ? List.of(EVENT_TIME) : List.of();
        return new Streamed(PlanTranslator.translateOver(spark, out, in, p.df(), carry), p.watermarked(), p.aggregated(), p.keyed());
    }

    @Override
    public Streamed watermark(final DStream parent, final String column, final long allowedLatenessMillis) {
        final Streamed p = parent.accept(this);
        if (p.watermarked() || p.aggregated()) {
            throw new UnsupportedOperationException("stream operator withWatermark(" + column + ") over " + parent
                + " has no Spark Structured Streaming translation: only one watermark, before any window aggregate");
        }
        final org.apache.spark.sql.Dataset<Row> df = p.df()
            .withColumn(EVENT_TIME, functions.timestamp_millis(functions.col(SparkTypes.quote(column))))
            .withWatermark(EVENT_TIME, allowedLatenessMillis + " milliseconds");
        return new Streamed(df, true, false, false);
    }

    @Override
    public Streamed windowAggregate(final DStream parent, final EventTimeWindow window, final List<String> keys,
                                    final List<Agg> aggs, final OutputMode mode) {
        final String what = "stream operator groupByWindow(" + window + ", " + keys + ").agg(" + aggs + ") in " + mode + " mode";
        if (window.isSession()) {
            throw new UnsupportedOperationException(what + " has no Spark Structured Streaming translation yet: session windows");
        }
        if (mode != OutputMode.APPEND) {
            throw new UnsupportedOperationException(what + " has no Spark Structured Streaming translation: Spark's file sink"
                + " (exactly-once) takes append mode only");
        }
        final Streamed p = parent.accept(this);
        if (!p.watermarked() || p.aggregated()) {
            throw new UnsupportedOperationException(what + " has no Spark Structured Streaming translation: it needs exactly one"
                + " watermark upstream and no window aggregate before it");
        }
        final Schema in = parent.schema();
        final List<Column> groups = new ArrayList<>();
        groups.add(functions.window(functions.col(EVENT_TIME), window.sizeMillis() + " milliseconds",
            window.slideMillis() + " milliseconds").as(WINDOW));
        for (final String k : keys) {
            groups.add(functions.col(SparkTypes.quote(k)));
        }
        final List<Column> values = new ArrayList<>();
        for (final Agg agg : aggs) {
            values.add(PlanTranslator.aggregate(in, agg).as(agg.name()));
        }
        final org.apache.spark.sql.Dataset<Row> grouped = p.df().groupBy(groups.toArray(new Column[0]))
            .agg(values.get(0), values.subList(1, values.size()).toArray(new Column[0]));
        final List<Column> out = new ArrayList<>();
        out.add(functions.unix_millis(functions.col(WINDOW + ".start")).as("window_start"));
        out.add(functions.unix_millis(functions.col(WINDOW + ".end")).as("window_end"));
        for (final String k : keys) {
            out.add(functions.col(SparkTypes.quote(k)));
        }
        for (final Agg agg : aggs) {
            out.add(functions.col(SparkTypes.quote(agg.name())));
        }
        return new Streamed(grouped.select(out.toArray(new Column[0])), false, true, false);
    }

    /** The stream keyed state reads: its parent, after the one stateful operator a query may have, without hidden columns. */
    private org.apache.spark.sql.Dataset<Row> keyedInput(final DStream node, final DStream parent) {
        final Streamed p = parent.accept(this);
        if (p.aggregated()) {
            throw new UnsupportedOperationException("stream operator " + node + " has no Spark Structured Streaming translation:"
                + " it follows a window aggregate or keyed state, and a query has one stateful operator");
        }
        return p.visible();
    }

    private static int[] indexes(final Schema schema, final List<String> columns) {
        final int[] out = new int[columns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = schema.indexOf(columns.get(i));
        }
        return out;
    }

    /** The columns of {@code schema} not in {@code keys}, in schema order (the value columns Sluice passes). */
    private static int[] valueIndexes(final Schema schema, final List<String> keys) {
        final List<Integer> out = new ArrayList<>();
        for (int c = 0; c < schema.fieldCount(); c++) {
            if (!keys.contains(schema.field(c).name())) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Schema keySchema(final Schema schema, final List<String> keys) {
        final List<Field> fields = new ArrayList<>();
        for (final String k : keys) {
            fields.add(schema.field(k));
        }
        return new Schema(fields);
    }

    @Override
    public Streamed updateStateByKey(final DStream node, final DStream parent, final List<String> keyColumns,
                                     final Schema stateSchema, final StateUpdateFunction function) {
        PlanTranslator.requireSerializable(function, "the StateUpdateFunction of " + node, "(StateUpdateFunction & Serializable)"
            + " (key, values, previous) -> ...");
        final org.apache.spark.sql.Dataset<Row> in = keyedInput(node, parent);
        final Schema schema = parent.schema();
        final KeyedStateFunctions.UpdateByKey fn = new KeyedStateFunctions.UpdateByKey(function, new SchemaSpec(stateSchema),
            valueIndexes(schema, keyColumns), node.toString());
        final Schema keys = keySchema(schema, keyColumns);
        final org.apache.spark.sql.Dataset<Row> out = in
            .groupByKey(new KeyedStateFunctions.KeyOf(indexes(schema, keyColumns)), Encoders.row(SparkTypes.of(keys)))
            .flatMapGroupsWithState(fn, org.apache.spark.sql.streaming.OutputMode.Append(), Encoders.row(SparkTypes.of(stateSchema)),
                Encoders.row(SparkTypes.of(node.schema())), GroupStateTimeout.ProcessingTimeTimeout());
        return new Streamed(out, false, true, true);
    }

    @Override
    public Streamed mapWithState(final DStream node, final DStream parent, final List<String> keyColumns, final StateSpec spec) {
        if (spec.timeoutMillis() != StateSpec.NO_TIMEOUT) {
            throw new UnsupportedOperationException("stream operator " + node + " with a timeout of " + spec.timeoutMillis()
                + " ms has no exact Spark Structured Streaming translation: Sluice times keys out on batch time, Spark on"
                + " the wall clock of its micro-batches");
        }
        PlanTranslator.requireSerializable(spec.function(), "the StateMappingFunction of " + node,
            "(StateMappingFunction & Serializable) (key, value, state) -> ...");
        final org.apache.spark.sql.Dataset<Row> in = keyedInput(node, parent);
        final Schema schema = parent.schema();
        final KeyedStateFunctions.MapByKey fn = new KeyedStateFunctions.MapByKey(spec.function(), new SchemaSpec(spec.stateSchema()),
            new SchemaSpec(spec.mappedSchema()), valueIndexes(schema, keyColumns), node.toString());
        final org.apache.spark.sql.Dataset<Row> out = in
            .groupByKey(new KeyedStateFunctions.KeyOf(indexes(schema, keyColumns)),
                Encoders.row(SparkTypes.of(keySchema(schema, keyColumns))))
            .flatMapGroupsWithState(fn, org.apache.spark.sql.streaming.OutputMode.Append(),
                Encoders.row(SparkTypes.of(spec.stateSchema())), Encoders.row(SparkTypes.of(spec.mappedSchema())),
                GroupStateTimeout.NoTimeout());
        return new Streamed(out, false, true, true);
    }

    @Override
    public Streamed mapWithLongState(final DStream node, final DStream parent, final String keyColumn, final String valueColumn,
                                     final long zero, final LongBinaryOperator fold, final long timeoutMillis) {
        if (timeoutMillis != 0) {
            throw new UnsupportedOperationException("stream operator " + node + " with a timeout of " + timeoutMillis
                + " ms has no exact Spark Structured Streaming translation: Sluice times keys out on batch time, Spark on"
                + " the wall clock of its micro-batches");
        }
        PlanTranslator.requireSerializable(fold, "the fold (LongBinaryOperator) of " + node,
            "(LongBinaryOperator & Serializable) (state, value) -> ...");
        final org.apache.spark.sql.Dataset<Row> in = keyedInput(node, parent);
        final Schema schema = parent.schema();
        final KeyedStateFunctions.LongFold fn = new KeyedStateFunctions.LongFold(fold, zero, schema.indexOf(valueColumn),
            node.toString());
        final org.apache.spark.sql.Dataset<Row> out = in
            .groupByKey(new KeyedStateFunctions.KeyOf(new int[] {schema.indexOf(keyColumn)}),
                Encoders.row(SparkTypes.of(keySchema(schema, List.of(keyColumn)))))
            .flatMapGroupsWithState(fn, org.apache.spark.sql.streaming.OutputMode.Append(), Encoders.LONG(),
                Encoders.row(SparkTypes.of(node.schema())), GroupStateTimeout.NoTimeout());
        return new Streamed(out, false, true, true);
    }

    @Override
    public Streamed unsupported(final DStream node) {
        throw new UnsupportedOperationException("stream operator " + node + " has no Spark Structured Streaming translation"
            + " (translated: a DirectorySource or GeneratorSource input, filter, select/withColumn, flatMap, transform with"
            + " row-wise lineage, withWatermark, groupByWindow with tumbling or hopping windows in append mode,"
            + " updateStateByKey, mapWithState and mapWithLongState without timeout)");
    }
}
