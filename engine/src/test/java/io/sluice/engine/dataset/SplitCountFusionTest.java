package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * Word count through the fused split + partial count ({@link SplitCountOp}) against a plain-Java reference, and
 * against the unfused operators (a shape the fusion does not take), on lines with non-ASCII words, empty and null
 * lines, leading, trailing and repeated delimiters, lines longer than the scratch buffer and more distinct words
 * than the first count array holds.
 */
class SplitCountFusionTest extends LeakCheckedContext {
    private static final Schema LINES = Schema.of(Field.nullable("line", ColumnType.UTF8), Field.nullable("n", ColumnType.INT32));
    private static final String[] WORDS = {"a", "ä", "日本語", "straße", "a", "b", "emoji\uD83D\uDE00", "the", "The"};

    private static List<Object[]> lines(final long seed) {
        final Random random = new Random(seed);
        final List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"", 0});
        rows.add(new Object[] {null, 1});
        rows.add(new Object[] {"   ", 2});
        rows.add(new Object[] {",,a,,ä ,", 3});
        for (int i = 0; i < 700; i++) {
            final StringBuilder line = new StringBuilder();
            final int words = random.nextInt(i % 50 == 0 ? 200 : 12);
            for (int w = 0; w < words; w++) {
                line.append(random.nextInt(4) == 0 ? " ,  " : random.nextBoolean() ? " " : ",");
                line.append(random.nextInt(3) == 0 ? "w" + random.nextInt(900) : WORDS[random.nextInt(WORDS.length)]);
            }
            if (random.nextBoolean()) {
                line.append(", ");
            }
            rows.add(new Object[] {random.nextInt(40) == 0 ? null : line.toString(), i});
        }
        return rows;
    }

    private static Map<String, Long> reference(final List<Object[]> rows, final boolean onlyEven) {
        final Map<String, Long> counts = new TreeMap<>();
        for (final Object[] row : rows) {
            if (row[0] == null || onlyEven && (Integer) row[1] % 2 != 0) {
                continue;
            }
            for (final String word : ((String) row[0]).split("[ ,]+")) {
                if (!word.isEmpty()) {
                    counts.merge(word, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> toMap(final List<Object[]> rows, final int countColumn) {
        final Map<String, Long> out = new TreeMap<>();
        for (final Object[] r : rows) {
            final Long previous = out.put((String) r[0], (Long) r[countColumn]);
            assertEquals(null, previous, "word " + r[0] + " appeared in two groups");
        }
        return out;
    }

    @Test
    void fusedWordCountMatchesTheReference() {
        final List<Object[]> rows = lines(1);
        final Map<String, Long> want = reference(rows, false);
        assertTrue(want.size() > 600, "more distinct words than the first count array: " + want.size());
        for (final int partitions : new int[] {1, 3, 16}) {
            final List<Object[]> got = ctx.fromRows(LINES, rows, partitions)
                .flatMap(Expr.split(col("line"), " ,"), "word")
                .groupBy("word").agg(Agg.count(), Agg.count().as("again"))
                .collect();
            assertEquals(want, toMap(got, 1), "partitions=" + partitions);
            assertEquals(want, toMap(got, 2), "second count, partitions=" + partitions);
        }
    }

    @Test
    void fusedWordCountReadsOnlyTheRowsAFilterSelected() {
        final List<Object[]> rows = lines(2);
        final List<Object[]> got = ctx.fromRows(LINES, rows, 4)
            .filter(col("n").mod(Expr.lit(2)).eq(Expr.lit(0)))
            .flatMap(Expr.split(col("line"), " ,"), "word")
            .groupBy("word").agg(Agg.count())
            .collect();
        assertEquals(reference(rows, true), toMap(got, 1));
    }

    @Test
    void unfusedShapesGiveTheSameCounts() {
        final List<Object[]> rows = lines(3);
        final Map<String, Long> want = reference(rows, false);
        // COUNT(word) and a kept column both keep the flatMap and the partial aggregate apart.
        final List<Object[]> byColumn = ctx.fromRows(LINES, rows, 5)
            .flatMap(Expr.split(col("line"), " ,"), "word")
            .groupBy("word").agg(Agg.count("word"))
            .collect();
        assertEquals(want, toMap(byColumn, 1));
        final List<Object[]> kept = ctx.fromRows(LINES, rows, 5)
            .flatMap(Expr.split(col("line"), " ,"), "word", "n")
            .groupBy("word").agg(Agg.count())
            .collect();
        assertEquals(want, toMap(kept, 1));
        assertFalse(want.isEmpty());
    }

    @Test
    void fuseReplacesOnlyAFlatMapFollowedByAPartialCountOfItsTokens() {
        final FlatMapOp split = new FlatMapOp(LINES, new Split(col("line"), " "), "word", List.of());
        final FlatMapOp keeping = new FlatMapOp(LINES, new Split(col("line"), " "), "word", List.of("n"));
        final AggregateOp partial = new AggregateOp(new AggPlan(split.outputSchema(), List.of("word"), List.of(Agg.count())), false);
        final AggregateOp countWord = new AggregateOp(
            new AggPlan(split.outputSchema(), List.of("word"), List.of(Agg.count("word"))), false);
        final AggregateOp fin = new AggregateOp(new AggPlan(split.outputSchema(), List.of("word"), List.of(Agg.count())), true);
        final List<BatchOp> fused = SplitCountOp.fuse(new ArrayList<>(List.of(split, partial)));
        assertEquals(1, fused.size());
        assertTrue(fused.get(0) instanceof SplitCountOp);
        assertEquals(partial.outputSchema(), fused.get(0).outputSchema());
        final AggregateOp countKeeping = new AggregateOp(
            new AggPlan(keeping.outputSchema(), List.of("word"), List.of(Agg.count())), false);
        for (final List<BatchOp> kept : List.of(List.<BatchOp>of(split, countWord), List.<BatchOp>of(split, fin),
            List.<BatchOp>of(keeping, countKeeping))) {
            assertEquals(kept, SplitCountOp.fuse(new ArrayList<>(kept)));
        }
    }
}
