package io.sluice.engine.stream;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulerListener;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageSummary;
import io.sluice.memory.BufferAllocator;

/**
 * The faults and figures of {@link KillRestartChild} in a {@link SoakTest} run, seeded per child run: an attempt
 * fails with probability {@value #FAIL_PROBABILITY} (up to {@value #MAX_ATTEMPTS} attempts per task; the decision is
 * {@link FaultInjection}'s pure function of the seed, task, first row and attempt number, so within one run the same
 * tasks fail in every batch, and the seed changes with every run), one worker dies
 * at a random morsel, and the other worker is slow: after each of its attempts it stalls for
 * {@value #SLOW_FACTOR_MINUS_ONE} times the attempt's run time (at most {@value #MAX_STALL_MICROS} us), since the
 * scheduler's {@link FaultInjection#slowWorker} factor only stretches tasks that read it and the DStream operators
 * do not. The allocator gets a limit ({@link #LIMIT_BYTES}) and a pool cap ({@link #POOL_BYTES}); their sum is the
 * budget the held bytes (outstanding plus pooled) are sampled against after every stage and every step.
 */
final class Soak {
    static final long LIMIT_BYTES = 96L << 20;
    static final long POOL_BYTES = 32L << 20;
    static final long BUDGET_BYTES = LIMIT_BYTES + POOL_BYTES;
    static final double FAIL_PROBABILITY = 0.3;
    static final int MAX_ATTEMPTS = 8;
    static final int SLOW_FACTOR_MINUS_ONE = 3;
    static final long MAX_STALL_MICROS = 2000;
    private static final int MAX_KILL_AFTER_TASKS = 40;
    /** Chronicle's one background thread per JVM, started on first use and never stopped: not Sluice's to close. */
    private static final String CHRONICLE_RELEASER = "background~resource~releaser";

    private final long seed;
    private final int deadWorker;
    private final int slowWorker;
    private final long killAfterTasks;
    private final Set<Thread> before;
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong workerDeaths = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong peakHeld = new AtomicLong();
    private BufferAllocator allocator;

    Soak(final long seed) {
        this.seed = seed;
        final Random random = new Random(seed);
        deadWorker = random.nextInt(2);
        slowWorker = 1 - deadWorker;
        killAfterTasks = random.nextInt(MAX_KILL_AFTER_TASKS);
        before = new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    BufferAllocator allocator() {
        return new BufferAllocator(LIMIT_BYTES, POOL_BYTES);
    }

    /** {@code config} built, with this run's faults unless {@code soak} is null. */
    static SchedulerConfig configure(final Soak soak, final SchedulerConfig.Builder config) {
        return soak == null ? config.build() : soak.configure(config);
    }

    private SchedulerConfig configure(final SchedulerConfig.Builder config) {
        return config.maxAttempts(MAX_ATTEMPTS).faults(FaultInjection.none().withSeed(seed).failAttempts(FAIL_PROBABILITY)
            .killWorkerAfter(deadWorker, killAfterTasks)).build();
    }

    /** Counts the faults and samples the allocator, unless {@code soak} is null. */
    static void watch(final Soak soak, final Scheduler scheduler, final BufferAllocator watched) {
        if (soak != null) {
            soak.watch(scheduler, watched);
        }
    }

    private void watch(final Scheduler scheduler, final BufferAllocator watched) {
        this.allocator = watched;
        scheduler.addListener(new SchedulerListener() {
            @Override
            public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker, final long startNanos,
                                      final long endNanos, final int flags) {
                attempts.incrementAndGet();
                if ((flags & FAILED) != 0) {
                    failedAttempts.incrementAndGet();
                }
                if (worker == slowWorker) {
                    stalls.incrementAndGet();
                    // parkNanos, not sleep: an interrupt meant for the attempt ends the stall and stays set.
                    LockSupport.parkNanos(Math.min(TimeUnit.MICROSECONDS.toNanos(MAX_STALL_MICROS),
                        SLOW_FACTOR_MINUS_ONE * Math.max(0, endNanos - startNanos)));
                }
            }

            @Override
            public void onWorkerReplaced(final Stage<?> stage, final int worker, final long nanos) {
                workerDeaths.incrementAndGet();
            }

            @Override
            public void onStageFinished(final Stage<?> stage, final StageSummary summary, final long endNanos) {
                sample();
            }
        });
    }

    private void sample() {
        final long held = allocator.bytesOutstanding() + allocator.bytesPooled();
        peakHeld.accumulateAndGet(held, Math::max);
    }

    /** Prints this run's running figures after the step to batch time {@code time}, unless {@code soak} is null. */
    static void report(final Soak soak, final long time) {
        if (soak != null) {
            soak.report(time);
        }
    }

    private void report(final long time) {
        sample();
        System.out.println("SOAK time=" + time + " attempts=" + attempts.get() + " failedAttempts=" + failedAttempts.get()
            + " workerDeaths=" + workerDeaths.get() + " slowStalls=" + stalls.get() + " peakHeldBytes=" + peakHeld.get()
            + " budgetBytes=" + BUDGET_BYTES);
        System.out.flush();
        if (peakHeld.get() > BUDGET_BYTES) {
            throw new IllegalStateException("held bytes " + peakHeld.get() + " over the budget " + BUDGET_BYTES);
        }
    }

    /**
     * After the clean shutdown: fails if a thread of the main group started since the run began is still alive (the
     * wait is only a safety net for a thread that is past its last action).
     */
    static void checkNoThreadLeft(final Soak soak) throws InterruptedException {
        if (soak != null) {
            soak.checkNoThreadLeft();
        }
    }

    private void checkNoThreadLeft() throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Thread> left = started();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.get(0).join(100);
            left = started();
        }
        System.out.println("SOAK-SHUTDOWN threadsLeft=" + left.size() + " bytesOutstanding=0");
        if (!left.isEmpty()) {
            throw new IllegalStateException("threads alive after close: " + left);
        }
    }

    private List<Thread> started() {
        final ThreadGroup main = Thread.currentThread().getThreadGroup();
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && !before.contains(t) && t.getThreadGroup() == main
                && !t.getName().equals(CHRONICLE_RELEASER)).toList();
    }
}
