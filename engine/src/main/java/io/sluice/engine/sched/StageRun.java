package io.sluice.engine.sched;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one stage while it runs on a {@link WorkerPool}: commits, part results of split morsels, failure
 * bookkeeping, metrics and completion. Thread-safe; the commit path allocates nothing for unsplit tasks.
 *
 * @param <R> result type
 */
final class StageRun<R> {
    /** {@link #onSuccess} outcomes. */
    static final int NOT_COMMITTED = 0;
    static final int COMMITTED_PART = 1;
    static final int COMMITTED_TASK = 2;
    private static final Logger LOG = LoggerFactory.getLogger(StageRun.class);
    private static final int RUNNING = 0, SUCCEEDED = 1, FAILED = 2;
    private static final int FLAG_STOLEN = StageMetrics.STOLEN, FLAG_SPECULATIVE = StageMetrics.SPECULATIVE;
    private static final int STRIDE = 16;
    /** Stands for a null part result in the skip-list map, which refuses nulls. */
    private static final Object NULL_PART = new Object();

    private final Stage<R> stage;
    private final SchedulerConfig config;
    private final int tasks;
    private final Object[] results;
    /** Null when no task of the stage is splittable (then no morsel is ever a part). */
    private final AtomicReferenceArray<ConcurrentSkipListMap<Long, Object>> partResults;
    private final AtomicLongArray remainingRows;
    // Metrics of task t are written only by the attempt that committed t (whole tasks, exclusive by the commit
    // CAS) or under the lock of t's part map (split tasks); the driver reads them after the completion count
    // reached the task count, a chain of atomic increments that orders every write before the read.
    private final long[] queueWaitNanos;
    private final long[] runNanos;
    private final int[] worker;
    private final int[] attempt;
    private final int[] parts;
    private final byte[] flags;
    /** Per-worker figures (plus the caller's slot with caller-runs), one cache line apart so workers do not share a line. */
    private final AtomicLongArray busyNanos;
    private final AtomicLongArray steals;
    /** Attempts each worker finished (any outcome); with {@link #busyNanos}, the worker's rate in this stage. */
    private final AtomicLongArray attemptsRun;
    private final HeldChunks held;
    private final AtomicLong speculativeCopies = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong replacements = new AtomicLong();
    private final AtomicLong lastSpeculationCheck;
    private final AtomicInteger status = new AtomicInteger(RUNNING);
    private final Map<Integer, Queue<Throwable>> causes = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final StageStats stats;
    private final Placement.Claims claims;
    private final TaskStates taskStates;
    private final long startNanos;
    private volatile long endNanos;
    private volatile String failureMessage;
    private volatile int failedTask = -1;
    private volatile int failedAttempts;
    /** The caller-runs helper of the thread that runs this stage, interrupted when the stage ends; null if none. */
    private final CallerRuns caller;

    StageRun(final Stage<R> stage, final SchedulerConfig config, final Placement.Claims claims, final CallerRuns caller) {
        this.stage = stage;
        this.caller = caller;
        this.config = config;
        this.tasks = stage.size();
        this.results = new Object[tasks];
        this.queueWaitNanos = new long[tasks];
        this.runNanos = new long[tasks];
        this.worker = new int[tasks];
        this.attempt = new int[tasks];
        this.parts = new int[tasks];
        this.flags = new byte[tasks];
        final int runners = config.workers() + (config.callerRuns() ? 1 : 0);
        this.busyNanos = new AtomicLongArray(runners * STRIDE);
        this.steals = new AtomicLongArray(runners * STRIDE);
        this.attemptsRun = new AtomicLongArray(runners * STRIDE);
        this.held = new HeldChunks(runners);
        // The median of the last 4096 run times is as good a straggler yardstick as of all of them, and cheaper.
        this.stats = new StageStats(tasks, Math.max(16, Math.min(tasks, 4096)));
        this.claims = claims;
        this.taskStates = new TaskStates(tasks, !config.speculation());
        // Only split tasks count rows down and keep part results: a stage without one allocates neither array.
        boolean splittable = false;
        for (int i = 0; i < tasks && !splittable; i++) {
            splittable = stage.tasks().get(i).isSplittable();
        }
        this.partResults = splittable ? new AtomicReferenceArray<>(tasks) : null;
        this.remainingRows = splittable ? new AtomicLongArray(tasks) : null;
        for (int i = 0; splittable && i < tasks; i++) {
            final Task<R> task = stage.tasks().get(i);
            if (task.isSplittable()) {
                remainingRows.lazySet(i, task.to() - task.from());
            }
        }
        this.startNanos = config.clock().nanoTime();
        this.lastSpeculationCheck = new AtomicLong(startNanos);
        if (tasks == 0) {
            finish(SUCCEEDED);
        }
    }

