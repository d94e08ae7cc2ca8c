package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Word count over real prose under every policy and injected faults, and recovery of lost cached partitions. */
class WordCountAndRecoveryTest {
    private static final String DELIMITERS = " ,.;:!?\"'()-\n\t";
    private static final Schema LINES = Schema.of(Field.nullable("line", ColumnType.UTF8));

    private final BufferAllocator allocator = new BufferAllocator();
    private final List<ExecutionContext> contexts = new ArrayList<>();

    private ExecutionContext context(final SchedulingPolicy policy, final FaultInjection faults) {
        final ExecutionContext ctx = ExecutionContext.create(DatasetTestSupport.config(policy, faults), allocator, 3);
        contexts.add(ctx);
        return ctx;
    }

    @AfterEach
    void tearDown() {
        contexts.forEach(ExecutionContext::close);
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private static List<Object[]> proseLines() throws IOException {
        try (InputStream in = WordCountAndRecoveryTest.class.getResourceAsStream("prose.txt")) {
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final List<Object[]> rows = new ArrayList<>();
            for (final String line : text.split("\n")) {
                rows.add(new Object[] {line});
            }
            return rows;
        }
    }

    private static Map<String, Long> referenceCounts(final List<Object[]> lines) {
        final Map<String, Long> counts = new TreeMap<>();
        for (final Object[] row : lines) {
            for (final String word : ((String) row[0]).toLowerCase().split("[ ,.;:!?\"'()\\-\\n\\t]+")) {
                if (!word.isEmpty()) {
                    counts.merge(word, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> wordCount(final ExecutionContext ctx, final List<Object[]> lines, final int partitions) {
        final List<Object[]> rows = ctx.fromRows(LINES, lines, partitions)
            .withColumn("line", col("line").lower())
            .flatMap(Expr.split(col("line"), DELIMITERS), "word")
            .groupBy("word").agg(Agg.count())
            .collect();
        final Map<String, Long> out = new TreeMap<>();
        for (final Object[] r : rows) {
            final Long previous = out.put((String) r[0], (Long) r[1]);
            assertEquals(null, previous, "word " + r[0] + " appeared in two groups");
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(SchedulingPolicy.class)
    void wordCountMatchesReferenceUnderEveryPolicy(final SchedulingPolicy policy) throws IOException {
        final List<Object[]> lines = proseLines();
        final Map<String, Long> want = referenceCounts(lines);
        assertTrue(want.get("the") > 20, "the text has many 'the'");
        assertEquals(want, wordCount(context(policy, FaultInjection.none()), lines, 1));
        assertEquals(want, wordCount(context(policy, FaultInjection.none()), lines, 7));
    }

    @ParameterizedTest
    @EnumSource(SchedulingPolicy.class)
    void wordCountMatchesUnderFailedAttemptsAndAWorkerDeath(final SchedulingPolicy policy) throws IOException {
        final List<Object[]> lines = proseLines();
        final FaultInjection faults = FaultInjection.none().withSeed(7).failAttempts(0.2).killWorkerAfter(1, 3);
        assertEquals(referenceCounts(lines), wordCount(context(policy, faults), lines, 11));
    }

    @Test
    void evictedPartitionsAreRecomputedAloneAndResultsMatch() {
        final ExecutionContext ctx = context(SchedulingPolicy.WORK_STEALING, FaultInjection.none());
        final List<Object[]> input = DatasetTestSupport.randomRows(77, 2000);
        final CachedDataset cached = ctx.fromRows(DatasetTestSupport.SCHEMA, input, 16)
            .filter(col("v").isNotNull()).withColumn("v2", col("v").times(Expr.lit(3))).cache();
        final Dataset agg = cached.groupBy("k").agg(Agg.sum("v2"), Agg.count());
        final List<String> first = DatasetTestSupport.canonical(agg.collect());
        assertEquals(16, cached.cachedPartitions());
        assertEquals(0, cached.recomputedPartitions());

        assertEquals(3, cached.evict(2, 9, 15));
        final List<String> second = DatasetTestSupport.canonical(agg.collect());
        assertEquals(first, second);
        assertEquals(3, cached.lastRecomputedPartitions());
        assertEquals(3, cached.recomputedPartitions());

        final int worker = cached.computedBy(0);
        final int lost = cached.loseWorker(worker);
        assertTrue(lost >= 1, "worker " + worker + " computed partition 0");
        assertEquals(16 - lost, cached.cachedPartitions());
        assertEquals(first, DatasetTestSupport.canonical(agg.collect()));
        assertEquals(lost, cached.lastRecomputedPartitions());
        assertEquals(3 + lost, cached.recomputedPartitions());

        // Nothing lost: nothing recomputed.
        assertEquals(first, DatasetTestSupport.canonical(agg.collect()));
        assertEquals(0, cached.lastRecomputedPartitions());
    }

    @Test
    void recoveryOfManyPartitionsRunsAsOneStageUnderInjectedFailures() {
        final ExecutionContext ctx = context(SchedulingPolicy.CENTRAL_QUEUE,
            FaultInjection.none().withSeed(3).failAttempts(0.25));
        final CachedDataset cached = ctx.generate(Schema.of(Field.notNull("i", ColumnType.INT64)), 40, (p, b) -> {
            for (int i = 0; i < 50; i++) {
                b.setInt64(0, p * 1000L + i).endRow();
            }
        }).cache().materialize();
        final long stagesBefore = ctx.stagesRun();
        final int[] lost = {1, 5, 6, 20, 33, 39};
        cached.evict(lost);
        assertEquals(2000, cached.count());
        assertEquals(6, cached.lastRecomputedPartitions());
        // One stage to refill the cache, one to count.
        assertEquals(stagesBefore + 2, ctx.stagesRun());
    }
}
