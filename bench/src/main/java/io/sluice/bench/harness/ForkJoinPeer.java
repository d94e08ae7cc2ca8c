package io.sluice.bench.harness;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.sluice.bench.TaskCost;
import io.sluice.bench.Contender;

/**
 * The ForkJoinPool peer: the same {@link MorselJob} on a {@link ForkJoinPool} of W threads, each partition a task
 * that halves its range while it has at least {@code 2 x minMorselRows} rows (the Sluice splitting rule: fork the
 * upper half, keep the lower). The thread of pool index i plays worker {@code i mod W}, with its slowdown. A failing
 * first morsel does its work, loses it and runs again in place (ForkJoinPool has no retry of its own).
 */
final class ForkJoinPeer {
    private ForkJoinPeer() {
    }

    /** Runs the whole job once on {@code pool} and returns its record (repetition {@code repetition}). */
    static RunRecord run(final ForkJoinPool pool, final MorselJob job, final TaskCost cost, final int repetition) {
        final int workers = job.workers();
        final AtomicLongArray busy = new AtomicLongArray(workers);
        final AtomicLong retries = new AtomicLong();
        final AtomicLongArray rowsDone = new AtomicLongArray(job.tasks());
        final long stealsBefore = pool.getStealCount();
        final long start = System.nanoTime();
        pool.invoke(new RecursiveAction() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void compute() {
                final Part[] parts = new Part[job.tasks()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = new Part(job, cost, i, 0, job.rows(i), busy, retries, rowsDone);
                }
                invokeAll(parts);
            }
        });
        final long makespan = System.nanoTime() - start;
        final long[] busyNanos = new long[workers];
        for (int w = 0; w < workers; w++) {
            busyNanos[w] = busy.get(w);
        }
        return new RunRecord(Contender.FORK_JOIN, repetition, makespan, busyNanos, pool.getStealCount() - stealsBefore,
            0, retries.get(), committedTasks(job, rowsDone), job.tasks());
    }

    /** Tasks whose parts ran each of their rows exactly once. */
    private static int committedTasks(final MorselJob job, final AtomicLongArray rowsDone) {
        int committed = 0;
        for (int i = 0; i < job.tasks(); i++) {
            committed += rowsDone.get(i) == job.rows(i) ? 1 : 0;
        }
        return committed;
    }

    /** One range of one partition. */
    private static final class Part extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        private final transient MorselJob job;
        private final transient TaskCost cost;
        private final int task;
        private final long from;
        private final long to;
        private final transient AtomicLongArray busy;
        private final transient AtomicLong retries;
        private final transient AtomicLongArray rowsDone;

        Part(final MorselJob job, final TaskCost cost, final int task, final long from, final long to,
             final AtomicLongArray busy, final AtomicLong retries, final AtomicLongArray rowsDone) {
            this.job = job;
            this.cost = cost;
            this.task = task;
            this.from = from;
            this.to = to;
            this.busy = busy;
            this.retries = retries;
            this.rowsDone = rowsDone;
        }

        @Override
        protected void compute() {
            final long rows = to - from;
            if (rows >= 2 * job.minMorselRows()) {
                final long mid = from + rows / 2;
                final Part upper = new Part(job, cost, task, mid, to, busy, retries, rowsDone);
                upper.fork();
                new Part(job, cost, task, from, mid, busy, retries, rowsDone).compute();
                upper.join();
                return;
            }
            final Thread t = Thread.currentThread();
            final int worker = t instanceof ForkJoinWorkerThread
                ? ((ForkJoinWorkerThread) t).getPoolIndex() % busy.length() : 0;
            final double slowdown = job.workload().workerSlowdown(worker);
            final long started = System.nanoTime();
            cost.run(rows * MorselJob.NANOS_PER_ROW, slowdown);
            if (from == 0 && job.workload().firstAttemptFails(task)) {
                retries.incrementAndGet();
                cost.run(rows * MorselJob.NANOS_PER_ROW, slowdown);
            }
            busy.addAndGet(worker, System.nanoTime() - started);
            rowsDone.addAndGet(task, rows);
        }
    }
}
