package io.sluice.bench.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;
import io.sluice.engine.sched.TaskContext;

/**
 * The scheduling benchmark's workloads. Costs are sleep-based (a morsel parks for rows x {@link #NANOS_PER_ROW}
 * x slowdown), so W can exceed the 2 cores of the measuring machine and the makespan measures placement, not CPU.
 * Every partition is a splittable morsel task of {@link #TOTAL_ROWS} / {@link #PARTITIONS} rows on average.
 */
public enum Workload {
    /** 64 equal partitions. */
    UNIFORM,
    /** 64 partitions whose sizes follow Zipf(s = 1.1): the largest holds a quarter of the rows. */
    ZIPF,
    /** UNIFORM with worker 0 four times slower. */
    SLOW_WORKER;

    /** Rows over all partitions. */
    public static final long TOTAL_ROWS = 1L << 22;
    public static final int PARTITIONS = 64;
    /** Sleep per row: the whole stage is TOTAL_ROWS x 100 ns = 419 ms of work. */
    public static final long NANOS_PER_ROW = 100;
    /** Smallest morsel: 16384 rows = 1.6 ms, long against the park timer's slack. */
    public static final long MIN_MORSEL_ROWS = 1L << 14;
    public static final double SLOW_FACTOR = 4.0;
    private static final double ZIPF_S = 1.1;

    /** Partition sizes in rows, summing to TOTAL_ROWS. */
    public long[] partitionRows() {
        final long[] rows = new long[PARTITIONS];
        if (this == ZIPF) {
            double norm = 0;
            for (int i = 1; i <= PARTITIONS; i++) {
                norm += 1.0 / Math.pow(i, ZIPF_S);
            }
            long assigned = 0;
            for (int i = 0; i < PARTITIONS; i++) {
                // Spread the big partitions over the worker indices so static is not trivially worst on worker 0.
                final int slot = (int) ((i * 37L) % PARTITIONS);
                rows[slot] = (long) (TOTAL_ROWS / Math.pow(i + 1, ZIPF_S) / norm);
                assigned += rows[slot];
            }
            rows[0] += TOTAL_ROWS - assigned;
        } else {
            for (int i = 0; i < PARTITIONS; i++) {
                rows[i] = TOTAL_ROWS / PARTITIONS;
            }
        }
        return rows;
    }

    /** Injection for this workload: worker 0 slower for SLOW_WORKER, none otherwise. */
    public FaultInjection faults() {
        return this == SLOW_WORKER ? FaultInjection.none().slowWorker(0, SLOW_FACTOR) : FaultInjection.none();
    }

    /** The stage: one splittable task per partition, each returning the rows it covered. */
    public Stage<Long> stage() {
        final long[] rows = partitionRows();
        final List<Task<Long>> tasks = new ArrayList<>(rows.length);
        for (final long r : rows) {
            tasks.add(Task.splittable(0, r, Workload::runMorsel, Long::sum));
        }
        return Stage.of(name(), tasks);
    }

    private static Long runMorsel(final TaskContext ctx) {
        final long rows = ctx.to() - ctx.from();
        sleepNanos((long) (rows * NANOS_PER_ROW * ctx.slowdown()));
        return rows;
    }

    /** Sleeps {@code nanos}, re-parking after early returns. */
    public static void sleepNanos(final long nanos) {
        final long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            LockSupport.parkNanos(left);
            left = deadline - System.nanoTime();
        }
    }

    /**
     * The ideal lower bound of the issue, LB = max(total work / W, largest indivisible task), in nanos; the
     * indivisible unit of a splittable partition is one minimum morsel. (With the slow worker the capacity is
     * really W - 1 + 1/4 workers; {@link #slowAwareBoundNanos} gives that tighter bound.)
     */
    public long lowerBoundNanos(final int workers) {
        final long total = TOTAL_ROWS * NANOS_PER_ROW;
        final long largestIndivisible = MIN_MORSEL_ROWS * NANOS_PER_ROW;
        return Math.max(total / workers, largestIndivisible);
    }

    /** total / (W - 1 + 1 / SLOW_FACTOR) for SLOW_WORKER, else {@link #lowerBoundNanos}. */
    public long slowAwareBoundNanos(final int workers) {
        if (this != SLOW_WORKER) {
            return lowerBoundNanos(workers);
        }
        final double capacity = workers - 1 + 1 / SLOW_FACTOR;
        return Math.max((long) (TOTAL_ROWS * NANOS_PER_ROW / capacity), (long) (MIN_MORSEL_ROWS * NANOS_PER_ROW * SLOW_FACTOR));
    }

    /** Prints LB per workload and W, for the report. */
    public static void main(final String[] args) {
        for (final Workload w : values()) {
            for (final int workers : new int[] {2, 4, 8, 16}) {
                System.out.printf("%s W=%d LB=%.3f ms slowAware=%.3f ms%n", w, workers, w.lowerBoundNanos(workers) / 1e6,
                    w.slowAwareBoundNanos(workers) / 1e6);
            }
        }
    }
}
