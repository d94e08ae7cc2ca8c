package io.sluice.engine.stream.dstream;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import java.util.function.LongPredicate;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;
import io.sluice.engine.dataset.JoinType;
import io.sluice.engine.stream.MicroBatch;
import io.sluice.engine.stream.eventtime.EventTimeWindow;
import io.sluice.engine.stream.eventtime.OutputMode;
import io.sluice.engine.stream.state.LongColumnsFold;
import io.sluice.engine.stream.state.LongColumnsSpec;
import io.sluice.engine.stream.state.MapWithState;
import io.sluice.engine.stream.state.State;
import io.sluice.engine.stream.state.StateSpec;
import io.sluice.engine.stream.state.StateUpdateFunction;
import io.sluice.engine.stream.state.UpdateStateByKey;
import io.sluice.memory.Schema;

/**
 * A discretized stream: an immutable lineage node that yields one {@link Dataset} per batch time (or none, for a
 * window between two slides). Transformations return new streams and run nothing; output operations
 * ({@link #foreachBatch}, {@link #collectToMemory}, {@link #print}, {@link #writeBatchFiles}, {@link #writeArrowFiles})
 * register work that the {@link DStreamGraph} runs on every batch time, in registration order. Per-batch transformations are the Dataset
 * operators, applied to each batch time's dataset; their functions are also applied once at definition time to an
 * empty dataset to learn the schema, so they must build lineage only (no actions).
 *
 * <p><b>Extension point</b> (package-private, for stateful operators such as {@code updateStateByKey}): a subclass
 * passes its graph, schema and slide to the constructor and implements {@link #compute(long)}; it reads parents
 * with {@link #at(long)} and uses the graph's hooks ({@code releaseAfterBatch}, {@code onStop},
 * {@code registerCheckpointed}, {@code borrow}, {@code currentBatch}).
 *
 * <p><b>Delivery</b>: after a restart the write-ahead log replays unfinished batch times ({@link MicroBatch#replayed()}),
 * so {@link #foreachBatch} and {@link #collectToMemory} are at-least-once: a replayed batch time runs again.
 * {@link #writeBatchFiles} and {@link #writeArrowFiles} are exactly-once: they commit one folder per batch time and skip
 * a committed one.
 */
public abstract class DStream {
    /** The one-value key column that makes a reduce over a whole window a keyed reduce. */
    private static final String WINDOW_KEY = "__window";

    private final DStreamGraph graph;
    private final Schema schema;
    private final long slideMillis;

