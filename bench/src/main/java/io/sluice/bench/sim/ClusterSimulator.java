package io.sluice.bench.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.Morsel;
import io.sluice.engine.sched.Placement;
import io.sluice.engine.sched.SpeculationPolicy;
import io.sluice.engine.sched.SplitShare;
import io.sluice.engine.sched.StageStats;
import io.sluice.engine.sched.WorkStealingPlacement;

/**
 * A single-threaded discrete-event simulation of one stage on virtual workers in virtual time. It drives the very
 * objects the threaded schedulers use: the policy's {@link Placement} (first-attempt claims, queues, stealing,
 * morsel splitting), a {@link StageStats} fed with committed run times, {@link SpeculationPolicy#shouldSpeculate}
 * and {@link FaultInjection#failAttempt}. Only time and threads are simulated:
 * <ul>
 *   <li>an attempt of r rows on worker w completes at {@code start + r x nanosPerRow x slowdown(w)}, plus
 *       {@link SimConfig#attemptOverheadNanos()} (0 unless set);</li>
 *   <li>the {@link SimTask#CLAIMED} tasks form the stage published at time 0: an idle worker takes, in the threaded
 *       worker's order, the next task of its own share ({@link Placement.Claims#nextOwn}; a splittable one goes
 *       through the placement, which splits it), else a queued morsel ({@link Placement#poll}), else a stolen share
 *       ({@link Placement.Claims#steal}); other tasks are offered to the placement's queues at their release time
 *       for their home worker;</li>
 *   <li>whenever something happens, every idle live worker takes work that way (in worker order, repeated while
 *       that yields work, since a split may expose more); under a policy that
 *       {@linkplain Placement.Factory#stealsWork steals}, a worker that missed while work is queued tries again
 *       after {@link SimConfig#stealRetryNanos()} (its idle back-off);</li>
 *   <li>an idle worker with nothing to poll copies the first running, uncopied, original attempt that the
 *       speculation policy flags, given the stage's figures and the running attempt's worker's mean run over the
 *       attempts it ended (as the threaded worker does, so a worker known to be slow has its attempts copied early);
 *       the first attempt of a range to finish commits and the other is cancelled at once, freeing its worker;</li>
 *   <li>with {@link SimConfig#splitRunning}, an idle worker with nothing to take splits the running attempt of a
 *       splittable task with the most time left, as threaded work stealing splits a task that claims its rows in
 *       chunks (here rows are claimed continuously and each rate is the worker's known slowdown), taking the share
 *       {@link SimConfig#splitShare} gives; ranges are split or copied, not both;</li>
 *   <li>an attempt that {@link FaultInjection#failAttempt} fails runs its full time and then loses its work; the
 *       range is offered again (attempt + 1) unless another attempt of it is still running.</li>
 * </ul>
 * Not thread-safe; one {@link #run} at a time. Deterministic for a given config and task list.
 */
public final class ClusterSimulator {
    private final SimConfig config;

    /** A simulator of {@code config}. */
    public ClusterSimulator(final SimConfig config) {
        this.config = config;
    }

