package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static io.sluice.engine.dataset.DatasetTestSupport.randomRows;
import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Morsel splitting of a huge skewed partition, identical results under every policy, and speculation. */
class SkewAndSchedulingPolicyTest {
    private static final Schema KV = Schema.of(Field.notNull("k", ColumnType.INT64), Field.notNull("v", ColumnType.INT64));
    private static final int HUGE = 200_000;
    private static final long SAFETY_NET_NANOS = 60_000_000_000L;

    private final BufferAllocator allocator = new BufferAllocator();
    private final List<ExecutionContext> contexts = new ArrayList<>();

    @AfterEach
    void tearDown() {
        contexts.forEach(ExecutionContext::close);
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    private ExecutionContext context(final SchedulerConfig config) {
        final ExecutionContext ctx = ExecutionContext.create(config, allocator, 3);
        contexts.add(ctx);
        return ctx;
    }

    private ExecutionContext context(final SchedulingPolicy policy, final long minMorselRows) {
        return context(SchedulerConfig.builder().name("skew-test").workers(2).policy(policy).minMorselRows(minMorselRows)
            .speculation(false).build());
    }

    /** One partition: 90% of rows have key 0 (the skew), the rest keys 1..99; v = row index. */
    private static Dataset hugeSkewedPartition(final ExecutionContext ctx) {
        final long[] k = new long[HUGE];
        final long[] v = new long[HUGE];
        for (int i = 0; i < HUGE; i++) {
            k[i] = i % 10 == 0 ? 1 + (i / 10) % 99 : 0;
            v[i] = i;
        }
        try (BatchBuilder b = new BatchBuilder(ctx.allocator(), KV, HUGE)) {
            b.appendInt64Column(0, k).appendInt64Column(1, v);
            return ctx.fromBatches(KV, List.of(b.build()));
        }
    }

    private static Dataset skewedJob(final Dataset in) {
        return in.filter(col("v").gt(lit(5L))).withColumn("w", col("v").times(lit(2L)))
            .groupBy("k").agg(Agg.count(), Agg.sum("w"), Agg.min("v"), Agg.max("w"));
    }

    /** The last stage named {@code name} that {@code ctx} ran (shared with other dataset tests). */
    static StageReport stage(final ExecutionContext ctx, final String name) {
        StageReport found = null;
        for (final StageReport r : ctx.recentStages()) {
            if (r.name().equals(name)) {
                found = r;
            }
        }
        assertTrue(found != null, "no stage named " + name + " in " + ctx.recentStages());
        return found;
    }

    @Test
    void hugeSkewedPartitionSplitsIntoMorselsOverBothWorkersAndMatchesStatic() {
        final ExecutionContext ws = context(SchedulingPolicy.WORK_STEALING, 1024);
        final List<String> got = canonical(skewedJob(hugeSkewedPartition(ws)).collect());
        StageReport map = stage(ws, "exchange-map");
        assertTrue(map.metrics().parts(0) > 1, "the 200k-row partition ran as morsels: " + map);
        // The second worker steals morsels unless the OS leaves it unscheduled for the whole stage (a legal schedule on
        // a loaded machine): run again until one run shows it, each run giving the same rows; 20 runs is a safety net.
        for (int run = 1; run < 20 && !(map.summary().steals() > 0 && map.busyWorkers() == 2); run++) {
            assertEquals(got, canonical(skewedJob(hugeSkewedPartition(ws)).collect()));
            map = stage(ws, "exchange-map");
        }
        assertTrue(map.summary().steals() > 0 && map.busyWorkers() == 2, "the second worker stole morsels: " + map);

        final ExecutionContext st = context(SchedulingPolicy.STATIC, 1024);
        assertEquals(canonical(skewedJob(hugeSkewedPartition(st)).collect()), got);
        assertEquals(1, stage(st, "exchange-map").metrics().parts(0), "static never splits");

        // Plain-Java reference for the same job.
        final Map<Long, long[]> ref = new TreeMap<>();
        for (int i = 6; i < HUGE; i++) {
            final long key = i % 10 == 0 ? 1 + (i / 10) % 99 : 0;
            final long[] acc = ref.computeIfAbsent(key, x -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            acc[0]++;
            acc[1] += 2L * i;
            acc[2] = Math.min(acc[2], i);
            acc[3] = Math.max(acc[3], 2L * i);
        }
        final List<Object[]> want = new ArrayList<>();
        ref.forEach((key, a) -> want.add(new Object[] {key, a[0], a[1], a[2], a[3]}));
        assertEquals(canonical(want), got);

        // Narrow chains split too, and the parts' outputs come back in row order.
        final List<Object[]> rows = hugeSkewedPartition(ws).filter(col("k").eq(lit(0L))).select("v").collect();
        assertTrue(stage(ws, "compute").metrics().parts(0) > 1);
        long expected = 1;
        for (final Object[] r : rows) {
            assertEquals(expected, r[0]);
            expected += expected % 10 == 9 ? 2 : 1;
        }
        assertEquals(180_000, rows.size());
        assertEquals(180_000, hugeSkewedPartition(ws).filter(col("k").eq(lit(0L))).count());
    }

    /** Every operator's collected rows under one policy, in a fixed order of operations. */
    private static Map<String, List<String>> everyOperator(final ExecutionContext ctx, final long seed, final int partitions) {
        final Dataset ds = ctx.fromRows(SCHEMA, randomRows(seed, 3000), partitions);
        final Schema rightSchema = Schema.of(Field.nullable("k", ColumnType.INT64), Field.nullable("label", ColumnType.UTF8));
        final List<Object[]> right = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            right.add(new Object[] {i % 7 == 0 ? null : (long) (i % 25) - 5, "r" + i});
        }
        final Dataset rightDs = ctx.fromRows(rightSchema, right, 2);
        final Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("filter+select", canonical(ds.filter(col("v").gt(lit(0)).or(col("flag")))
            .select(col("k"), col("name").upper().as("u"), col("x").times(lit(2.0)).as("x2")).collect()));
        out.put("withColumn", canonical(ds.withColumn("len", col("name").length()).collect()));
        out.put("flatMap", canonical(ds.flatMap(Expr.split(col("name"), "al"), "part", "k").collect()));
        out.put("groupBy", canonical(ds.groupBy("k").agg(Agg.count(), Agg.sum("v"), Agg.min("x"), Agg.max("v"),
            Agg.avg("v")).collect()));
        out.put("distinct", canonical(ds.select("name", "flag").distinct().collect()));
        out.put("join-inner", canonical(ds.join(rightDs, "k", JoinType.INNER).collect()));
        out.put("join-left", canonical(ds.join(rightDs, "k", JoinType.LEFT).collect()));
        out.put("union", canonical(ds.union(ds.filter(col("k").isNull())).collect()));
        final List<String> top = new ArrayList<>();
        for (final Object[] r : ds.orderBy(SortKey.desc("x"), SortKey.asc("v")).limit(25).select("x", "v").collect()) {
            top.add(Arrays.toString(r));
        }
        out.put("orderBy+limit", top);
        out.put("count", List.of(Long.toString(ds.filter(col("flag")).count())));
        final CachedDataset cached = ds.filter(col("k").isNotNull()).cache();
        cached.materialize();
        cached.evict(0);
        out.put("cache", canonical(cached.collect()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7})
    void everyOperatorCollectsIdenticalRowsUnderStaticCentralQueueAndWorkStealing(final int partitions) {
        for (long seed = 300; seed < 303; seed++) {
            // Small morsels so central queue and work stealing really split the 3000-row partitions.
            final Map<String, List<String>> want = everyOperator(context(SchedulingPolicy.STATIC, 64), seed, partitions);
            for (final SchedulingPolicy policy : List.of(SchedulingPolicy.CENTRAL_QUEUE, SchedulingPolicy.WORK_STEALING)) {
                final Map<String, List<String>> got = everyOperator(context(policy, 64), seed, partitions);
                for (final String op : want.keySet()) {
                    assertEquals(want.get(op), got.get(op), "operator " + op + " under " + policy + " seed=" + seed);
                }
            }
        }
    }

    @Test
    void speculationWithASlowWorkerGivesReferenceResultsAndLeaksNothing() {
        final ExecutionContext ctx = context(SchedulerConfig.builder().name("spec-test").workers(2)
            .policy(SchedulingPolicy.WORK_STEALING).speculation(true).speculationMultiplier(1.5)
            .speculationMinFinishedFraction(0.5).speculationMinRunNanos(2_000_000L).build());
        // Worker 0 is the straggler: a partition it runs waits until its attempt is cancelled, which happens only
        // when a copy of it committed, so the stage can finish only through a copy (under any load; a park that
        // returns early just parks again). The other worker's partitions first wait until worker 0 holds one, so
        // it cannot run them all before worker 0's thread gets a core. Both waits are bounded by a safety net.
        final AtomicBoolean slowStarted = new AtomicBoolean();
        final CachedDataset cached = ctx.generate(KV, 24, (p, b) -> {
            if (Thread.currentThread().getName().endsWith("spec-test-0")) {
                slowStarted.set(true);
                parkUntil(() -> Thread.currentThread().isInterrupted());
            } else {
                parkUntil(slowStarted::get);
            }
            for (int i = 0; i < 100; i++) {
                b.setInt64(0, p % 5).setInt64(1, p * 100L + i).endRow();
            }
        }).cache();
        final List<Object[]> got = cached.groupBy("k").agg(Agg.count(), Agg.sum("v")).collect();
        final Map<Long, long[]> ref = new TreeMap<>();
        for (int p = 0; p < 24; p++) {
            for (int i = 0; i < 100; i++) {
                final long[] acc = ref.computeIfAbsent((long) p % 5, x -> new long[2]);
                acc[0]++;
                acc[1] += p * 100L + i;
            }
        }
        final List<Object[]> want = new ArrayList<>();
        ref.forEach((key, a) -> want.add(new Object[] {key, a[0], a[1]}));
        assertEquals(canonical(want), canonical(got));
        final StageReport fill = stage(ctx, "cache-fill");
        assertTrue(fill.summary().speculativeCopies() > 0, "worker 0's straggling partitions were copied: " + fill);
        assertTrue(slowStarted.get(), "worker 0 ran a partition");
        assertEquals(24, cached.cachedPartitions());
        cached.evict(0, 1, 2);
        assertEquals(canonical(want), canonical(cached.groupBy("k").agg(Agg.count(), Agg.sum("v")).collect()));
        assertEquals(3, cached.lastRecomputedPartitions());
    }

    /** Parks in 1 ms steps until {@code done} holds or {@link #SAFETY_NET_NANOS} passed (a bound, not a timing). */
    static void parkUntil(final BooleanSupplier done) {
        final long deadline = System.nanoTime() + SAFETY_NET_NANOS;
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
