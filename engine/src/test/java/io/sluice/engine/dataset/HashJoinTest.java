package io.sluice.engine.dataset;

import static io.sluice.engine.dataset.DatasetTestSupport.canonical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * The hash join against a nested-loop reference on the shapes its key index and row-index gather must get right:
 * many duplicate keys on both sides, empty sides, UTF8 keys with non-ASCII bytes and the empty string, FLOAT64 keys
 * where -0.0 equals 0.0, several key columns, and null keys (which never match). Every test also checks that no
 * off-heap byte is left outstanding.
 */
class HashJoinTest extends LeakCheckedContext {
    private static final Schema LEFT = Schema.of(Field.nullable("k", ColumnType.UTF8), Field.nullable("a", ColumnType.INT64));
    private static final Schema RIGHT = Schema.of(Field.nullable("k", ColumnType.UTF8), Field.nullable("b", ColumnType.FLOAT64));
    private static final String[] KEYS = {"ä", "a", "", "日本", "ab", "aß", "x".repeat(40)};

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void manyDuplicateKeysOnBothSidesJoinEveryPair(final JoinType type) {
        final Random random = new Random(7);
        final List<Object[]> left = new ArrayList<>();
        final List<Object[]> right = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            left.add(new Object[] {random.nextInt(20) == 0 ? null : KEYS[random.nextInt(3)], (long) i});
        }
        for (int i = 0; i < 250; i++) {
            right.add(new Object[] {random.nextInt(20) == 0 ? null : KEYS[random.nextInt(2)], i / 4.0});
        }
        final List<Object[]> got = ctx.fromRows(LEFT, left, 3).join(ctx.fromRows(RIGHT, right, 2), "k", type).collect();
        final List<Object[]> want = nestedLoop(left, right, type);
        assertTrue(want.size() > 40_000, "the fixture must make long match chains: " + want.size());
        assertEquals(canonical(want), canonical(got));
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void aSmallSourceIsBroadcastAndALargeOrComputedRightSideExchangedWithTheSameRows(final JoinType type) {
        final Random random = new Random(13);
        final List<Object[]> left = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            left.add(new Object[] {random.nextInt(30) == 0 ? null : "k" + random.nextInt(3000), (long) i});
        }
        for (final int rightRows : new int[] {50, JoinDataset.BROADCAST_ROWS, JoinDataset.BROADCAST_ROWS + 1}) {
            final List<Object[]> right = new ArrayList<>();
            for (int i = 0; i < rightRows; i++) {
                right.add(new Object[] {random.nextInt(30) == 0 ? null : "k" + random.nextInt(3000), i / 2.0});
            }
            final List<String> want = canonical(nestedLoop(left, right, type));
            final Dataset l = ctx.fromRows(LEFT, left, 5);
            assertEquals(want, canonical(l.join(ctx.fromRows(RIGHT, right, 3), "k", type).collect()), "source of " + rightRows);
            assertEquals(want, canonical(l.join(ctx.fromRows(RIGHT, right, 3).filter(Expr.lit(true)), "k", type).collect()),
                "computed right side of " + rightRows);
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void utf8KeysMatchByBytes(final JoinType type) {
        final Random random = new Random(11);
        final List<Object[]> left = new ArrayList<>();
        final List<Object[]> right = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            final String key = random.nextInt(10) == 0 ? null : KEYS[random.nextInt(KEYS.length)];
            left.add(new Object[] {key, random.nextInt(5) == 0 ? null : (long) i});
        }
        for (int i = 0; i < 9; i++) {
            right.add(new Object[] {i == 8 ? null : KEYS[i % KEYS.length], random.nextInt(4) == 0 ? null : (double) i});
        }
        final List<Object[]> got = ctx.fromRows(LEFT, left, 4).join(ctx.fromRows(RIGHT, right, 3), "k", type).collect();
        assertEquals(canonical(nestedLoop(left, right, type)), canonical(got));
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void emptySidesGiveNoRowsOrUnmatchedLeftRows(final JoinType type) {
        final List<Object[]> some = List.of(new Object[] {"ä", 1L}, new Object[] {null, 2L});
        final List<Object[]> someRight = List.<Object[]>of(new Object[] {"ä", 1.5});
        assertEquals(canonical(nestedLoop(some, List.of(), type)),
            canonical(ctx.fromRows(LEFT, some, 2).join(ctx.fromRows(RIGHT, List.of(), 1), "k", type).collect()));
        assertEquals(List.of(),
            ctx.fromRows(LEFT, List.of(), 1).join(ctx.fromRows(RIGHT, someRight, 2), "k", type).collect());
        assertEquals(List.of(),
            ctx.fromRows(LEFT, List.of(), 1).join(ctx.fromRows(RIGHT, List.of(), 1), "k", type).collect());
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void float64KeysTreatNegativeZeroAsZero(final JoinType type) {
        final Schema l = Schema.of(Field.nullable("d", ColumnType.FLOAT64), Field.notNull("a", ColumnType.INT32));
        final Schema r = Schema.of(Field.nullable("d", ColumnType.FLOAT64), Field.notNull("b", ColumnType.INT32));
        final List<Object[]> left = List.of(new Object[] {-0.0, 1}, new Object[] {0.0, 2}, new Object[] {1.5, 3},
            new Object[] {null, 4}, new Object[] {-1.5, 5});
        final List<Object[]> right = List.of(new Object[] {0.0, 10}, new Object[] {-0.0, 11}, new Object[] {1.5, 12},
            new Object[] {null, 13});
        final List<Object[]> got = ctx.fromRows(l, left, 2).join(ctx.fromRows(r, right, 2), "d", type).collect();
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] x : left) {
            boolean matched = false;
            for (final Object[] y : right) {
                if (x[0] != null && y[0] != null && (double) x[0] == (double) y[0]) {
                    want.add(new Object[] {x[0], x[1], y[1]});
                    matched = true;
                }
            }
            if (!matched && type == JoinType.LEFT) {
                want.add(new Object[] {x[0], x[1], null});
            }
        }
        assertEquals(canonical(want), canonical(got));
        assertEquals(type == JoinType.LEFT ? 7 : 5, got.size(), "-0.0 and 0.0 on each side: four pairs, and 1.5 once");
    }

