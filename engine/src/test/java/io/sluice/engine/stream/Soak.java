package io.sluice.engine.stream;

import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

import io.sluice.engine.dataset.ExecutionContext;
import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.Scheduler;
import io.sluice.engine.sched.SchedulerConfig;
import io.sluice.engine.sched.SchedulerListener;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageSummary;
import io.sluice.engine.stream.dstream.DStreamGraph;
import io.sluice.engine.stream.source.TcpLineSource;
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
 *
 * <p>Source disconnects: a second input, a {@link TcpLineSource} reading numbered lines from a {@link SoakLineServer}
 * in the same JVM that drops the connection at seeded random points (clean closes and resets mid-line). TCP is not
 * replayable, so across a kill -9 what the receiver held and had not yet logged is lost: the checks are the
 * at-most-once ones, every line received is whole and valid (none split, joined or corrupted), no line of this run
 * arrives twice, and the receiver reconnected after every drop (connections made at least drops plus one at the
 * clean shutdown). The generator input keeps the exact comparison with an uninterrupted run.
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
    private final AtomicLong tcpLines = new AtomicLong();
    private final AtomicLong tcpReplayed = new AtomicLong();
    private final BitSet tcpSeen = new BitSet();
    private BufferAllocator allocator;
    private SoakLineServer server;
    private TcpLineSource tcp;

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

    /** Adds the TCP input and its line server to the child's job, unless {@code soak} is null. */
    static void addTcpInput(final Soak soak, final StreamingContext context, final DStreamGraph graph) throws IOException {
        if (soak != null) {
            soak.addTcpInput(context, graph);
        }
    }

    private void addTcpInput(final StreamingContext context, final DStreamGraph graph) throws IOException {
        final long run = ProcessHandle.current().pid();
        server = new SoakLineServer(run, seed);
        tcp = TcpLineSource.builder("soak-tcp", "127.0.0.1", server.port()).blockRows(64)
            .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(50)).build();
        graph.stream(context.input(tcp)).foreachBatch((time, lines) -> {
            for (final Object[] row : lines.collect()) {
                final long seq = SoakLineServer.valid(run, (String) row[0]);
                if (seq < 0) {
                    // logged by an earlier run before its kill, replayed from the write-ahead log
                    tcpReplayed.incrementAndGet();
                    continue;
                }
                synchronized (tcpSeen) {
                    if (tcpSeen.get((int) seq)) {
                        throw new IllegalStateException("TCP line received twice: '" + row[0] + "'");
                    }
                    tcpSeen.set((int) seq);
                }
                tcpLines.incrementAndGet();
            }
        });
    }

    /**
     * Stops the graph and closes {@code exec}; unless {@code soak} is null, first the line server drops no more
     * ({@link #finishTcp}, if a step did not do it yet), the child waits (60 s at most, a safety net) until batch
     * time {@code time} completed (the stepped loop waited for it already; a restart at the end did not, and its
     * replayed batches may still be queued), and the stop is immediate: a graceful one would cut one more batch time
     * for what the TCP receiver still holds, and so commit one more (empty) batch time of the generator input than the
     * uninterrupted run has. Then the line server stops, a reconnect per drop is checked and the run's final figures
     * printed. Without {@code soak}, a graceful stop.
     */
    static void stop(final Soak soak, final DStreamGraph graph, final ExecutionContext exec, final StreamingContext context,
                     final long time) throws IOException, InterruptedException {
        if (soak != null) {
            soak.finishTcp();
            context.awaitBatchCompleted(time, Duration.ofSeconds(60));
        }
        graph.stop(soak == null);
        exec.close();
        if (soak != null) {
            soak.closeTcp(time);
        }
    }

    /**
     * The line server drops no more, and the child waits (60 s at most, a safety net) until the receiver has
     * reconnected after the last drop. Done before the step to the last batch time, so the wait does not widen the
     * window between the last batch and the clean shutdown.
     */
    private void finishTcp() {
        server.finish();
        awaitAtMostAMinute(() -> server.accepted() > server.drops());
    }

    /** Waits until {@code condition} holds, 60 s at most: a safety net, what follows checks the outcome. */
    private static void awaitAtMostAMinute(final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Unless {@code soak} is null, a restart at or after the last batch time ({@code atEnd}) waits (60 s at most, a
     * safety net) for {@code reported}: the TCP input logs nearly every batch time, so such a restart resumes with the
     * logged batch times after the snapshot replayed, and the replay reports the state. Without the wait the stepped
     * loop would race the replay and step past the end, committing a batch time the uninterrupted run does not have.
     */
    static void awaitReplayedState(final Soak soak, final boolean atEnd, final BooleanSupplier reported) {
        if (soak != null && atEnd) {
            awaitAtMostAMinute(reported);
        }
    }

    private void closeTcp(final long time) throws IOException, InterruptedException {
        server.close();
        if (tcp.connections() < server.drops() + 1) {
            throw new IllegalStateException("TCP receiver made " + tcp.connections() + " connections for " + server.drops()
                + " drops: it did not reconnect after every drop");
        }
        report(time);
    }

    private void sample() {
        final long held = allocator.bytesOutstanding() + allocator.bytesPooled();
        peakHeld.accumulateAndGet(held, Math::max);
    }

    /**
     * Prints this run's running figures after the step to batch time {@code time}, unless {@code soak} is null; from
     * {@code finishAt} on, the line server drops no more ({@link #finishTcp}).
     */
    static void report(final Soak soak, final long time, final long finishAt) {
        if (soak != null) {
            soak.report(time);
            if (time >= finishAt) {
                soak.finishTcp();
            }
        }
    }

    private void report(final long time) {
        sample();
        System.out.println("SOAK time=" + time + " attempts=" + attempts.get() + " failedAttempts=" + failedAttempts.get()
            + " workerDeaths=" + workerDeaths.get() + " slowStalls=" + stalls.get() + " peakHeldBytes=" + peakHeld.get()
            + " budgetBytes=" + BUDGET_BYTES + " tcpSent=" + server.sent() + " tcpLines=" + tcpLines.get() + " tcpReplayed="
            + tcpReplayed.get() + " tcpDrops=" + server.drops() + " tcpConnections=" + tcp.connections() + " tcpRejected="
            + tcp.rejectedRecords());
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