    /**
     * The first attempt of task {@code i}, queued (for the metrics) when the stage was published: a new morsel for a
     * splittable task, else the caller's {@code reusable} whole morsel re-aimed at it (no allocation per task).
     */
    Morsel firstAttempt(final int i, final Morsel reusable, final boolean stolen) {
        final Task<R> task = stage.tasks().get(i);
        if (!task.isSplittable()) {
            return reusable.reuse(this, i, task.from(), task.to(), startNanos, stolen);
        }
        final Morsel m = new Morsel(this, i, task.from(), task.to(), 1, false, true, null);
        m.enqueuedAt(startNanos);
        if (stolen) {
            m.markStolen();
        }
        return m;
    }

    /** The unstarted rest of each runner's claimed chunk of tiny tasks. */
    HeldChunks held() {
        return held;
    }

    /** Commit state of the unsplit tasks. */
    TaskStates taskStates() {
        return taskStates;
    }

    /** Which worker claims which task's first attempt. */
    Placement.Claims claims() {
        return claims;
    }

    Task<R> task(final int i) {
        return stage.tasks().get(i);
    }

    String name() {
        return stage.name();
    }

    Stage<R> stage() {
        return stage;
    }

    long startNanos() {
        return startNanos;
    }

    int tasks() {
        return tasks;
    }

    StageStats stats() {
        return stats;
    }

    boolean isFinished() {
        return status.get() != RUNNING;
    }

    /** Lets one idle worker per interval look for stragglers. */
    boolean claimSpeculationCheck(final long now, final long intervalNanos) {
        final long last = lastSpeculationCheck.get();
        return now - last >= intervalNanos && lastSpeculationCheck.compareAndSet(last, now);
    }

    /** Worker {@code w} finished {@code attempts} more attempts, running {@code nanos} in all. */
    void addBusy(final int w, final long nanos, final int attempts) {
        busyNanos.getAndAdd(w * STRIDE, nanos);
        if (attempts != 0) {
            attemptsRun.getAndAdd(w * STRIDE, attempts);
        }
    }

    /** Mean run time of the attempts worker {@code w} finished (and reported) in this stage, or -1 if none yet. */
    long workerMeanRunNanos(final int w) {
        final long n = attemptsRun.get(w * STRIDE);
        return n == 0 ? -1 : busyNanos.get(w * STRIDE) / n;
    }

    void countSteal(final int w) {
        steals.getAndIncrement(w * STRIDE);
    }

    void countSpeculativeCopy() {
        speculativeCopies.incrementAndGet();
    }

    void countReplacement() {
        replacements.incrementAndGet();
    }

    /**
     * Attempt {@code m} returned {@code out}. Commits it if it is the first attempt of its range to finish, else
     * discards it. Returns {@link #COMMITTED_TASK} when this commit completed its task: the caller must then
     * report it through {@link #tasksCommitted} (workers batch those reports), else {@link #COMMITTED_PART} or
     * {@link #NOT_COMMITTED}.
     */
    int onSuccess(final Morsel m, final Object out, final int w, final long start, final long end) {
        // Commit before dropping the live count: a failing attempt that sees live == 0 then also sees the commit.
        // A committed range's live count is never read again (every reader checks the commit first): skip it.
        final boolean committed = !isFinished() && m.tryCommit();
        if (!committed) {
            m.decrementLive();
            discard(out);
            return NOT_COMMITTED;
        }
        final int t = m.task();
        final long run = end - start;
        final Task<R> task = stage.tasks().get(t);
        if (m.from() == task.from() && m.to() == task.to()) {
            recordMetrics(t, m, w, Math.max(0, start - m.enqueueNanos()), run);
            results[t] = out;
            return COMMITTED_TASK;
        }
        return commitPart(t, task, m, out, w, Math.max(0, start - m.enqueueNanos()), run);
    }

