package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every result produced is either returned to the caller, consumed by a combiner or discarded exactly once: a
 * leak tracker stands in for off-heap batches (live set, double release detected).
 */
@Timeout(60)
class StageDiscardTest {
    /** A result that must be released exactly once unless the caller receives it. */
    private static final class Batch {
        final AtomicBoolean released = new AtomicBoolean();
        final long value;

        Batch(final long value) {
            this.value = value;
        }
    }

    /** Counts batches by fate and remembers those still live. */
    private static final class Tracker {
        final Set<Batch> live = ConcurrentHashMap.newKeySet();
        final AtomicLong produced = new AtomicLong();
        final AtomicLong discarded = new AtomicLong();
        final AtomicLong combined = new AtomicLong();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

        Batch produce(final long value) {
            final Batch b = new Batch(value);
            live.add(b);
            produced.incrementAndGet();
            return b;
        }

        void release(final Batch b, final String why) {
            if (!b.released.compareAndSet(false, true) || !live.remove(b)) {
                errors.add("batch " + b.value + " released twice (" + why + ")");
            }
        }

        Batch combine(final Batch a, final Batch b) {
            release(a, "combined");
            release(b, "combined");
            combined.addAndGet(2);
            // The combined batch counts as produced by the combiner.
            return produce(a.value + b.value);
        }

        void discard(final Batch b) {
            discarded.incrementAndGet();
            release(b, "discarded");
        }
    }

    /** Busy-waits {@code micros} x slowdown, deaf to interrupts, so losing attempts finish and produce a result. */
    private static void spin(final TaskContext ctx, final long micros) {
        final long until = System.nanoTime() + (long) (micros * 1000 * ctx.slowdown());
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static Stage<Batch> stage(final Tracker tracker) {
        final List<Task<Batch>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i % 4 == 0) {
                tasks.add(Task.splittable(0, 2000, ctx -> {
                    spin(ctx, 100);
                    long sum = 0;
                    for (long r = ctx.from(); r < ctx.to(); r++) {
                        sum += r;
                    }
                    return tracker.produce(sum);
                }, tracker::combine));
            } else {
                tasks.add(Task.of(ctx -> {
                    spin(ctx, 200);
                    return tracker.produce(ctx.taskId());
                }));
            }
        }
        return Stage.of("tracked", tasks, tracker::discard);
    }

    private static SchedulerConfig.Builder config(final SchedulingPolicy policy, final long seed, final FaultInjection faults) {
        return SchedulerConfig.builder().name("discard-" + policy + "-" + seed).policy(policy).workers(3).seed(seed)
            .minMorselRows(250).faults(faults).speculation(true).speculationMinRunNanos(0).speculationMinGainNanos(0)
            .speculationMinFinishedFraction(0.25).speculationCheckIntervalNanos(0);
    }

    @Test
    void everyProducedResultIsReturnedCombinedOrDiscardedOnceUnderSpeculationAndRetries() {
        long discardedAll = 0;
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            for (long seed = 1; seed <= 6; seed++) {
                final Tracker tracker = new Tracker();
                final FaultInjection faults = FaultInjection.none().withSeed(seed).failAttempts(0.1)
                    .slowWorker((int) (seed % 3), 4.0);
                try (Scheduler scheduler = Scheduler.create(config(policy, seed, faults).maxAttempts(20).build())) {
                    final StageResult<Batch> result = scheduler.run(stage(tracker));
                    assertTrue(tracker.errors.isEmpty(), tracker.errors.toString());
                    // What is live is exactly what the caller received.
                    assertEquals(40, tracker.live.size(), policy + " seed " + seed + " live batches");
                    for (int i = 0; i < 40; i++) {
                        final Batch b = result.result(i);
                        assertTrue(tracker.live.contains(b), "task " + i + " result released");
                        assertEquals(i % 4 == 0 ? 1999L * 2000 / 2 : i, b.value, "task " + i);
                    }
                    assertEquals(tracker.produced.get(), 40 + tracker.combined.get() + tracker.discarded.get(),
                        policy + " seed " + seed + ": produced = committed + combined + discarded");
                    discardedAll += tracker.discarded.get();
                }
            }
        }
        // Speculative copies of spinning stragglers on the slow worker must have lost some races.
        assertTrue(discardedAll > 0, "no result was ever discarded: the test did not exercise losers");
    }

    @Test
    void failedStageDiscardsCommittedResultsPartsAndLateAttempts() {
        int failures = 0;
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            for (long seed = 1; seed <= 6; seed++) {
                final Tracker tracker = new Tracker();
                final FaultInjection faults = FaultInjection.none().withSeed(seed).failAttempts(0.3)
                    .slowWorker((int) (seed % 3), 4.0);
                try (Scheduler scheduler = Scheduler.create(config(policy, seed, faults).maxAttempts(2).build())) {
                    long returned = 0;
                    try {
                        final StageResult<Batch> result = scheduler.run(stage(tracker));
                        // Rare with p = 0.3 and 2 attempts: then the caller owns exactly the results.
                        assertEquals(40, tracker.live.size());
                        result.results().forEach(b -> tracker.release(b, "caller"));
                        returned = 40;
                    } catch (final StageFailedException ex) {
                        failures++;
                    }
                    assertTrue(tracker.errors.isEmpty(), tracker.errors.toString());
                    assertEquals(0, tracker.live.size(), policy + " seed " + seed + ": leaked batches");
                    assertEquals(tracker.produced.get(), returned + tracker.combined.get() + tracker.discarded.get(),
                        policy + " seed " + seed + ": produced = returned + combined + discarded");
                }
            }
        }
        assertTrue(failures > 0, "no stage failed: the test did not exercise failure");
    }

    @Test
    void discarderExceptionIsSwallowedAndEveryOtherDropStillHappens() {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong produced = new AtomicLong();
        try (Scheduler scheduler = Scheduler.create(SchedulerConfig.builder().name("discard-throws").workers(2)
            .policy(SchedulingPolicy.CENTRAL_QUEUE).maxAttempts(1).build())) {
            final List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(Task.of(ctx -> {
                    if (ctx.taskId() == 9) {
                        throw new IllegalStateException("last task fails");
                    }
                    produced.incrementAndGet();
                    return ctx.taskId();
                }));
            }
            final Stage<Integer> stage = Stage.of("throws", tasks).onDiscard(r -> {
                calls.incrementAndGet();
                throw new IllegalArgumentException("discarder fails on " + r);
            });
            assertThrows(StageFailedException.class, () -> scheduler.run(stage));
            // Whether committed before task 9 failed or finished after it, every produced result is discarded,
            // though each discard threw.
            assertTrue(produced.get() > 0);
            assertEquals(produced.get(), calls.get());
        }
    }
}
