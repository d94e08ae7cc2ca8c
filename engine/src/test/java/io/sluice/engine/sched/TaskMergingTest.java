package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A merging task's parts reach its merger once, all at once, in row order, under every policy. */
@Timeout(60)
class TaskMergingTest {
    private static SchedulerConfig config(final SchedulingPolicy policy, final String name) {
        return SchedulerConfig.builder().name("merge-" + name).policy(policy).workers(3).minMorselRows(50).build();
    }

    @Test
    void splitPartsAreMergedOnceInRowOrderAndCoverTheRangeExactly() {
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            final AtomicInteger merges = new AtomicInteger();
            final List<Task<List<Long>>> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                tasks.add(Task.merging(0, 1_000 + 100L * i, ctx -> List.of(ctx.from(), ctx.to()), parts -> {
                    merges.incrementAndGet();
                    final List<Long> ranges = new ArrayList<>();
                    parts.forEach(ranges::addAll);
                    return ranges;
                }));
            }
            try (Scheduler scheduler = Scheduler.create(config(policy, policy.name()))) {
                final StageResult<List<Long>> result = scheduler.run(Stage.of("merge", tasks));
                int split = 0;
                for (int i = 0; i < 12; i++) {
                    final List<Long> ranges = result.result(i);
                    // Row order: each part starts where the previous one ended, from 0 to the task's last row.
                    long next = 0;
                    for (int p = 0; p < ranges.size(); p += 2) {
                        assertEquals(next, ranges.get(p), policy + " task " + i + " parts " + ranges);
                        next = ranges.get(p + 1);
                    }
                    assertEquals(1_000 + 100L * i, next, policy + " task " + i);
                    assertEquals(ranges.size() / 2, result.metrics().parts(i));
                    split += ranges.size() > 2 ? 1 : 0;
                }
                assertEquals(split, merges.get(), policy + ": one merge per split task, none for a whole one");
                if (policy != SchedulingPolicy.STATIC) {
                    assertTrue(split > 0, policy + " split nothing");
                }
            }
        }
    }

    @Test
    void aThrowingMergerFailsTheStageWithItsCause() {
        final IllegalStateException boom = new IllegalStateException("merge boom");
        final Task<Long> task = Task.merging(0, 10_000, ctx -> ctx.to() - ctx.from(), parts -> {
            throw boom;
        });
        try (Scheduler scheduler = Scheduler.create(config(SchedulingPolicy.WORK_STEALING, "throw"))) {
            final StageFailedException ex = assertThrows(StageFailedException.class,
                () -> scheduler.run(Stage.of("merge-throws", List.of(task))));
            assertEquals(0, ex.task());
            assertSame(boom, ex.getSuppressed()[0]);
            // The scheduler is still usable.
            assertEquals(7L, scheduler.run(Stage.of("after", List.of(Task.of(ctx -> 7L)))).result(0));
        }
    }
}
