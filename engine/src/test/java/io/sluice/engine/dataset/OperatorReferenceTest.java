package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.SCHEMA;
import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static io.sluice.engine.dataset.DatasetTestSupport.randomRows;
import static io.sluice.engine.dataset.Expr.col;
import static io.sluice.engine.dataset.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Each operator against a plain-Java reference over random inputs with nulls and empty partitions. */
class OperatorReferenceTest {
    private BufferAllocator allocator;
    private ExecutionContext ctx;

    @BeforeEach
    void setUp() {
        allocator = new BufferAllocator();
        ctx = ExecutionContext.create(DatasetTestSupport.config(SchedulingPolicy.WORK_STEALING, FaultInjection.none()),
            allocator, 4);
    }

    @AfterEach
    void tearDown() {
        ctx.close();
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }

    /** 20 more (seed, partitions, rows) cases: 1 to 1000 partitions, some empty, up to 1500 rows. */
    static Stream<Arguments> twentySeeds() {
        final int[] partitions = {1, 2, 5, 16, 1000};
        return IntStream.range(0, 20).mapToObj(i -> {
            final java.util.Random random = new java.util.Random(1000 + i);
            return Arguments.of(1000L + i, partitions[i % partitions.length], random.nextInt(1500));
        });
    }

    private static Long k(final Object[] r) {
        return (Long) r[0];
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 0", "2, 7, 300", "3, 1000, 800", "4, 13, 5", "5, 3, 2000"})
    @MethodSource("twentySeeds")
    void filterProjectMatchReference(final long seed, final int partitions, final int rows) {
        final List<Object[]> input = randomRows(seed, rows);
        final Dataset ds = ctx.fromRows(SCHEMA, input, partitions);
        // (v > 10 AND flag) OR name IS NULL, with three-valued logic; nulls in v or flag make the AND unknown.
        final Expr pred = col("v").gt(lit(10)).and(col("flag")).or(col("name").isNull());
        final List<Object[]> got = ds.filter(pred)
            .select(col("k"), col("v").plus(col("k")).as("vk"), col("x").div(lit(2.0)).as("half"),
                Expr.coalesce(col("name"), lit("none")).upper().as("uname"), col("name").length().as("len"),
                col("name").substring(1, 3).as("sub"), col("name").contains("ta").as("hasTa"),
                col("v").div(col("k")).as("q"))
            .collect();
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] r : input) {
            final Boolean gt = r[2] == null ? null : (Integer) r[2] > 10;
            final Boolean and = and3(gt, (Boolean) r[4]);
            final Boolean keep = or3(and, r[1] == null);
            if (!Boolean.TRUE.equals(keep)) {
                continue;
            }
            final String name = (String) r[1];
            want.add(new Object[] {
                r[0], r[2] == null || r[0] == null ? null : (long) (Integer) r[2] + (Long) r[0],
                r[3] == null ? null : (Double) r[3] / 2.0,
                (name == null ? "none" : name).toUpperCase(),
                name == null ? null : (long) name.length(),
                name == null ? null : name.substring(Math.min(1, name.length()), Math.min(4, name.length())),
                name == null ? null : name.contains("ta"),
                r[2] == null || r[0] == null || (Long) r[0] == 0 ? null : (long) (Integer) r[2] / (Long) r[0],
            });
        }
        assertEquals(canonical(want), canonical(got));
    }

    static Boolean and3(final Boolean a, final Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    static Boolean or3(final Boolean a, final Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a == null || b == null ? null : false;
    }

    @ParameterizedTest
    @CsvSource({"11, 1, 0", "12, 5, 500", "13, 1000, 1500", "14, 17, 3000"})
    @MethodSource("twentySeeds")
    void groupByAggregatesMatchReference(final long seed, final int partitions, final int rows) {
        final List<Object[]> input = randomRows(seed, rows);
        final Dataset ds = ctx.fromRows(SCHEMA, input, partitions);
        final List<Object[]> got = ds.groupBy("k").agg(Agg.count(), Agg.sum("v"), Agg.min("v"), Agg.max("x"), Agg.avg("v"),
            Agg.count("name")).collect();
        final Map<Long, List<Object[]>> groups = new HashMap<>();
        for (final Object[] r : input) {
            groups.computeIfAbsent(k(r), key -> new ArrayList<>()).add(r);
        }
        final List<Object[]> want = new ArrayList<>();
        for (final Map.Entry<Long, List<Object[]>> e : groups.entrySet()) {
            long sum = 0;
            long n = 0;
            long names = 0;
            Integer min = null;
            Double max = null;
            for (final Object[] r : e.getValue()) {
                if (r[2] != null) {
                    sum += (Integer) r[2];
                    n++;
                    min = min == null ? (Integer) r[2] : Math.min(min, (Integer) r[2]);
                }
                if (r[3] != null) {
                    max = max == null ? (Double) r[3] : Math.max(max, (Double) r[3]);
                }
                if (r[1] != null) {
                    names++;
                }
            }
            want.add(new Object[] {e.getKey(), (long) e.getValue().size(), n == 0 ? null : sum, min, max,
                n == 0 ? null : (double) sum / n, names});
        }
        assertEquals(canonical(want), canonical(got));
    }

    @ParameterizedTest
    @CsvSource({"21, 1", "22, 9", "23, 1000"})
    void multiKeyGroupByAndDistinctMatchReference(final long seed, final int partitions) {
        final List<Object[]> input = randomRows(seed, 1200);
        final Dataset ds = ctx.fromRows(SCHEMA, input, partitions);
        final List<Object[]> got = ds.groupBy("name", "flag").agg(Agg.sum("x").as("sx")).collect();
        final Map<List<Object>, Double> sums = new HashMap<>();
        final Map<List<Object>, Boolean> seen = new HashMap<>();
        for (final Object[] r : input) {
            final List<Object> key = java.util.Arrays.asList(r[1], r[4]);
            seen.put(key, true);
            if (r[3] != null) {
                sums.merge(key, (Double) r[3], Double::sum);
            }
        }
        final List<Object[]> want = new ArrayList<>();
        for (final List<Object> key : seen.keySet()) {
            want.add(new Object[] {key.get(0), key.get(1), sums.get(key)});
        }
        // Sums of multiples of 1/8 are exact in doubles, so order of addition does not matter.
        assertEquals(canonical(want), canonical(got));

        final List<Object[]> distinct = ds.select("name", "flag").distinct().collect();
        final Set<List<Object>> wantDistinct = new LinkedHashSet<>(seen.keySet());
        assertEquals(wantDistinct.size(), distinct.size());
        for (final Object[] row : distinct) {
            assertTrue(wantDistinct.contains(java.util.Arrays.asList(row)), () -> "unexpected row " + java.util.Arrays.toString(row));
        }
    }

    @ParameterizedTest
    @CsvSource({"31, 1, INNER", "32, 6, LEFT", "33, 1000, INNER", "34, 1000, LEFT", "35, 3, LEFT"})
    void hashJoinMatchesNestedLoopReference(final long seed, final int partitions, final JoinType type) {
        final List<Object[]> left = randomRows(seed, 400);
        final Schema rightSchema = Schema.of(Field.nullable("k", ColumnType.INT64), Field.nullable("label", ColumnType.UTF8));
        final List<Object[]> right = new ArrayList<>();
        final java.util.Random random = new java.util.Random(seed * 31);
        for (int i = 0; i < 60; i++) {
            right.add(new Object[] {random.nextInt(8) == 0 ? null : (long) random.nextInt(30) - 5, "r" + i});
        }
        final List<Object[]> got = ctx.fromRows(SCHEMA, left, partitions)
            .join(ctx.fromRows(rightSchema, right, Math.max(1, partitions / 3)), "k", type).collect();
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] l : left) {
            boolean matched = false;
            for (final Object[] r : right) {
                if (l[0] != null && Objects.equals(l[0], r[0])) {
                    want.add(new Object[] {l[0], l[1], l[2], l[3], l[4], r[1]});
                    matched = true;
                }
            }
            if (!matched && type == JoinType.LEFT) {
                want.add(new Object[] {l[0], l[1], l[2], l[3], l[4], null});
            }
        }
        assertEquals(canonical(want), canonical(got));
    }

    @ParameterizedTest
    @CsvSource({"41, 1, 10", "42, 8, 25", "43, 1000, 7", "44, 4, 0"})
    void orderByLimitIsTopK(final long seed, final int partitions, final int limit) {
        final List<Object[]> input = randomRows(seed, 900);
        final List<Object[]> got = ctx.fromRows(SCHEMA, input, partitions)
            .orderBy(SortKey.desc("x"), SortKey.asc("v")).limit(limit).select("x", "v").collect();
        final List<Object[]> sorted = new ArrayList<>();
        for (final Object[] r : input) {
            sorted.add(new Object[] {r[3], r[2]});
        }
        final java.util.Comparator<Object[]> byX = (a, b) -> {
            // desc, nulls first
            if (a[0] == null || b[0] == null) {
                return Boolean.compare(b[0] == null, a[0] == null);
            }
            return Double.compare((Double) b[0], (Double) a[0]);
        };
        final java.util.Comparator<Object[]> byV = (a, b) -> {
            if (a[1] == null || b[1] == null) {
                return Boolean.compare(a[1] == null, b[1] == null);
            }
            return Integer.compare((Integer) a[1], (Integer) b[1]);
        };
        sorted.sort(byX.thenComparing(byV));
        final List<String> want = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, sorted.size()); i++) {
            want.add(java.util.Arrays.toString(sorted.get(i)));
        }
        final List<String> have = new ArrayList<>();
        for (final Object[] r : got) {
            have.add(java.util.Arrays.toString(r));
        }
        assertEquals(want, have);
    }

    @Test
    void unionCountAndWithColumnMatchReference() {
        final List<Object[]> a = randomRows(51, 333);
        final List<Object[]> b = randomRows(52, 0);
        final List<Object[]> c = randomRows(53, 101);
        final Dataset u = ctx.fromRows(SCHEMA, a, 5).union(ctx.fromRows(SCHEMA, b, 3)).union(ctx.fromRows(SCHEMA, c, 1000));
        assertEquals(1008, u.numPartitions());
        assertEquals(434, u.count());
        final List<Object[]> all = new ArrayList<>(a);
        all.addAll(c);
        final List<Object[]> got = u.withColumn("v", col("v").times(lit(2))).collect();
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] r : all) {
            want.add(new Object[] {r[0], r[1], r[2] == null ? null : (Integer) r[2] * 2, r[3], r[4]});
        }
        assertEquals(canonical(want), canonical(got));
    }

    @Test
    void typeErrorsThrowWhenTheOperatorIsAddedNamingColumnAndTypes() {
        final Dataset ds = ctx.fromRows(SCHEMA, randomRows(1, 10), 2);
        final IllegalArgumentException plus = assertThrows(IllegalArgumentException.class,
            () -> ds.select(col("name").plus(lit(1)).as("bad")));
        assertTrue(plus.getMessage().contains("col('name') has type=UTF8"), plus.getMessage());
        final IllegalArgumentException filter = assertThrows(IllegalArgumentException.class, () -> ds.filter(col("v")));
        assertTrue(filter.getMessage().contains("type=INT32"), filter.getMessage());
        final IllegalArgumentException cmp = assertThrows(IllegalArgumentException.class, () -> ds.filter(col("name").eq(lit(3))));
        assertTrue(cmp.getMessage().contains("type=UTF8") && cmp.getMessage().contains("type=INT32"), cmp.getMessage());
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ds.filter(col("nope").isNull()));
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
        final IllegalArgumentException agg = assertThrows(IllegalArgumentException.class, () -> ds.groupBy("k").agg(Agg.sum("name")));
        assertTrue(agg.getMessage().contains("'name' has type=UTF8"), agg.getMessage());
    }

    @Test
    void writeThenReadBatchFilesRoundTrips(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) {
        final List<Object[]> input = randomRows(61, 700);
        ctx.fromRows(SCHEMA, input, 6).filter(col("k").isNotNull()).write(dir);
        final Dataset back = ctx.readFiles(dir);
        assertEquals(6, back.numPartitions());
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] r : input) {
            if (r[0] != null) {
                want.add(r);
            }
        }
        assertEquals(canonical(want), canonical(back.collect()));
    }
}