    DStream(final DStreamGraph graph, final Schema schema, final long slideMillis) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.slideMillis = slideMillis;
    }

    /**
     * The dataset of batch time {@code batchTime}, or null when this stream has none then (a window between
     * slides). Called by the graph at most once per batch time, on every batch time at which an output depends on
     * this stream, in batch-time order; batches it makes for this batch time only go to
     * {@link DStreamGraph#releaseAfterBatch}.
     */
    abstract Dataset compute(long batchTime);

    /** The (memoized) dataset of this stream at {@code batchTime}; null if none. */
    final Dataset at(final long batchTime) {
        return graph.datasetAt(this, batchTime);
    }

    final DStreamGraph graph() {
        return graph;
    }

    /** How often this stream yields a dataset: the batch interval, or a window's slide. */
    final long slideMillis() {
        return slideMillis;
    }

    public Schema schema() {
        return schema;
    }

    /** Calls the {@link DStreamVisitor} method describing this node (read-only; for translating backends). */
    public <R> R accept(final DStreamVisitor<R> visitor) {
        return visitor.unsupported(this);
    }

    // ---- per-batch transformations ---------------------------------------------------------------------------

    /** Applies {@code fn} to each batch time's dataset (lineage only: it also runs once on an empty dataset). */
    public DStream transform(final Function<Dataset, Dataset> fn) {
        Objects.requireNonNull(fn, "fn");
        return new TransformedDStream(this, "transform", (t, d) -> fn.apply(d));
    }

    /** Like {@link #transform} with the batch time ({@link TimedTransform#DEFINITION_TIME} at definition). */
    public DStream transformWithTime(final TimedTransform fn) {
        return new TransformedDStream(this, "transformWithTime", Objects.requireNonNull(fn, "fn"));
    }

    /** The named columns. */
    public DStream select(final String... columns) {
        return new TransformedDStream(this, "select", (t, d) -> d.select(columns));
    }

    /** One column per expression ({@link Dataset#select(Expr...)}). */
    public DStream select(final Expr... exprs) {
        return new TransformedDStream(this, "select", (t, d) -> d.select(exprs));
    }

    /** Same as {@link #select(Expr...)}: a row-wise map expressed as column expressions. */
    public DStream map(final Expr... exprs) {
        return select(exprs);
    }

    public DStream withColumn(final String name, final Expr expr) {
        return new TransformedDStream(this, "withColumn", (t, d) -> d.withColumn(name, expr));
    }

    public DStream filter(final Expr predicate) {
        return new TransformedDStream(this, "filter", (t, d) -> d.filter(predicate));
    }

    /** {@link Dataset#flatMap}: one row per token of {@code split} in column {@code as}, plus the {@code keep} columns. */
    public DStream flatMap(final Expr split, final String as, final String... keep) {
        return new TransformedDStream(this, "flatMap", (t, d) -> d.flatMap(split, as, keep));
    }

    /** Per batch: one row per distinct key, the keys then each aggregate ({@link Dataset#groupBy}/agg). */
    public DStream reduceByKey(final List<String> keys, final Agg... aggs) {
        final String[] k = keys.toArray(new String[0]);
        return new TransformedDStream(this, "reduceByKey", (t, d) -> d.groupBy(k).agg(aggs));
    }

    /**
     * Per batch: one row per key with at least one non-null value, the keys then the INT64 column
     * {@code reducer.name()} (see {@link Reducer} for how the function is applied to columnar data).
     */
    public DStream reduceByKey(final List<String> keys, final Reducer reducer) {
        return new KeyedReduceDStream(this, keys, reducer);
    }

    /** Per batch: rows per distinct key, as the INT64 column "count". */
    public DStream countByKey(final String... keys) {
        return new TransformedDStream(this, "countByKey", (t, d) -> d.groupBy(keys).agg(Agg.count()));
    }

    /**
     * Per batch: exactly one row, the INT64 column "count" of the batch's rows (0 for an empty batch), as Spark's
     * {@code DStream.count()}; none between a window's slides.
     */
    public DStream count() {
        return new TransformedDStream(this, "count", (t, d) -> d.agg(Agg.count()));
    }

    /** Per batch: a hash join with a static dataset (kept by the caller for the life of the stream). */
    public DStream join(final Dataset right, final List<String> leftKeys, final List<String> rightKeys, final JoinType type) {
        Objects.requireNonNull(right, "right");
        return new TransformedDStream(this, "join", (t, d) -> d.join(right, leftKeys, rightKeys, type));
    }

    /** Per batch: a hash join with another stream's dataset of the same batch time. */
    public DStream join(final DStream right, final List<String> leftKeys, final List<String> rightKeys, final JoinType type) {
        return new CombinedDStream(this, right, "join", (l, r) -> l.join(r, leftKeys, rightKeys, type));
    }

    /** Per batch: both streams' rows (same schema). */
    public DStream union(final DStream other) {
        return new CombinedDStream(this, other, "union", Dataset::union);
    }

    // ---- windows ---------------------------------------------------------------------------------------------

    /**
     * At every batch time that is a multiple of {@code slide}, the rows of this stream's batch times in
     * {@code (t - length, t]}; none between slides. Keeps each batch time's result in memory while it is in the
     * window. Length and slide must be positive multiples of this stream's slide (the batch interval).
     */
    public DStream window(final Duration length, final Duration slide) {
        return new WindowedDStream(this, checkMultiple("window length", length), checkMultiple("window slide", slide));
    }

    /** {@code window(length, slide).reduceByKey(keys, reducer)}: recomputes the whole window at every slide. */
    public DStream reduceByKeyAndWindow(final List<String> keys, final Reducer reducer, final Duration length,
                                        final Duration slide) {
        return window(length, slide).reduceByKey(keys, reducer);
    }

    /**
     * The same result as {@link #reduceByKeyAndWindow(List, Reducer, Duration, Duration)}, computed incrementally:
     * the window's aggregate per key is kept; at each slide the batches entering are added with the reducer and
     * those leaving are removed with {@code inverse}, and a key whose count of values in the window reaches 0 is
     * dropped. Needs {@code inverse(reduce(a, b), b) == a} for all a, b.
     */
    public DStream reduceByKeyAndWindow(final List<String> keys, final Reducer reducer, final LongBinaryOperator inverse,
                                        final Duration length, final Duration slide) {
        return reduceByKeyAndWindow(keys, reducer, inverse, length, slide, v -> true);
    }

    /**
     * As {@link #reduceByKeyAndWindow(List, Reducer, LongBinaryOperator, Duration, Duration)}, emitting only the
     * keys whose window value passes {@code keep} (the kept state is unaffected).
     */
    public DStream reduceByKeyAndWindow(final List<String> keys, final Reducer reducer, final LongBinaryOperator inverse,
                                        final Duration length, final Duration slide, final LongPredicate keep) {
        return new IncrementalWindowDStream(this, keys, reducer, Objects.requireNonNull(inverse, "inverse"),
            checkMultiple("window length", length), checkMultiple("window slide", slide), Objects.requireNonNull(keep, "keep"));
    }

    /**
     * At every slide, exactly one row: the INT64 column "count" of the rows in the window (0 for an empty window),
     * as Spark's {@code countByWindow}. Incremental: keeps one count per batch time, not the window's rows.
     */
    public DStream countByWindow(final Duration length, final Duration slide) {
        return count().reduceByWindow(Reducer.sum(Agg.count().name()).as(Agg.count().name()), (a, b) -> a - b, length, slide);
    }

    /**
     * At every slide, one row per distinct row of this stream (all columns are the key) in the window, with its
     * number of occurrences as the INT64 column "count", as Spark's {@code countByValueAndWindow}: a value whose
     * occurrences all left the window has no row, under either {@link WindowSemantics}. Incremental.
     */
    public DStream countByValueAndWindow(final Duration length, final Duration slide) {
        final List<String> columns = new ArrayList<>();
        for (int i = 0; i < schema.fieldCount(); i++) {
            columns.add(schema.field(i).name());
        }
        return reduceByKeyAndWindow(columns, Reducer.count(), (a, b) -> a - b, length, slide, v -> v != 0);
    }

    /**
     * At every slide, the reduce of the whole window as one row of the INT64 column {@code reducer.name()}, as Spark's
     * {@code reduceByWindow}; no row when the window holds no non-null value. Recomputes the window at every slide.
     */
    public DStream reduceByWindow(final Reducer reducer, final Duration length, final Duration slide) {
        return window(length, slide).withColumn(WINDOW_KEY, Expr.lit(0)).reduceByKey(List.of(WINDOW_KEY), reducer)
            .select(reducer.name());
    }

    /**
     * {@link #reduceByWindow(Reducer, Duration, Duration)} computed incrementally with {@code inverse} (see
     * {@link #reduceByKeyAndWindow(List, Reducer, LongBinaryOperator, Duration, Duration)}). When every value left the
     * window there is no row under {@link WindowSemantics#SLUICE}, and the inverse-reduced value (0 for sums) under
     * {@link WindowSemantics#SPARK}, as in Spark.
     */
    public DStream reduceByWindow(final Reducer reducer, final LongBinaryOperator inverse, final Duration length,
                                  final Duration slide) {
        return withColumn(WINDOW_KEY, Expr.lit(0)).reduceByKeyAndWindow(List.of(WINDOW_KEY), reducer, inverse, length, slide)
            .select(reducer.name());
    }

    private long checkMultiple(final String what, final Duration value) {
        Objects.requireNonNull(value, what);
        final long millis = value.toMillis();
        if (value.isNegative() || value.isZero() || value.toNanos() % 1_000_000L != 0 || millis % slideMillis != 0) {
            throw new IllegalArgumentException(what + "=" + value.toMillis() + "ms (" + value + ") must be a positive multiple of "
                + "the stream's slide=" + slideMillis + "ms (batch interval=" + graph.batchIntervalMillis() + "ms)");
        }
        return millis;
    }

    // ---- event time ----------------------------------------------------------------------------------------------

    /**
     * This stream with an event-time watermark over the INT64 epoch-millis column {@code column}: after each batch
     * time the watermark is the largest event time seen so far minus {@code allowedLateness}, never moving
     * backwards ({@link io.sluice.engine.stream.BatchInfo#watermarkMillis()}). Event-time operators downstream ({@link #groupByWindow},
     * {@link #joinWithinTime}) drop rows older than it as late and evict state it passed. Checkpointed as
     * {@code "watermark-<n>"}.
     */
    public WatermarkedDStream withWatermark(final String column, final Duration allowedLateness) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        if (allowedLateness.isNegative() || allowedLateness.toNanos() % 1_000_000L != 0) {
            throw new IllegalArgumentException("withWatermark: allowedLateness=" + allowedLateness
                + " must be a whole number of milliseconds >= 0");
        }
        return new WatermarkedDStream(this, column, allowedLateness.toMillis());
    }

    /**
     * Groups by event-time {@code window} (see {@link EventTimeWindow#tumbling}, {@link EventTimeWindow#hopping},
     * {@link EventTimeWindow#session}) and {@code keys} (INT32, INT64 or UTF8 columns; none: one group per window);
     * {@code agg(...)} then yields rows window_start, window_end, keys, aggregates. The window's column must be the
     * column of this stream's watermark ({@link #withWatermark}); without one the state could never be evicted, so
     * this throws {@link IllegalStateException}.
     */
    public WindowedGroupedStream groupByWindow(final EventTimeWindow window, final String... keys) {
        Objects.requireNonNull(window, "window");
        final WatermarkedDStream watermark = watermarkSource();
        if (watermark == null) {
            throw new IllegalStateException(graph.peekOperatorName("groupByWindow") + " (" + window + ") over " + this
                + " has no watermark, so its window state could never be evicted; call withWatermark(column, "
                + "allowedLateness) upstream");
        }
        if (!window.column().equals(watermark.column())) {
            throw new IllegalArgumentException("groupByWindow: window column '" + window.column()
                + "' is not the watermark column '" + watermark.column() + "' of " + watermark);
        }
        return new WindowedGroupedStream(this, watermark, window, List.of(keys), OutputMode.APPEND);
    }

    /**
     * An event-time inner join with {@code right} within a time bound: rows match when the keys are equal and
     * {@code right.ts - before <= left.ts <= right.ts + after}, ts being each side's watermark column. Both streams
     * need a watermark ({@link #withWatermark}), which evicts the rows no later row can match; without one this
     * throws {@link IllegalStateException} naming the operator.
     */
    public TimeBoundJoinDStream joinWithinTime(final DStream right, final List<String> leftKeys, final List<String> rightKeys,
                                               final Duration before, final Duration after) {
        Objects.requireNonNull(right, "right");
        return new TimeBoundJoinDStream(this, right, leftKeys, rightKeys, wholeMillis("before", before),
            wholeMillis("after", after));
    }

    private static long wholeMillis(final String what, final Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.toNanos() % 1_000_000L != 0) {
            throw new IllegalArgumentException(what + "=" + value + " must be a whole number of milliseconds >= 0");
        }
        return value.toMillis();
    }

    /** The watermark that governs this stream's rows (the nearest upstream {@link #withWatermark}), or null. */
    WatermarkedDStream watermarkSource() {
        return null;
    }

    // ---- output operations -----------------------------------------------------------------------------------

    /** Runs {@code job} on every dataset of this stream (at-least-once for replayed batch times). */
    public void foreachBatch(final DatasetJob job) {
        graph.addOutput(this, job);
    }

    /** Collects every dataset of this stream into memory (for tests; at-least-once for replayed batch times). */
    public MemorySink collectToMemory() {
        final MemorySink sink = new MemorySink();
        foreachBatch(sink);
        return sink;
    }

    /** Prints the batch time and the first {@code rows} rows of every dataset to {@code out}. */
    public void print(final PrintStream out, final int rows) {
        foreachBatch(new ConsoleSink(out, rows));
    }

    /** Prints the batch time and the first 10 rows of every dataset to {@code System.out}. */
    public void print() {
        print(System.out, ConsoleSink.DEFAULT_ROWS);
    }

    /**
     * Writes each dataset to {@code dir/batch-<batchTime>/part-<p>.sbf}, committed by an atomic rename of a
     * temporary folder; a batch time already committed is skipped, so replayed batches never duplicate output.
     */
    public BatchFileSink writeBatchFiles(final Path dir) {
        final BatchFileSink sink = new BatchFileSink(dir, Dataset::write);
        foreachBatch(sink);
        return sink;
    }

    /**
     * Writes each dataset as Arrow IPC files {@code dir/batch-<batchTime>/part-<p>.arrow}, with the same exactly-once
     * commit as {@link #writeBatchFiles}: one atomic folder rename per batch time, a committed batch time skipped.
     */
    public BatchFileSink writeArrowFiles(final Path dir) {
        final BatchFileSink sink = new BatchFileSink(dir, Dataset::writeArrow);
        foreachBatch(sink);
        return sink;
    }

    // ---- keyed state (updateStateByKey / mapWithState; implemented in the state branch's own files) ------------

    /**
     * Spark's {@code updateStateByKey}: keyed state held off-heap, keyed by {@code keyColumns} (INT32, INT64 or UTF8;
     * a null key fails the batch). At each batch time {@code function} is called for every key that has state or
     * rows in the batch, with the key, the value columns (every other column) of the batch's rows of that key and
     * the previous state; an empty result removes the key. The stream yields every key in state with its state (key
     * columns, then {@code stateSchema}'s columns). The state is registered for checkpoints under the name
     * {@code "updateStateByKey-<n>"} (n = how many were defined before it, so define the graph in the same order on a
     * restart), and freed when the graph stops.
     */
    public DStream updateStateByKey(final List<String> keyColumns, final Schema stateSchema, final StateUpdateFunction function) {
        final String name = graph.operatorName("updateStateByKey");
        return new UpdateStateByKeyDStream(this, new UpdateStateByKey(name, graph.executionContext().allocator(), schema,
            keyColumns, stateSchema, function), keyColumns, stateSchema, function);
    }

    /**
     * Spark's {@code mapWithState}: {@code spec}'s function is called for every row (key = {@code keyColumns}, value =
     * the other columns) with the key's {@link State}, and with a timeout once more for each key idle longer than it
     * (then removed). The stream yields the mapped rows; {@link MapWithStateDStream#stateSnapshots()} yields every key
     * with its state. Checkpoint name {@code "mapWithState-<n>"}; freed when the graph stops.
     */
    public MapWithStateDStream mapWithState(final List<String> keyColumns, final StateSpec spec) {
        final String name = graph.operatorName("mapWithState");
        return new MapWithStateDStream(this, new MapWithState(name, graph.executionContext().allocator(), schema, keyColumns,
            spec), keyColumns, spec);
    }

    /**
     * The primitive {@code mapWithState}: per INT64 key in {@code keyColumn}, an INT64 state that starts at
     * {@code zero} and folds each row's INT64 {@code valueColumn} in place ({@code state = fold(state, value)}), off-heap,
     * never boxing: a batch costs O(its rows) whatever the number of keys held. The stream yields each row's key and
     * its state after that row ({@code key}, {@code state}). Null keys or values fail the batch. With
     * {@code timeoutMillis > 0}, keys not updated for longer are dropped after each batch (a pass over the keys held).
     * Checkpoint name {@code "mapWithLongState-<n>"}; freed when the graph stops.
     */
    public DStream mapWithLongState(final String keyColumn, final String valueColumn, final long zero,
                                    final LongBinaryOperator fold, final long timeoutMillis) {
        return new LongStateDStream(this, graph.operatorName("mapWithLongState"), keyColumn, valueColumn, zero, fold,
            timeoutMillis);
    }

    /**
     * The many-column primitive {@code mapWithState}: per INT64 key in {@code keyColumn}, the INT64 state columns of
     * {@code spec} (starting at 0), updated in place off-heap by the spec's {@link LongColumnsFold} from each row's
     * INT64 {@code valueColumns}, never boxing: a batch costs O(its rows) whatever the number of keys held. The stream
     * yields the rows the fold emits ({@code spec}'s output columns); a row the fold defers is folded again after the
     * batch's other rows and after each later batch's rows until it is not. {@link LongColumnsStateDStream#stateSnapshots()}
     * yields every key with its state. Null keys or values fail the batch. Checkpoint name
     * {@code "mapWithLongColumns-<n>"}; freed when the graph stops.
     */
    public LongColumnsStateDStream mapWithLongColumns(final String keyColumn, final List<String> valueColumns,
                                                      final LongColumnsSpec spec) {
        return new LongColumnsStateDStream(this, graph.operatorName("mapWithLongColumns"), keyColumn, valueColumns, spec);
    }
}