    @Test
    void severalKeyColumnsMatchOnAllOfThem() {
        final Schema l = Schema.of(Field.nullable("k", ColumnType.UTF8), Field.nullable("n", ColumnType.INT32),
            Field.notNull("a", ColumnType.INT64));
        final Schema r = Schema.of(Field.nullable("k2", ColumnType.UTF8), Field.nullable("n2", ColumnType.INT32),
            Field.notNull("b", ColumnType.INT64));
        final Random random = new Random(5);
        final List<Object[]> left = new ArrayList<>();
        final List<Object[]> right = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            left.add(new Object[] {KEYS[random.nextInt(4)], random.nextInt(10) == 0 ? null : random.nextInt(3), (long) i});
            right.add(new Object[] {KEYS[random.nextInt(4)], random.nextInt(10) == 0 ? null : random.nextInt(3), (long) -i});
        }
        final List<Object[]> got = ctx.fromRows(l, left, 3)
            .join(ctx.fromRows(r, right, 2), List.of("k", "n"), List.of("k2", "n2"), JoinType.LEFT).collect();
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] x : left) {
            boolean matched = false;
            for (final Object[] y : right) {
                if (x[1] != null && y[1] != null && x[0].equals(y[0]) && x[1].equals(y[1])) {
                    want.add(new Object[] {x[0], x[1], x[2], y[0], y[1], y[2]});
                    matched = true;
                }
            }
            if (!matched) {
                want.add(new Object[] {x[0], x[1], x[2], null, null, null});
            }
        }
        assertEquals(canonical(want), canonical(got));
    }

    /** Each left row with the right row's {@code b} of every match (a null for an unmatched LEFT row); null keys never match. */
    private static List<Object[]> nestedLoop(final List<Object[]> left, final List<Object[]> right, final JoinType type) {
        final List<Object[]> want = new ArrayList<>();
        for (final Object[] l : left) {
            boolean matched = false;
            for (final Object[] r : right) {
                if (l[0] != null && Objects.equals(l[0], r[0])) {
                    want.add(new Object[] {l[0], l[1], r[1]});
                    matched = true;
                }
            }
            if (!matched && type == JoinType.LEFT) {
                want.add(new Object[] {l[0], l[1], null});
            }
        }
        return want;
    }
}