    private void recordMetrics(final int t, final Morsel m, final int w, final long wait, final long run) {
        queueWaitNanos[t] = Math.max(queueWaitNanos[t], wait);
        runNanos[t] += run;
        if (m.from() == stage.tasks().get(t).from()) {
            worker[t] = w;  // the worker of the first part (of the whole task when unsplit)
        }
        attempt[t] = Math.max(attempt[t], m.attempt());
        parts[t]++;
        flags[t] |= (byte) ((m.isStolen() ? FLAG_STOLEN : 0) | (m.isSpeculative() ? FLAG_SPECULATIVE : 0));
    }

    private int commitPart(final int t, final Task<R> task, final Morsel m, final Object out, final int w,
                            final long wait, final long run) {
        ConcurrentSkipListMap<Long, Object> map = partResults.get(t);
        if (map == null) {
            partResults.compareAndSet(t, null, new ConcurrentSkipListMap<>());
            map = partResults.get(t);
        }
        synchronized (map) {
            recordMetrics(t, m, w, wait, run);
        }
        map.put(m.from(), out == null ? NULL_PART : out);
        // The part whose rows bring the count to zero combines: every other part's put happened before its
        // decrement, which happened before this one (a chain of atomic read-modify-writes).
        if (remainingRows.addAndGet(t, -m.rows()) == 0) {
            partResults.set(t, null);
            try {
                results[t] = task.combine(map.values(), NULL_PART);
            } catch (final RuntimeException | Error ex) {
                // The parts went to the merger, which owns them now; the stage fails with its exception.
                causes.computeIfAbsent(t, k -> new ConcurrentLinkedQueue<>()).add(ex);
                if (!isFinished()) {
                    failedTask = t;
                    failureMessage = "stage '" + stage.name() + "' failed: task=" + t + " combining its "
                        + map.size() + " parts threw; cause attached as suppressed";
                    finish(FAILED);
                }
                return COMMITTED_PART;
            }
            return COMMITTED_TASK;
        }
        return COMMITTED_PART;
    }

    /** Hands a result nobody will see to the stage's discarder (nulls and absent discarders: nothing to do). */
    @SuppressWarnings("unchecked")
    void discard(final Object out) {
        final Consumer<? super R> discarder = stage.discarder();
        if (out == null || out == NULL_PART || discarder == null) {
            return;
        }
        try {
            discarder.accept((R) out);
        } catch (final RuntimeException | Error ex) {
            LOG.warn("stage '{}': discarder threw on a dropped result; continuing", stage.name(), ex);
        }
    }

    /**
     * The stage failed and no attempt of it runs any more (the driver drained the workers, whose last writes
     * happen-before it saw them disengaged): discards every committed result and committed part.
     */
    private void discardCommitted() {
        for (int t = 0; t < tasks; t++) {
            final Object out = results[t];
            results[t] = null;
            discard(out);
            final ConcurrentSkipListMap<Long, Object> map = partResults == null ? null : partResults.getAndSet(t, null);
            if (map != null) {
                for (final Object part : map.values()) {
                    discard(part);
                }
            }
        }
    }

    /**
     * {@code n} more tasks completed (reported in batches by the workers that committed them). One contended
     * counter per batch: the stats' finished-task count doubles as the completion count.
     */
    void tasksCommitted(final int n) {
        if (stats.recordTasksFinished(n) == tasks) {
            finish(SUCCEEDED);
        }
    }

    /**
     * Attempt {@code m} threw {@code cause}: the retry to queue, or null (the stage fails once the range used up its
     * attempts and none is live), or {@code m} itself if the stage ended or the range committed (moot: not counted).
     */
    Morsel onFailure(final Morsel m, final Throwable cause) {
        if (isFinished() || m.isCommitted()) {
            m.decrementLive();
            return m;
        }
        causes.computeIfAbsent(m.task(), k -> new ConcurrentLinkedQueue<>()).add(cause);
        final int failures = m.incrementFailures();
        Morsel retry = null;
        if (failures < config.maxAttempts()) {
            retry = m.nextAttempt(failures + 1);
            retry.incrementLive();
            retries.incrementAndGet();
        }
        final int live = m.decrementLive();
        if (retry == null && live == 0 && !m.isCommitted()) {
            failTask(m.task(), failures);
        }
        return retry;
    }

