package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/** Shared fixtures: a random table with nulls, contexts per policy, and row-list comparison helpers. */
final class DatasetTestSupport {
    static final Schema SCHEMA = Schema.of(
        Field.nullable("k", ColumnType.INT64),
        Field.nullable("name", ColumnType.UTF8),
        Field.nullable("v", ColumnType.INT32),
        Field.nullable("x", ColumnType.FLOAT64),
        Field.nullable("flag", ColumnType.BOOLEAN));

    private static final String[] NAMES = {"alpha", "Beta", "gamma", "DELTA", "epsilon", "zeta", "éclair", ""};

    private DatasetTestSupport() {
    }

    /** Random rows: ~10% nulls per column, few distinct keys so groups are non-trivial. */
    static List<Object[]> randomRows(final long seed, final int rows) {
        final Random random = new Random(seed);
        final List<Object[]> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            out.add(new Object[] {
                random.nextInt(10) == 0 ? null : (long) random.nextInt(20) - 5,
                random.nextInt(10) == 0 ? null : NAMES[random.nextInt(NAMES.length)],
                random.nextInt(10) == 0 ? null : random.nextInt(2001) - 1000,
                random.nextInt(10) == 0 ? null : (double) (random.nextInt(4001) - 2000) / 8.0,
                random.nextInt(10) == 0 ? null : random.nextBoolean(),
            });
        }
        return out;
    }

    static SchedulerConfig config(final SchedulingPolicy policy, final FaultInjection faults) {
        return SchedulerConfig.builder().name("dataset-test").workers(2).policy(policy).faults(faults).maxAttempts(8)
            .speculation(false).build();
    }

    /** Rows as strings, sorted, so two multisets of rows compare with assertEquals. */
    static List<String> canonical(final List<Object[]> rows) {
        final List<String> out = new ArrayList<>(rows.size());
        for (final Object[] row : rows) {
            out.add(Arrays.deepToString(row));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
