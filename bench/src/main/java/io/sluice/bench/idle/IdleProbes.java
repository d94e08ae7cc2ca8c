package io.sluice.bench.idle;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.sluice.bench.SpinCost;
import io.sluice.bench.harness.ThreadCpu;
import io.sluice.bench.stream.Quantiles;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.StageResult;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.Task;

/**
 * The three measurements of an idle configuration: the application's throughput beside a pool that runs a tiny stage
 * every interval (and the pool's CPU meanwhile), the wake-up latency of a stage submitted after an idle gap, and the
 * rate of short stages run back to back. Each makes its own scheduler and closes it.
 */
final class IdleProbes {
    /** xorshift rounds of one application job unit (tens of microseconds). */
    private static final int APP_UNIT_ROUNDS = 20_000;
    /** xorshift rounds of one task of the back-to-back stages (well under a microsecond). */
    private static final int SHORT_TASK_ROUNDS = 200;
    /** Time the driver runs before the application's measurement starts, so the pool is in its steady state. */
    private static final long SETTLE_NANOS = 200_000_000L;
    /** Warm-up of a wake or back-to-back run: this many stages, or this long when fewer fit (busy spinning starves the caller). */
    private static final int WARM_STAGES = 2_000;
    private static final long WARM_NANOS = 300_000_000L;
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @SuppressWarnings("unused") // written so the job loops have an effect
    private static volatile long sink;

    private IdleProbes() {
    }

    /** The application's side of one run: job units per second, and what the pool did meanwhile. */
    record AppCost(Job app, double poolCpuMillisPerSecond, double stagesPerSecond) {
        double unitsPerSecond() {
            return app.unitsPerSecond();
        }
    }

    /**
     * The application job's figures: units per wall second, and the share of the wall time its thread got a core (its
     * CPU time over wall time), so units per CPU second = units per second / share.
     */
    record Job(double unitsPerSecond, double cpuShare) {
        double unitsPerCpuSecond() {
            return cpuShare > 0 ? unitsPerSecond / cpuShare : Double.NaN;
        }
    }

    /** Wake-up latency percentiles in microseconds: submit to the first task's start, and submit to the stage's end. */
    record Wake(double firstStartP50, double firstStartP99, double doneP50, double doneP99) {
    }

    /**
     * The application alone: job units per second on this thread for {@code measureNanos}, after the same settling
     * pause as beside a pool (a thread that slept gets a head start from the OS scheduler: both sides get it).
     */
    static AppCost appAlone(final long measureNanos) {
        LockSupport.parkNanos(SETTLE_NANOS);
        return new AppCost(appJob(measureNanos), 0, 0);
    }

    private static Job appJob(final long measureNanos) {
        final long cpu0 = THREADS.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        final long end = start + measureNanos;
        long x = start | 1;
        long units = 0;
        long now;
        do {
            x = SpinCost.work(x, APP_UNIT_ROUNDS);
            units++;
            now = System.nanoTime();
        } while (now - end < 0);
        sink = x;
        final long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        return new Job(units * 1e9 / (now - start), cpu0 < 0 ? Double.NaN : cpu / (double) (now - start));
    }

    /**
     * The application on this thread for {@code measureNanos} while a driver thread runs a stage of one trivial task
     * per worker every {@code intervalNanos} on a pool of {@code contender}: the application's units per second, the
     * pool's worker threads' CPU time per wall second, and the stages run per second.
     */
    static AppCost appBesidePool(final IdleContender contender, final int workers, final long intervalNanos,
                                 final long measureNanos) throws InterruptedException {
        final String name = "idle-" + POOLS.incrementAndGet();
        final String prefix = "sluice-worker-" + name + "-";
        final AtomicLong stages = new AtomicLong();
        final List<Task<Integer>> tasks = trivialTasks(workers);
        try (Scheduler scheduler = Scheduler.create(contender.config(name, workers))) {
            final Driver driver = new Driver(scheduler, tasks, intervalNanos, stages);
            final Thread thread = new Thread(driver, "idle-bench-driver");
            thread.start();
            try {
                LockSupport.parkNanos(SETTLE_NANOS);
                final Map<Long, Long> cpu0 = ThreadCpu.snapshot(n -> n.startsWith(prefix));
                final long stages0 = stages.get();
                final long wall0 = System.nanoTime();
                final Job units = appJob(measureNanos);
                final long wall = System.nanoTime() - wall0;
                final long cpu = ThreadCpu.delta(cpu0, ThreadCpu.snapshot(n -> n.startsWith(prefix)));
                return new AppCost(units, cpu / 1e6 / (wall / 1e9), (stages.get() - stages0) / (wall / 1e9));
            } finally {
                driver.stop();
                thread.join();
                driver.rethrow();
            }
        }
    }