    /** Attempt {@code m} was taken by a worker that died before finishing it; returns the re-run to queue, or null. */
    Morsel onWorkerDied(final Morsel m) {
        countReplacement();
        if (isFinished() || m.isCommitted()) {
            m.decrementLive();
            return null;
        }
        final Morsel again = m.nextAttempt(m.attempt() + 1);
        again.incrementLive();
        m.decrementLive();
        return again;
    }

    private void failTask(final int task, final int failures) {
        failedTask = task;
        failedAttempts = failures;
        failureMessage = "stage '" + stage.name() + "' failed: task=" + task + " failed attempts=" + failures
            + " (maxAttempts=" + config.maxAttempts() + "); causes attached as suppressed";
        finish(FAILED);
    }

    /** Fails the stage for a reason outside its tasks (close, interrupt); no-op if it already finished. */
    void failExternally(final String reason) {
        if (isFinished()) {
            return;
        }
        failureMessage = "stage '" + stage.name() + "' failed: " + reason + " (committed=" + stats.finishedTasks()
            + "/" + tasks + ")";
        finish(FAILED);
    }

    private void finish(final int outcome) {
        if (status.compareAndSet(RUNNING, outcome)) {
            endNanos = config.clock().nanoTime();
            done.countDown();
            // A caller running an attempt of this stage waits for nobody but itself: the end interrupts it as a drain would.
            final CallerRuns helper = caller;
            if (helper != null) {
                helper.interruptIfRunning(this);
            }
        }
    }

    /** Blocks until the stage finished (or fails it if the caller is interrupted). */
    void awaitDone() {
        try {
            done.await();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            failExternally("caller thread interrupted");
        }
    }

    /**
     * The outcome once the stage finished and no attempt of it runs any more. {@code stuck} (null if none)
     * describes attempts that ignored the interrupt past the drain timeout: the stage then fails loudly even if
     * every task committed, as the caller was promised that nothing of the stage runs after it returns.
     */
    @SuppressWarnings("unchecked")
    StageResult<R> outcome(final String stuck) {
        if (stuck != null) {
            if (status.get() == SUCCEEDED) {
                discardCommitted();
                throw new StageFailedException("stage '" + stage.name() + "' failed: all tasks committed but attempts"
                    + " ignore interrupts " + config.drainTimeoutMillis() + " ms (drainTimeoutMillis) after it ended: "
                    + stuck, stage.name(), -1, 0, new Throwable[0]);
            }
            failureMessage = failureMessage + "; attempts ignore interrupts past drainTimeoutMillis="
                + config.drainTimeoutMillis() + ": " + stuck;
        }
        if (status.get() == FAILED) {
            discardCommitted();
            final int task = failedTask;
            final Queue<Throwable> taskCauses = task >= 0 ? causes.get(task) : null;
            final Throwable[] list = taskCauses == null ? new Throwable[0] : taskCauses.toArray(new Throwable[0]);
            throw new StageFailedException(failureMessage, stage.name(), task, failedAttempts, list);
        }
        // This run is done with its arrays: hand them over instead of copying.
        final List<R> list = (List<R>) Arrays.asList(results);
        return new StageResult<>(Collections.unmodifiableList(list), metrics(), summary());
    }

    private StageMetrics metrics() {
        return new StageMetrics(queueWaitNanos, runNanos, worker, attempt, parts, flags);
    }

    private StageSummary summary() {
        final long[] busy = new long[busyNanos.length() / STRIDE];
        long stealCount = 0;
        for (int i = 0; i < busy.length; i++) {
            busy[i] = busyNanos.get(i * STRIDE);
            stealCount += steals.get(i * STRIDE);
        }
        return new StageSummary(endNanos - startNanos, busy, stealCount, speculativeCopies.get(), retries.get(),
            replacements.get());
    }

    @Override
    public String toString() {
        return "StageRun{stage=" + stage.name() + ", committed=" + stats.finishedTasks() + "/" + tasks + ", status="
            + status.get() + '}';
    }
}
