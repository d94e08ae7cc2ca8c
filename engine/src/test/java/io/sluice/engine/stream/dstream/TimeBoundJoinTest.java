package io.sluice.engine.stream.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.engine.stream.StreamHarness;

/**
 * The event-time join within a time bound against a brute-force model that keeps every on-time row forever: equal
 * output per batch shows the watermark eviction never drops a row that could still match; the held rows show it
 * drops the others. Also the refusal of a join whose state has no eviction bound.
 */
class TimeBoundJoinTest {
    private static final Schema LEFT = Schema.of(Field.notNull("lt", ColumnType.INT64), Field.notNull("k", ColumnType.INT64),
        Field.notNull("lv", ColumnType.INT64));
    private static final Schema RIGHT = Schema.of(Field.notNull("rt", ColumnType.INT64), Field.notNull("k", ColumnType.INT64),
        Field.notNull("rv", ColumnType.INT64));
    private static final long BEFORE = 40;
    private static final long AFTER = 70;
    private static final long LEFT_LATENESS = 100;
    private static final long RIGHT_LATENESS = 30;

    private static final Comparator<List<Long>> ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            final int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    @Test
    void matchesEqualAModelThatNeverEvictsAndStateStaysBounded() throws Exception {
        long matches = 0;
        long lateSeen = 0;
        for (int seed = 0; seed < 20; seed++) {
            final Random random = new Random(seed);
            final long disorder = new long[] {0, 20, 400}[seed % 3];
            try (StreamHarness h = new StreamHarness()) {
                final DStream left = h.input("left", LEFT).withWatermark("lt", Duration.ofMillis(LEFT_LATENESS));
                final DStream right = h.input("right", RIGHT).withWatermark("rt", Duration.ofMillis(RIGHT_LATENESS));
                final TimeBoundJoinDStream join = left.joinWithinTime(right, List.of("k"), List.of("k"), Duration.ofMillis(BEFORE),
                    Duration.ofMillis(AFTER));
                final MemorySink sink = join.collectToMemory();
                h.start();
                final List<long[]> leftKept = new ArrayList<>();
                final List<long[]> rightKept = new ArrayList<>();
                final List<List<List<Long>>> expected = new ArrayList<>();
                long wl = Long.MIN_VALUE;
                long wr = Long.MIN_VALUE;
                long maxL = Long.MIN_VALUE;
                long maxR = Long.MIN_VALUE;
                long late = 0;
                long now = 1000;
                int total = 0;
                for (int b = 0; b < 40; b++) {
                    final List<Object[]> l = new ArrayList<>();
                    final List<Object[]> r = new ArrayList<>();
                    final List<long[]> newL = new ArrayList<>();
                    final List<long[]> newR = new ArrayList<>();
                    for (int i = random.nextInt(15); i > 0; i--) {
                        now += random.nextInt(8);
                        final boolean isLeft = random.nextBoolean();
                        final long ts = now - (random.nextInt(4) == 0 ? random.nextInt((int) disorder + 1) : 0);
                        final long[] row = {ts, random.nextInt(4), random.nextInt(1000)};
                        (isLeft ? l : r).add(new Object[] {row[0], row[1], row[2]});
                        if (isLeft) {
                            maxL = Math.max(maxL, ts);
                            if (ts < wl) {
                                late++;
                            } else {
                                newL.add(row);
                            }
                        } else {
                            maxR = Math.max(maxR, ts);
                            if (ts < wr) {
                                late++;
                            } else {
                                newR.add(row);
                            }
                        }
                        total++;
                    }
                    final List<List<Long>> out = new ArrayList<>();
                    final List<long[]> allR = new ArrayList<>(rightKept);
                    allR.addAll(newR);
                    pairs(newL, allR, out);
                    pairs(leftKept, newR, out);
                    out.sort(ORDER);
                    matches += out.size();
                    expected.add(out);
                    leftKept.addAll(newL);
                    rightKept.addAll(newR);
                    if (maxL != Long.MIN_VALUE) {
                        wl = Math.max(wl, maxL - LEFT_LATENESS);
                    }
                    if (maxR != Long.MIN_VALUE) {
                        wr = Math.max(wr, maxR - RIGHT_LATENESS);
                    }
                    h.batch(l, r);
                }
                final List<List<List<Long>>> actual = new ArrayList<>();
                for (int b = 0; b < 40; b++) {
                    actual.add(new ArrayList<>());
                }
                for (final MemorySink.BatchRows batch : sink.snapshot()) {
                    final List<List<Long>> rows = actual.get((int) (batch.batchTimeMillis() / StreamHarness.INTERVAL) - 1);
                    for (final Object[] row : batch.rows()) {
                        rows.add(Arrays.asList((Long) row[0], (Long) row[1], (Long) row[2], (Long) row[3], (Long) row[4]));
                    }
                    rows.sort(ORDER);
                }
                assertEquals(expected, actual, "seed=" + seed + " disorder=" + disorder);
                assertEquals(late, join.lateRecords(), "seed=" + seed);
                lateSeen += late;
                assertTrue(join.heldRows() < total / 2, "held=" + join.heldRows() + " of " + total + " rows, seed=" + seed);
            }
        }
        assertTrue(matches > 500 && lateSeen > 20, "matches=" + matches + " late=" + lateSeen);
    }

    private static void pairs(final List<long[]> left, final List<long[]> right, final List<List<Long>> out) {
        for (final long[] l : left) {
            for (final long[] r : right) {
                if (l[1] == r[1] && r[0] - BEFORE <= l[0] && l[0] <= r[0] + AFTER) {
                    out.add(Arrays.asList(l[0], l[1], l[2], r[0], r[2]));
                }
            }
        }
    }

    @Test
    void aJoinWithoutAWatermarkOnEitherSideIsRefusedNamingTheOperator() {
        try (StreamHarness h = new StreamHarness()) {
            final DStream left = h.input("left", LEFT);
            final DStream right = h.input("right", RIGHT).withWatermark("rt", Duration.ofSeconds(1));
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> left.joinWithinTime(right, List.of("k"), List.of("k"), Duration.ofSeconds(1), Duration.ofSeconds(1)));
            assertTrue(ex.getMessage().contains("joinWithinTime-0") && ex.getMessage().contains("left")
                && ex.getMessage().contains("withWatermark"), ex.getMessage());
        }
    }
}
