package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * Splitting running attempts (work stealing, {@link TaskContext#nextChunk}): every row is committed exactly once
 * under random splits, injected failures (before and in the middle of a split attempt), worker kills and
 * speculative copies; exact sums per task, whatever the timing.
 */
class RunningSplitTest {
    private static final long SAFETY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static SchedulerConfig.Builder config(final String name, final int workers) {
        return SchedulerConfig.builder().name("split-" + name).policy(SchedulingPolicy.WORK_STEALING).workers(workers);
    }

    /** A row's value: any row counted twice or lost changes a task's sum. */
    static long value(final long row) {
        long z = row * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }

    private static long expectedSum(final long from, final long to) {
        long sum = 0;
        for (long r = from; r < to; r++) {
            sum += value(r);
        }
        return sum;
    }

    @Test
    void runningAttemptIsSplitAndItsPartsMergeInRowOrder() {
        final long rows = 100_000;
        try (Scheduler scheduler = Scheduler.create(config("forced", 3).minMorselRows(rows).build())) {
            // The first attempt claims one chunk, then waits (60 s at most, a safety net) until an idle worker has
            // split off rows from its end: so the split happens whatever the timing.
            final Task<List<long[]>> task = Task.merging(0, rows, ctx -> {
                final List<long[]> ranges = new ArrayList<>();
                long lo = ctx.from();
                final long deadline = System.nanoTime() + SAFETY_NANOS;
                for (long hi; (hi = ctx.nextChunk(100)) > lo; lo = hi) {
                    ranges.add(new long[] {lo, hi});
                    while (ctx.from() == 0 && ctx.attempt() == 1 && ctx.to() == rows && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(100_000);
                    }
                }
                return ranges;
            }, parts -> {
                final List<long[]> all = new ArrayList<>();
                parts.forEach(all::addAll);
                return all;
            });
            final StageResult<List<long[]>> result = scheduler.run(Stage.of("forced", List.of(task)));
            long next = 0;
            for (final long[] range : result.result(0)) {
                assertEquals(next, range[0], "ranges not contiguous in row order");
                next = range[1];
            }
            assertEquals(rows, next);
            assertTrue(result.metrics().parts(0) >= 2, "parts=" + result.metrics().parts(0));
            assertTrue(result.summary().steals() >= 1, result.summary().toString());
        }
    }

    @Test
    void everyRowCommittedOnceUnderSplitsFailuresKillsAndCopies() {
        for (int seed = 0; seed < 24; seed++) {
            final SplittableRandom random = new SplittableRandom(seed);
            final int workers = 2 + random.nextInt(4);
            final int tasks = 1 + random.nextInt(8);
            final long[] rows = new long[tasks];
            final List<Task<long[]>> list = new ArrayList<>();
            final int s = seed;
            for (int t = 0; t < tasks; t++) {
                rows[t] = random.nextInt(4) == 0 ? random.nextInt(3) : 500 + random.nextInt(20_000);
                final long chunk = 1L << (2 + random.nextInt(7));
                list.add(Task.splittable(0, rows[t], ctx -> sumChunks(ctx, chunk, s), RunningSplitTest::add));
            }
            FaultInjection faults = FaultInjection.none().withSeed(seed).slowWorker(random.nextInt(workers), 4.0);
            if (seed % 3 != 0) {
                faults = faults.failAttempts(0.1);
            }
            if (seed % 2 == 0) {
                faults = faults.killWorkerAfter(random.nextInt(workers), random.nextInt(6));
            }
            final SchedulerConfig.Builder builder = config("random-" + seed, workers).seed(seed).faults(faults)
                .maxAttempts(20).minMorselRows(1 + random.nextInt(4096));
            if (seed % 4 == 1) {
                builder.speculation(true).speculationMinFinishedFraction(0).speculationMinRunNanos(0)
                    .speculationMinGainNanos(0).speculationMultiplier(1.0).speculationCheckIntervalNanos(0);
            }
            try (Scheduler scheduler = Scheduler.create(builder.build())) {
                final StageResult<long[]> result = scheduler.run(Stage.of("random", list));
                for (int t = 0; t < tasks; t++) {
                    final long[] got = result.result(t);
                    assertEquals(rows[t], got == null ? 0 : got[0], "seed=" + seed + " task=" + t + " rows");
                    assertEquals(expectedSum(0, rows[t]), got == null ? 0 : got[1], "seed=" + seed + " task=" + t);
                }
            }
        }
    }

    /**
     * Counts and sums the rows it claims, chunk by chunk, pausing ~20 us x the worker's slowdown per chunk so idle
     * workers find it running; a first attempt chosen by the row it starts at fails after half its chunks.
     */
    private static long[] sumChunks(final TaskContext ctx, final long chunk, final int seed) {
        final boolean failMidway = ctx.attempt() == 1 && (value(seed * 1_000_003L + ctx.taskId() * 7919L + ctx.from()) & 3) == 0;
        final long[] acc = new long[2];
        long lo = ctx.from();
        int chunks = 0;
        for (long hi; (hi = ctx.nextChunk(chunk)) > lo; lo = hi) {
            for (long r = lo; r < hi; r++) {
                acc[0]++;
                acc[1] += value(r);
            }
            LockSupport.parkNanos((long) (20_000 * ctx.slowdown()));
            if (failMidway && ++chunks == 3) {
                throw new IllegalStateException("injected failure in the middle of task=" + ctx.taskId());
            }
        }
        return acc;
    }

    private static long[] add(final long[] a, final long[] b) {
        return new long[] {a[0] + b[0], a[1] + b[1]};
    }

    @Test
    void taskThatStopsClaimingEarlyFailsLoudly() {
        try (Scheduler scheduler = Scheduler.create(config("early", 2).maxAttempts(2).build())) {
            final Task<Long> task = Task.splittable(0, 1000, ctx -> ctx.nextChunk(10) - ctx.from(), Long::sum);
            final StageFailedException ex = assertThrows(StageFailedException.class,
                () -> scheduler.run(Stage.of("early", List.of(task))));
            assertTrue(ex.getSuppressed().length > 0 && ex.getSuppressed()[0].getMessage().contains("not claimed"),
                ex.toString());
        }
    }

    @Test
    void chunksCoverTheRangeUnderEveryPolicyAndForWholeTasks() {
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            try (Scheduler scheduler = Scheduler.create(config("policy-" + policy, 2).policy(policy).build())) {
                final Task<long[]> split = Task.splittable(0, 5000, ctx -> sumChunks(ctx, 7, -1), RunningSplitTest::add);
                final Task<long[]> whole = Task.of(ctx -> sumChunks(ctx, 7, -1));
                final StageResult<long[]> result = scheduler.run(Stage.of("policy", List.of(split, whole)));
                assertEquals(5000, result.result(0)[0], policy.name());
                assertEquals(expectedSum(0, 5000), result.result(0)[1], policy.name());
                assertEquals(0, result.result(1)[0], policy.name());
            }
        }
    }

    @Test
    void aChunkedAttemptWhoseChunkStallsIsCopied() {
        final long rows = 10_000;
        final SchedulerConfig.Builder builder = config("stall", 2).minMorselRows(rows).speculation(true).speculationMinFinishedFraction(0)
            .speculationMinRunNanos(0).speculationMinGainNanos(0).speculationMultiplier(1.0)
            .speculationCheckIntervalNanos(0);
        try (Scheduler scheduler = Scheduler.create(builder.build())) {
            // The first attempt claims all rows but one (no thief can split it: the owner keeps at least a chunk)
            // and then stalls until it is cancelled: only a copy of the whole range can finish the task.
            final Task<long[]> stalling = Task.splittable(0, rows, ctx -> {
                if (ctx.isSpeculative()) {
                    return sumChunks(ctx, rows, -1);
                }
                final long deadline = System.nanoTime() + SAFETY_NANOS;
                ctx.nextChunk(rows - 1);
                while (!ctx.isCancelled() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(100_000);
                }
                return new long[] {-1, -1};
            }, RunningSplitTest::add);
            final List<Task<long[]>> tasks = new ArrayList<>(List.of(stalling));
            for (int t = 0; t < 3; t++) {
                tasks.add(Task.of(ctx -> new long[] {0, 0}));
            }
            final StageResult<long[]> result = scheduler.run(Stage.of("stall", tasks));
            assertEquals(rows, result.result(0)[0]);
            assertEquals(expectedSum(0, rows), result.result(0)[1]);
            assertTrue(result.summary().speculativeCopies() >= 1, result.summary().toString());
        }
    }
}
