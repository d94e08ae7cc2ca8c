package io.sluice.engine.stream.dstream;

import static io.sluice.engine.stream.StreamHarness.rows;
import static io.sluice.engine.stream.dstream.DStreamOperatorsTest.EVENTS;
import static io.sluice.engine.stream.dstream.WindowTest.perBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.stream.StreamHarness;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The count and window operators against Spark Streaming's own test vectors (BasicOperationsSuite,
 * WindowOperationsSuite, JavaAPISuite: 1 s batches there, 100 ms here), under Sluice's and Spark's
 * {@link WindowSemantics}.
 */
class SparkWindowVectorsTest {
    private static final Schema INTS = Schema.of(Field.nullable("x", ColumnType.INT64));
    private static final Schema WORDS = Schema.of(Field.notNull("w", ColumnType.UTF8));
    private static final Duration MS100 = Duration.ofMillis(100);
    private static final Duration MS200 = Duration.ofMillis(200);
    private static final Duration MS400 = Duration.ofMillis(400);

    /** WindowOperationsSuite's bigInput: per batch, (key, 1) pairs. */
    private static final List<List<String>> BIG_INPUT = List.of(
        List.of("a"), List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), List.of(),
        List.of("a"), List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "b"), List.of("a"), List.of());

    /** bigReduceOutput: the window (2 batches, slide 1) reduced afresh. */
    private static final List<List<String>> BIG_REDUCE = List.of(
        List.of("a|1"), List.of("a|2", "b|1"), List.of("a|2", "b|2", "c|1"), List.of("a|2", "b|2", "c|1"),
        List.of("a|2", "b|1"), List.of("a|1"), List.of("a|1"), List.of("a|2", "b|1"), List.of("a|2", "b|2", "c|1"),
        List.of("a|2", "b|2", "c|1"), List.of("a|2", "b|1"), List.of("a|1"));

    /** bigReduceInvOutput: with an inverse and no filter, Spark keeps keys that left the window at 0. */
    private static final List<List<String>> BIG_REDUCE_INV = List.of(
        List.of("a|1"), List.of("a|2", "b|1"), List.of("a|2", "b|2", "c|1"), List.of("a|2", "b|2", "c|1"),
        List.of("a|2", "b|1", "c|0"), List.of("a|1", "b|0", "c|0"), List.of("a|1", "b|0", "c|0"),
        List.of("a|2", "b|1", "c|0"), List.of("a|2", "b|2", "c|1"), List.of("a|2", "b|2", "c|1"),
        List.of("a|2", "b|1", "c|0"), List.of("a|1", "b|0", "c|0"));

    private static List<Object[]> pairs(final List<String> keys, final long value) {
        final List<Object[]> out = new ArrayList<>();
        for (final String key : keys) {
            out.add(new Object[] {key, value});
        }
        return out;
    }

    private static List<Object[]> ints(final long... values) {
        final List<Object[]> out = new ArrayList<>();
        for (final long v : values) {
            out.add(new Object[] {v});
        }
        return out;
    }

    private static List<Object[]> words(final String... values) {
        final List<Object[]> out = new ArrayList<>();
        for (final String v : values) {
            out.add(new Object[] {v});
        }
        return out;
    }

    /** Runs {@code program} over {@code input} (one list of rows per batch) from clock {@code start}; returns its sink. */
    private static MemorySink run(final WindowSemantics semantics, final long start, final Schema schema,
                                  final List<List<Object[]>> input, final Function<DStream, DStream> program)
        throws InterruptedException {
        try (StreamHarness h = new StreamHarness(2, 3, null, start)) {
            h.graph.windowSemantics(semantics);
            final MemorySink sink = program.apply(h.input("in", schema)).collectToMemory();
            h.start();
            for (final List<Object[]> batch : input) {
                h.batch(batch);
            }
            return sink;
        }
    }

    private static List<List<Object[]>> big() {
        final List<List<Object[]>> input = new ArrayList<>();
        for (final List<String> keys : BIG_INPUT) {
            input.add(pairs(keys, 1));
        }
        return input;
    }

    @Test
    void countIsOneRowPerBatchAndZeroForAnEmptyOne() throws Exception {
        // BasicOperationsSuite "count": Seq(), 1 to 1, 1 to 2, 1 to 3, 1 to 4 -> 0, 1, 2, 3, 4.
        final MemorySink sink = run(WindowSemantics.SLUICE, 0, INTS, List.of(ints(), ints(1), ints(1, 2), ints(1, 2, 3),
            ints(1, 2, 3, 4)), DStream::count);
        assertEquals(List.of(List.of("0"), List.of("1"), List.of("2"), List.of("3"), List.of("4")), perBatch(sink));
        // Between a window's slides there is no dataset, so no count either.
        final MemorySink windowed = run(WindowSemantics.SLUICE, 0, INTS, List.of(ints(1), ints(2), ints(), ints()),
            s -> s.window(MS200, MS200).count());
        assertEquals(List.of(200L, 400L), windowed.batchTimes());
        assertEquals(List.of(List.of("2"), List.of("0")), perBatch(windowed));
    }

    @Test
    void countByWindowMatchesSpark() throws Exception {
        // WindowOperationsSuite "countByWindow": window 2 batches, slide 1.
        for (final WindowSemantics semantics : List.of(WindowSemantics.SLUICE, WindowSemantics.SPARK)) {
            final MemorySink sink = run(semantics, 0, INTS, List.of(ints(1), ints(1), ints(1, 2), ints(0), ints(), ints()),
                s -> s.countByWindow(MS200, MS100));
            assertEquals(List.of(List.of("1"), List.of("2"), List.of("3"), List.of("3"), List.of("1"), List.of("0")),
                perBatch(sink), semantics.toString());
        }
    }

    @Test
    void countByValueAndWindowMatchesSpark() throws Exception {
        // WindowOperationsSuite "countByValueAndWindow", plus two empty batches: values that left have no row.
        for (final WindowSemantics semantics : List.of(WindowSemantics.SLUICE, WindowSemantics.SPARK)) {
            final MemorySink sink = run(semantics, 0, WORDS, List.of(words("a"), words("b", "b"), words("a", "b"), words(),
                words()), s -> s.countByValueAndWindow(MS200, MS100));
            assertEquals(List.of(List.of("a|1"), List.of("a|1", "b|2"), List.of("a|1", "b|3"), List.of("a|1", "b|1"),
                List.of()), perBatch(sink), semantics.toString());
        }
    }

    @Test
    void reduceByWindowMatchesSparkWithAndWithoutInverse() throws Exception {
        // JavaAPISuite testReduceByWindow: [1,2,3], [4,5,6], [7,8,9] -> 6, 21, 39, 24 (window 2, slide 1).
        final List<List<Object[]>> input = List.of(ints(1, 2, 3), ints(4, 5, 6), ints(7, 8, 9), ints(), ints());
        final List<List<String>> expected = List.of(List.of("6"), List.of("21"), List.of("39"), List.of("24"));
        for (final WindowSemantics semantics : List.of(WindowSemantics.SLUICE, WindowSemantics.SPARK)) {
            final MemorySink plain = run(semantics, 0, INTS, input, s -> s.reduceByWindow(Reducer.sum("x"), MS200, MS100));
            final MemorySink inverse = run(semantics, 0, INTS, input,
                s -> s.reduceByWindow(Reducer.sum("x"), (a, b) -> a - b, MS200, MS100));
            final List<List<String>> plainRows = new ArrayList<>(expected);
            plainRows.add(List.of());   // an empty window reduces to nothing
            assertEquals(plainRows, perBatch(plain), semantics.toString());
            final List<List<String>> inverseRows = new ArrayList<>(expected);
            // Spark keeps the single key at its inverse-reduced value; Sluice drops it, as for the plain window.
            inverseRows.add(semantics == WindowSemantics.SPARK ? List.of("0") : List.of());
            assertEquals(inverseRows, perBatch(inverse), semantics.toString());
        }
    }

    @Test
    void anInverseWindowKeepsEmptyKeysAtZeroOnlyUnderSparkSemantics() throws Exception {
        final Function<DStream, DStream> inverse = s -> s.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b,
            MS200, MS100);
        assertEquals(BIG_REDUCE_INV, perBatch(run(WindowSemantics.SPARK, 0, EVENTS, big(), inverse)));
        assertEquals(BIG_REDUCE, perBatch(run(WindowSemantics.SLUICE, 0, EVENTS, big(), inverse)));
        // With a filter (testReduceByKeyAndWindowWithFilteredInverse) and without an inverse, both give bigReduceOutput.
        for (final WindowSemantics semantics : List.of(WindowSemantics.SLUICE, WindowSemantics.SPARK)) {
            assertEquals(BIG_REDUCE, perBatch(run(semantics, 0, EVENTS, big(), s -> s.reduceByKeyAndWindow(List.of("k"),
                Reducer.sum("v"), (a, b) -> a - b, MS200, MS100, v -> v != 0))), semantics.toString());
            assertEquals(BIG_REDUCE, perBatch(run(semantics, 0, EVENTS, big(), s -> s.reduceByKeyAndWindow(List.of("k"),
                Reducer.sum("v"), MS200, MS100))), semantics.toString());
        }
        // "key removed from window": Spark ends with (a, 0), Sluice with no row.
        final List<List<Object[]>> removed = List.of(pairs(List.of("a"), 1), pairs(List.of("a"), 1), rows(), rows());
        assertEquals(List.of(List.of("a|1"), List.of("a|2"), List.of("a|1"), List.of("a|0")),
            perBatch(run(WindowSemantics.SPARK, 0, EVENTS, removed, inverse)));
        assertEquals(List.of(List.of("a|1"), List.of("a|2"), List.of("a|1"), List.of()),
            perBatch(run(WindowSemantics.SLUICE, 0, EVENTS, removed, inverse)));
    }

    @Test
    void slidesAlignToTheStreamStartUnderSparkSemanticsAndToTheClockByDefault() throws Exception {
        // WindowOperationsSuite largerSlideInput (window 4 batches, slide 2), with the clock started one interval late.
        final List<List<Object[]>> input = new ArrayList<>();
        for (final long v : new long[] {1, 2, 3, 4, 5, 6}) {
            input.add(pairs(List.of("a"), v));
        }
        input.add(rows());
        input.add(rows());
        final List<Function<DStream, DStream>> programs = List.of(
            s -> s.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), MS400, MS200),
            s -> s.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b, MS400, MS200));
        for (final Function<DStream, DStream> program : programs) {
            // Batches at 200..900. Spark: zero time 100, slides at 300, 500, 700, 900 -> largerSlideReduceOutput.
            final MemorySink spark = run(WindowSemantics.SPARK, 100, EVENTS, input, program);
            assertEquals(List.of(300L, 500L, 700L, 900L), spark.batchTimes());
            assertEquals(List.of(List.of("a|3"), List.of("a|10"), List.of("a|18"), List.of("a|11")), perBatch(spark));
            // Sluice: slides at multiples of 200 on the clock.
            final MemorySink sluice = run(WindowSemantics.SLUICE, 100, EVENTS, input, program);
            assertEquals(List.of(200L, 400L, 600L, 800L), sluice.batchTimes());
            assertEquals(List.of(List.of("a|1"), List.of("a|6"), List.of("a|14"), List.of("a|15")), perBatch(sluice));
        }
    }

    /** A restart at a snapshot keeps Spark's alignment (the zero time) and the keys kept at 0. */
    @Test
    void sparkSemanticsSurviveASnapshotAndRestart(@TempDir final Path dir) throws Exception {
        final long start = 100;
        final int snapshotAfter = 6;
        final Function<StreamHarness, List<MemorySink>> program = h -> {
            h.graph.windowSemantics(WindowSemantics.SPARK);
            final DStream events = h.input("events", EVENTS);
            return List.of(
                events.reduceByKeyAndWindow(List.of("k"), Reducer.sum("v"), (a, b) -> a - b, MS400, MS200).collectToMemory(),
                events.window(MS400, MS200).countByKey("k").collectToMemory());
        };
        final List<Map<Long, List<String>>> uninterrupted;
        try (StreamHarness h = new StreamHarness(2, 3, null, start)) {
            final List<MemorySink> sinks = program.apply(h);
            h.start();
            for (final List<Object[]> batch : big()) {
                h.batch(batch);
            }
            uninterrupted = WindowCheckpointTest.outputs(sinks);
        }
        final long snapshotTime = start + snapshotAfter * StreamHarness.INTERVAL;
        try (StreamHarness h = new StreamHarness(2, 3, null, start)) {
            program.apply(h);
            h.start();
            for (int b = 0; b < snapshotAfter; b++) {
                h.batch(big().get(b));
            }
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                op.snapshot(snapshotTime, Files.createDirectories(dir.resolve(op.checkpointName())));
            }
        }
        final List<Map<Long, List<String>>> resumed;
        try (StreamHarness h = new StreamHarness(2, 3, null, snapshotTime)) {
            final List<MemorySink> sinks = program.apply(h);
            for (final Checkpointed op : h.graph.checkpointedOperators()) {
                op.restore(snapshotTime, dir.resolve(op.checkpointName()));
            }
            h.start();
            for (int b = snapshotAfter; b < BIG_INPUT.size(); b++) {
                h.batch(big().get(b));
            }
            resumed = WindowCheckpointTest.outputs(sinks);
        }
        for (int s = 0; s < uninterrupted.size(); s++) {
            final Map<Long, List<String>> expected = new TreeMap<>(uninterrupted.get(s));
            expected.keySet().removeIf(t -> t <= snapshotTime);
            assertEquals(List.of(900L, 1100L, 1300L), List.copyOf(expected.keySet()), "odd slides after the snapshot");
            assertEquals(expected, resumed.get(s), "sink " + s);
        }
        // The snapshot's window held c, which left it: Spark semantics keep it at 0 through the restart.
        assertEquals(List.of("a|3", "b|1", "c|0"), resumed.get(0).get(900L));
    }

    @Test
    void outputColumnsAreNamedLikeTheDatasetAggregates() {
        try (StreamHarness h = new StreamHarness()) {
            final DStream ints = h.input("ints", INTS);
            final DStream events = h.input("events", EVENTS);
            assertEquals(List.of("count"), names(ints.count()));
            assertEquals(List.of("count"), names(ints.countByWindow(MS200, MS100)));
            assertEquals(List.of("x", "count"), names(ints.countByValueAndWindow(MS200, MS100)));
            assertEquals(List.of("sum_x"), names(ints.reduceByWindow(Reducer.sum("x"), MS200, MS100)));
            assertEquals(List.of("sum_x"), names(ints.reduceByWindow(Reducer.sum("x"), (a, b) -> a - b, MS200, MS100)));
            assertEquals(List.of("k", "count"), names(events.countByKey("k")));
            assertEquals(List.of("k", "sum_v"), names(events.reduceByKey(List.of("k"), Reducer.sum("v"))));
            assertEquals(List.of("k", "count", "sum_v"), names(events.reduceByKey(List.of("k"),
                Agg.count(), Agg.sum("v"))));
        }
    }

    @Test
    void windowSemanticsAreChosenBeforeTheGraphRuns() throws Exception {
        try (StreamHarness h = new StreamHarness()) {
            assertEquals(WindowSemantics.SLUICE, h.graph.windowSemantics());
            final WindowSemantics mixed = WindowSemantics.SLUICE.emptyKeys(WindowSemantics.EmptyKeys.KEEP);
            assertEquals(WindowSemantics.SlideAlignment.CLOCK, mixed.alignment());
            assertEquals(mixed, h.graph.windowSemantics(mixed).windowSemantics());
            h.input("ints", INTS).count().collectToMemory();
            h.start();
            h.batch(ints(1));
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> h.graph.windowSemantics(WindowSemantics.SPARK));
            assertTrue(ex.getMessage().contains("before the graph runs"), ex.getMessage());
        }
    }

    private static List<String> names(final DStream stream) {
        final List<String> out = new ArrayList<>();
        for (final Field f : stream.schema().fields()) {
            out.add(f.name());
        }
        return out;
    }
}
