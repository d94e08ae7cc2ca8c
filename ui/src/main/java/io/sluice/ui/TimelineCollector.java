package io.sluice.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.sluice.engine.sched.SchedulerListener;
import io.sluice.engine.sched.Stage;
import io.sluice.engine.sched.StageSummary;

/**
 * Listens to a scheduler and keeps what the timeline shows: the last {@link #STAGES} stages and, per worker, its
 * recent attempts ({@link WorkerLane}); plus run-wide counters. Writers are the workers (each its own lane) and the
 * stage driver (stages run one at a time); nothing here blocks them.
 */
final class TimelineCollector implements SchedulerListener {
    /** Stages kept. */
    static final int STAGES = 64;
    /** Worker replacements kept. */
    static final int REPLACEMENTS_KEPT = 64;

    /** The stage running now and its sequence number, published together. */
    private record Current(Stage<?> stage, long seq) {
    }

    /** A worker thread that died and was replaced. */
    record Replacement(int worker, long stageSeq, long nanos) {
    }

    private final int workers;
    private final WorkerLane[] lanes;
    private final AtomicReferenceArray<StageRecord> stages = new AtomicReferenceArray<>(STAGES);
    private final AtomicLong stagesStarted = new AtomicLong();
    private final AtomicLong stagesFailed = new AtomicLong();
    private final AtomicLong stagesSucceeded = new AtomicLong();
    private final AtomicLong tasksCompleted = new AtomicLong();
    private final AtomicLong replacementCount = new AtomicLong();
    private final ConcurrentLinkedQueue<Replacement> replacements = new ConcurrentLinkedQueue<>();
    private volatile Current current = new Current(null, 0);

    TimelineCollector(final int workers) {
        this.workers = workers;
        this.lanes = new WorkerLane[workers];
        for (int i = 0; i < workers; i++) {
            lanes[i] = new WorkerLane();
        }
    }

    int workers() {
        return workers;
    }

    @Override
    public void onStageStarted(final Stage<?> stage, final int workerCount, final long startNanos) {
        final long seq = stagesStarted.get() + 1;
        stages.set(slot(seq), new StageRecord(seq, stage.name(), stage.size(), startNanos, -1, false, new long[0], 0, 0, 0, 0));
        current = new Current(stage, seq);
        stagesStarted.set(seq);
    }

    @Override
    public void onTaskAttempt(final Stage<?> stage, final int task, final int attempt, final int worker, final long startNanos,
                              final long endNanos, final int flags) {
        final Current c = current;
        // Every attempt is reported before its stage finishes, and stages run one at a time: c is its stage.
        lanes[worker].add(c.stage() == stage ? c.seq() : 0, task, attempt, startNanos, endNanos, flags);
    }

    @Override
    public void onWorkerReplaced(final Stage<?> stage, final int worker, final long nanos) {
        final Current c = current;
        replacements.add(new Replacement(worker, c.stage() == stage ? c.seq() : 0, nanos));
        replacementCount.incrementAndGet();
        while (replacements.size() > REPLACEMENTS_KEPT) {
            replacements.poll();
        }
    }

    @Override
    public void onStageFinished(final Stage<?> stage, final StageSummary summary, final long endNanos) {
        final Current c = current;
        if (c.stage() != stage) {
            return;
        }
        final StageRecord started = stages.get(slot(c.seq()));
        if (summary == null) {
            stagesFailed.incrementAndGet();
            stages.set(slot(c.seq()), new StageRecord(c.seq(), started.name(), started.tasks(), started.startNanos(), endNanos, true,
                new long[0], 0, 0, 0, 0));
            return;
        }
        stagesSucceeded.incrementAndGet();
        tasksCompleted.addAndGet(stage.size());
        final long[] busy = new long[summary.workers()];
        for (int w = 0; w < busy.length; w++) {
            busy[w] = summary.busyNanos(w);
        }
        stages.set(slot(c.seq()), new StageRecord(c.seq(), started.name(), started.tasks(), started.startNanos(), endNanos, false, busy,
            summary.steals(), summary.speculativeCopies(), summary.retries(), summary.workerReplacements()));
    }

    private static int slot(final long seq) {
        return (int) ((seq - 1) % STAGES);
    }

    /** The newest {@code count} stages that finished, oldest first (a record may be missing if overwritten meanwhile). */
    List<StageRecord> latestFinished(final int count) {
        final long last = stagesStarted.get();
        final List<StageRecord> out = new ArrayList<>();
        for (long seq = last; seq >= Math.max(1, last - STAGES + 1) && out.size() < count; seq--) {
            final StageRecord r = stages.get(slot(seq));
            if (r != null && r.seq() == seq && r.endNanos() >= 0) {
                out.add(0, r);
            }
        }
        return out;
    }

    WorkerLane lane(final int worker) {
        return lanes[worker];
    }

    List<Replacement> replacements() {
        return List.copyOf(replacements);
    }

    long stagesStarted() {
        return stagesStarted.get();
    }

    long stagesFailed() {
        return stagesFailed.get();
    }

    long stagesSucceeded() {
        return stagesSucceeded.get();
    }

    /** Tasks of the stages that succeeded (each committed exactly once, possibly in several split parts). */
    long tasksCompleted() {
        return tasksCompleted.get();
    }

    long workerReplacements() {
        return replacementCount.get();
    }

    /** Sum over workers of counter {@code which} ({@link WorkerLane} indices). */
    long total(final int which) {
        long sum = 0;
        for (final WorkerLane lane : lanes) {
            sum += lane.counter(which);
        }
        return sum;
    }
}