    /**
     * {@code samples} stages of one task per worker, each submitted after the pool idled {@code gapNanos}: percentiles
     * of submit to the earliest task start, and of submit to {@code run} returning.
     */
    static Wake wake(final IdleContender contender, final int workers, final long gapNanos, final int samples) {
        final List<Task<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
            tasks.add(Task.of(ctx -> System.nanoTime()));
        }
        final Stage<Long> stage = Stage.of("wake", tasks);
        final long[] first = new long[samples];
        final long[] done = new long[samples];
        try (Scheduler scheduler = Scheduler.create(contender.config("idle-" + POOLS.incrementAndGet(), workers))) {
            warm(scheduler, stage);
            for (int i = 0; i < samples; i++) {
                LockSupport.parkNanos(gapNanos);
                final long t0 = System.nanoTime();
                final StageResult<Long> result = scheduler.run(stage);
                done[i] = System.nanoTime() - t0;
                long min = Long.MAX_VALUE;
                for (int t = 0; t < workers; t++) {
                    min = Math.min(min, result.result(t));
                }
                first[i] = min - t0;
            }
        }
        return new Wake(Quantiles.nearestRank(first, 0.5) / 1e3, Quantiles.nearestRank(first, 0.99) / 1e3,
            Quantiles.nearestRank(done, 0.5) / 1e3, Quantiles.nearestRank(done, 0.99) / 1e3);
    }

    /** Stages of four short tasks per worker run back to back for {@code measureNanos}: stages per second. */
    static double backToBack(final IdleContender contender, final int workers, final long measureNanos) {
        final List<Task<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < 4 * workers; t++) {
            tasks.add(Task.of(ctx -> SpinCost.work(ctx.taskId() + 1L, SHORT_TASK_ROUNDS)));
        }
        final Stage<Long> stage = Stage.of("short", tasks);
        try (Scheduler scheduler = Scheduler.create(contender.config("idle-" + POOLS.incrementAndGet(), workers))) {
            warm(scheduler, stage);
            final long start = System.nanoTime();
            long n = 0;
            long now;
            do {
                scheduler.run(stage);
                n++;
                now = System.nanoTime();
            } while (now - start < measureNanos);
            return n * 1e9 / (now - start);
        }
    }

    private static void warm(final Scheduler scheduler, final Stage<Long> stage) {
        final long start = System.nanoTime();
        for (int i = 0; i < WARM_STAGES && System.nanoTime() - start < WARM_NANOS; i++) {
            scheduler.run(stage);
        }
    }

    private static List<Task<Integer>> trivialTasks(final int n) {
        final List<Task<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            tasks.add(Task.of(ctx -> ctx.taskId()));
        }
        return tasks;
    }

    /** Runs the stage every interval (a micro-batch cadence), until stopped; keeps the first failure. */
    private static final class Driver implements Runnable {
        private final Scheduler scheduler;
        private final Stage<Integer> stage;
        private final long intervalNanos;
        private final AtomicLong stages;
        private volatile boolean stopped;
        private volatile Throwable failure;

        Driver(final Scheduler scheduler, final List<Task<Integer>> tasks, final long intervalNanos, final AtomicLong stages) {
            this.scheduler = scheduler;
            this.stage = Stage.of("tick", tasks);
            this.intervalNanos = intervalNanos;
            this.stages = stages;
        }

        void stop() {
            stopped = true;
        }

        void rethrow() {
            if (failure != null) {
                throw new IllegalStateException("idle-bench driver failed", failure);
            }
        }

        @Override
        public void run() {
            try {
                long next = System.nanoTime();
                while (!stopped) {
                    scheduler.run(stage);
                    stages.incrementAndGet();
                    next += intervalNanos;
                    long wait;
                    while (!stopped && (wait = next - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    // Fell behind (a loaded machine): the cadence restarts from now instead of catching up in a burst.
                    next = Math.max(next, System.nanoTime() - intervalNanos);
                }
            } catch (final Throwable t) {
                failure = t;
            }
        }
    }
}