    /** Simulates {@code tasks} to completion. */
    public SimResult run(final List<SimTask> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a simulated stage needs at least one task");
        }
        return new Run(tasks).simulate();
    }

    /** All attempts at one row range (original, retries, copy) share one. */
    private static final class Range {
        boolean committed;
        boolean copied;
        boolean split;
        final List<Attempt> live = new ArrayList<>(2);
    }

    /** One attempt running on one worker. */
    private static final class Attempt {
        final Morsel morsel;
        final int attemptNo;
        final boolean speculative;
        final Range range;
        final int worker;
        final long start;
        boolean cancelled;
        /** Rows of the range this attempt still covers (fewer once split) and its completion time. */
        long rows;
        long end;

        Attempt(final Morsel morsel, final int attemptNo, final boolean speculative, final Range range, final int worker,
                final long start) {
            this.morsel = morsel;
            this.attemptNo = attemptNo;
            this.speculative = speculative;
            this.range = range;
            this.worker = worker;
            this.start = start;
            this.rows = morsel.rows();
        }
    }


    /** An event: a task release, an attempt's completion, or a wake-up to poll or speculate. */
    private record Event(long time, long seq, int task, Attempt attempt) implements Comparable<Event> {
        @Override
        public int compareTo(final Event o) {
            final int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** The state of one simulation. */
    private final class Run {
        private final List<SimTask> tasks;
        private final int workers = config.workers();
        private final Placement placement;
        private final Placement.Claims claims;
        /** The task index of each claim index (the {@link SimTask#CLAIMED} tasks in list order). */
        private final int[] claimed;
        private final StageStats stats;
        private final SpeculationPolicy speculation = config.speculation();
        private final FaultInjection faults = config.faults();
        private final PriorityQueue<Event> events = new PriorityQueue<>();
        private final Attempt[] running;
        private final BitSet idle = new BitSet();
        private final long[] busy;
        /** Attempts each worker ended (committed, failed or cancelled): with {@link #busy}, its mean run. */
        private final int[] ended;
        private final long[] remainingRows;
        private final long[] finish;
        private final Map<Morsel, Range> retries = new IdentityHashMap<>();
        private long seq;
        private long queuedRows;
        private long scheduledWake = Long.MAX_VALUE;
        private int finishedTasks;
        private long steals;
        private long copies;
        private long copyWins;
        private long retryCount;

        Run(final List<SimTask> tasks) {
            this.tasks = List.copyOf(tasks);
            this.placement = config.policy().create(workers, config.minMorselRows(), config.seed());
            this.claimed = new int[(int) tasks.stream().filter(t -> t.homeWorker() == SimTask.CLAIMED).count()];
            for (int i = 0, c = 0; i < tasks.size(); i++) {
                if (tasks.get(i).homeWorker() == SimTask.CLAIMED) {
                    claimed[c++] = i;
                }
            }
            this.claims = placement.newClaims(claimed.length);
            this.stats = new StageStats(tasks.size(), Math.max(1024, 4 * tasks.size()));
            this.running = new Attempt[workers];
            this.busy = new long[workers];
            this.ended = new int[workers];
            this.remainingRows = new long[tasks.size()];
            this.finish = new long[tasks.size()];
            for (int w = 0; w < workers; w++) {
                if (!config.isDead(w)) {
                    idle.set(w);
                }
            }
        }

        SimResult simulate() {
            long firstRelease = Long.MAX_VALUE;
            for (int i = 0; i < tasks.size(); i++) {
                final SimTask t = tasks.get(i);
                if (t.homeWorker() >= workers || t.homeWorker() == SimTask.CLAIMED && t.releaseNanos() != 0) {
                    throw new IllegalArgumentException("task=" + i + " homeWorker=" + t.homeWorker() + " releaseNanos="
                        + t.releaseNanos() + ": need a home in [-2, " + workers + "), and release 0 for a claimed task");
                }
                remainingRows[i] = t.rows();
                firstRelease = Math.min(firstRelease, t.releaseNanos());
                events.add(new Event(t.releaseNanos(), seq++, i, null));
            }
            long last = firstRelease;
            while (!events.isEmpty() && finishedTasks < tasks.size()) {
                final long now = events.peek().time();
                while (!events.isEmpty() && events.peek().time() == now) {
                    final Event e = events.poll();
                    if (e.attempt() != null) {
                        if (e.attempt().end == now) {
                            complete(e.attempt(), now);  // else a split moved its end: a stale event
                        }
                    } else if (e.task() >= 0) {
                        release(e.task(), now);
                    } else if (now == scheduledWake) {
                        scheduledWake = Long.MAX_VALUE;
                    }
                }
                dispatch(now);
                last = now;
            }
            if (finishedTasks < tasks.size()) {
                throw new IllegalStateException("simulation stuck at time=" + last + " ns: finished tasks=" + finishedTasks
                    + " of " + tasks.size() + " (work homed on a dead worker under " + config.policy() + "?)");
            }
            return new SimResult(last - firstRelease, finish, busy, steals, copies, copyWins, retryCount);
        }

        private void release(final int task, final long now) {
            final SimTask t = tasks.get(task);
            queuedRows += t.rows();
            if (t.homeWorker() == SimTask.CLAIMED) {
                return;  // claimed by index, as the threaded workers claim a published stage
            }
            final Morsel morsel = new Morsel(task, 0, t.rows(), t.splittable());
            morsel.enqueuedAt(now);
            placement.offer(morsel, t.homeWorker());
        }

        /** What idle worker {@code w} runs next, in the threaded worker's order; null if nothing for it now. */
        private Morsel next(final int w, final long now) {
            int c = claims.nextOwn(w, 1);
            if (c >= 0) {
                return firstAttempt(claimed[c], w, false, now);
            }
            final Morsel queued = placement.poll(w);
            if (queued != null) {
                return queued;
            }
            c = claims.steal(w);
            return c < 0 ? null : firstAttempt(claimed[c], w, true, now);
        }

        /** A claimed task's first attempt; a splittable one goes through the placement, which splits it. */
        private Morsel firstAttempt(final int task, final int w, final boolean stolen, final long now) {
            final SimTask t = tasks.get(task);
            final Morsel m = new Morsel(task, 0, t.rows(), t.splittable());
            m.enqueuedAt(now);
            if (stolen) {
                m.markStolen();
            }
            if (!t.splittable()) {
                return m;
            }
            placement.offer(m, w);
            return placement.poll(w);
        }

        private void dispatch(final long now) {
            boolean progress = true;
            boolean missed = false;
            while (progress) {
                progress = false;
                missed = false;
                for (int w = idle.nextSetBit(0); w >= 0; w = idle.nextSetBit(w + 1)) {
                    if (queuedRows > 0) {
                        final Morsel m = next(w, now);
                        if (m != null) {
                            queuedRows -= m.rows();
                            takeQueued(m, w, now);
                            progress = true;
                            continue;
                        }
                        missed = true;
                    }
                    if (config.splitRunning() && trySplit(w, now)) {
                        progress = true;
                        continue;
                    }
                    if (speculation != null && trySpeculate(w, now)) {
                        progress = true;
                    }
                }
            }
            if (missed && queuedRows > 0 && config.policy().stealsWork()) {
                wakeAt(now + config.stealRetryNanos());
            }
            if (speculation != null && !idle.isEmpty()) {
                wakeAt(nextSpeculationTime(now));
            }
        }

        private void takeQueued(final Morsel m, final int w, final long now) {
            final Range retried = retries.remove(m);
            final Range range = retried == null ? new Range() : retried;
            if (m.isStolen()) {
                steals++;
            }
            start(m, m.attempt(), false, range, w, now);
        }

        private void start(final Morsel m, final int attemptNo, final boolean speculative, final Range range, final int w,
                           final long now) {
            final SimTask t = tasks.get(m.task());
            final long duration = Math.round(m.rows() * t.nanosPerRow() * config.slowdown(w)) + config.attemptOverheadNanos();
            final Attempt a = new Attempt(m, attemptNo, speculative, range, w, now);
            range.live.add(a);
            running[w] = a;
            idle.clear(w);
            a.end = now + duration;
            events.add(new Event(a.end, seq++, -1, a));
        }

        private void stop(final Attempt a, final long now) {
            busy[a.worker] += now - a.start;
            ended[a.worker]++;
            running[a.worker] = null;
            idle.set(a.worker);
            a.range.live.remove(a);
        }

        private void complete(final Attempt a, final long now) {
            if (a.cancelled) {
                return;
            }
            stop(a, now);
            final Range range = a.range;
            final Morsel m = a.morsel;
            if (faults.failAttempt(m.task(), m.from(), a.attemptNo)) {
                if (range.live.isEmpty()) {
                    offerRetry(m, a.rows, range, a.attemptNo + 1, now);
                }
                return;
            }
            range.committed = true;
            stats.recordRun(now - a.start);
            for (final Attempt other : List.copyOf(range.live)) {
                other.cancelled = true;
                stop(other, now);
            }
            if (a.speculative) {
                copyWins++;
            }
            final int task = m.task();
            remainingRows[task] -= a.rows;
            if (remainingRows[task] == 0) {
                finish[task] = now;
                finishedTasks++;
                stats.recordTaskFinished();
            }
        }

        private void offerRetry(final Morsel failed, final long rows, final Range range, final int attemptNo,
                                final long now) {
            if (attemptNo > config.maxAttempts()) {
                throw new IllegalStateException("simulated stage failed: task=" + failed.task() + " rows [" + failed.from()
                    + ", " + failed.to() + ") failed attempts=" + (attemptNo - 1) + " maxAttempts=" + config.maxAttempts());
            }
            final Morsel retry = Morsel.retry(failed.task(), failed.from(), failed.from() + rows, attemptNo);
            retry.enqueuedAt(now);
            retries.put(retry, range);
            retryCount++;
            // The placement routes it, as the threaded workers' retries (static: worker (task + attempt - 1) mod W).
            placement.offer(retry, Placement.ANY_WORKER);
            queuedRows += retry.rows();
        }

        private boolean trySpeculate(final int w, final long now) {
            for (int s = 0; s < workers; s++) {
                final Attempt c = running[s];
                if (c == null || s == w || c.speculative || c.range.copied || c.range.split || c.range.committed) {
                    continue;
                }
                if (speculation.shouldSpeculate(now - c.start, stats, meanRun(s))) {
                    c.range.copied = true;
                    copies++;
                    final Morsel m = c.morsel;
                    start(new Morsel(m.task(), m.from(), m.to(), false), c.attemptNo, true, c.range, w, now);
                    return true;
                }
            }
            return false;
        }

        /** Idle worker {@code w} splits the running attempt with the most time left (threaded minimums apply). */
        private boolean trySplit(final int w, final long now) {
            Attempt victim = null;
            long victimLeft = 0;
            double victimLeftNanos = 0;
            double leftWork = 0;  // normal-speed nanos, over the live workers' speeds (1 / slowdown each)
            double speed = 0;
            for (int s = 0; s < workers; s++) {
                if (!config.isDead(s)) {
                    speed += 1 / config.slowdown(s);
                }
                final Attempt c = running[s];
                if (c == null || s == w || c.speculative || c.range.copied || c.range.committed
                    || !tasks.get(c.morsel.task()).splittable()) {
                    continue;
                }
                final double perRow = tasks.get(c.morsel.task()).nanosPerRow() * config.slowdown(s);
                final long left = c.rows - Math.min(c.rows, (long) Math.ceil((now - c.start) / perRow));
                leftWork += left * tasks.get(c.morsel.task()).nanosPerRow();
                if (left * perRow > victimLeftNanos) {
                    victim = c;
                    victimLeft = left;
                    victimLeftNanos = left * perRow;
                }
            }
            final double own = victim == null ? 0 : tasks.get(victim.morsel.task()).nanosPerRow() * config.slowdown(w);
            final double theirs = victim == null ? 0 : victimLeftNanos / victimLeft;
            final double keep = config.splitShare().keepFraction(victimLeft, theirs, own,
                SplitShare.horizonNanos(leftWork, speed));
            final long partRows = victimLeft - Math.max(1, (long) Math.ceil(victimLeft * keep));
            if (victim == null || Double.isNaN(keep) || partRows * own < WorkStealingPlacement.MIN_RUNNING_SPLIT_NANOS) {
                return false;
            }
            victim.rows -= partRows;
            victim.range.split = true;
            victim.end = victim.start + Math.round(victim.rows * theirs) + config.attemptOverheadNanos();
            events.add(new Event(victim.end, seq++, -1, victim));
            final long partFrom = victim.morsel.from() + victim.rows;
            final Morsel part = new Morsel(victim.morsel.task(), partFrom, partFrom + partRows, false);
            part.enqueuedAt(now);
            part.markStolen();
            steals++;
            start(part, 1, false, new Range(), w, now);
            return true;
        }

        /** Mean run of the attempts worker {@code w} ended in this stage, or -1 if none: as the threaded workers report it. */
        private long meanRun(final int w) {
            return ended[w] == 0 ? -1 : busy[w] / ended[w];
        }

        /**
         * The earliest time a running original is due a copy at today's median, or MAX: past the stage's threshold, or
         * (its worker known to be slow) as soon as it has run the minimum run time.
         */
        private long nextSpeculationTime(final long now) {
            final long median = stats.medianRunNanos();
            if (median < 0) {
                return Long.MAX_VALUE;  // a completion changes this, and completions are events anyway
            }
            final boolean stageRule = stats.finishedTasks() >= speculation.minFinishedFraction() * stats.totalTasks();
            final long threshold = speculation.thresholdNanos(median);
            long next = Long.MAX_VALUE;
            for (int s = 0; s < workers; s++) {
                final Attempt c = running[s];
                if (c == null || c.speculative || c.range.copied) {
                    continue;
                }
                if (stageRule) {
                    next = Math.min(next, Math.max(now + 1, c.start + threshold));
                }
                final long early = Math.max(now + 1, c.start + speculation.minRunNanos());
                if (early < next && speculation.shouldSpeculate(early - c.start, stats, meanRun(s))) {
                    next = early;
                }
            }
            return next;
        }

        private void wakeAt(final long time) {
            if (time >= scheduledWake) {
                return;
            }
            scheduledWake = time;
            events.add(new Event(time, seq++, -1, null));
        }
    }
}
