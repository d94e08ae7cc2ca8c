package io.sluice.engine.sched;

import java.util.concurrent.atomic.AtomicInteger;

import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * Central-queue placement (Spark-driver style): first attempts are claimed from one shared cursor over the task
 * indices (the queue, without its nodes); queued morsels wait in one JCTools MPMC queue that every worker pulls
 * from, the home worker ignored. A taken splittable morsel of at least {@code 2 x minMorselRows} rows is halved
 * until it is smaller, the upper halves going back to the queue for any worker.
 */
public final class CentralQueuePlacement implements Placement {
    private final MpmcUnboundedXaddArrayQueue<Morsel> queue = new MpmcUnboundedXaddArrayQueue<>(1024);
    private final int workers;
    private final long minMorselRows;

    /** A placement for {@code workers} workers; morsels are not split below {@code minMorselRows} rows. */
    public CentralQueuePlacement(final int workers, final long minMorselRows) {
        this.workers = SchedulerConfig.checkWorkers(workers);
        this.minMorselRows = SchedulerConfig.checkMinMorselRows(minMorselRows);
    }

    @Override
    public Claims newClaims(final int tasks) {
        return new CursorClaims(tasks, workers);
    }

    @Override
    public void offer(final Morsel morsel, final int homeWorker) {
        queue.offer(morsel);
    }

    @Override
    public Morsel poll(final int worker) {
        final Morsel morsel = queue.poll();
        if (morsel != null) {
            while (morsel.isSplittable() && morsel.rows() >= 2 * minMorselRows) {
                queue.offer(morsel.splitUpper());
            }
        }
        return morsel;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** One shared cursor; each worker keeps the rest of its claimed chunk in owner-only fields. */
    private static final class CursorClaims implements Claims {
        private static final int STRIDE = 16;
        private final AtomicInteger cursor = new AtomicInteger();
        private final int tasks;
        /** Per worker, {@link #STRIDE} ints apart: the claimed chunk {@code [next, end)}. */
        private final int[] chunk;

        CursorClaims(final int tasks, final int workers) {
            this.tasks = tasks;
            this.chunk = new int[workers * STRIDE];
        }

        @Override
        public int nextOwn(final int w, final int max) {
            final int at = w * STRIDE;
            if (chunk[at] < chunk[at + 1]) {
                return chunk[at]++;
            }
            if (cursor.get() >= tasks) {
                return -1;
            }
            final int from = cursor.getAndAdd(max);
            if (from >= tasks) {
                return -1;
            }
            chunk[at] = from + 1;
            chunk[at + 1] = Math.min(tasks, from + max);
            return from;
        }

        @Override
        public long claimOwn(final int w, final int max) {
            final int at = w * STRIDE;
            if (chunk[at] < chunk[at + 1]) {
                final long range = ((long) chunk[at] << 32) | chunk[at + 1];
                chunk[at] = chunk[at + 1];
                return range;
            }
            return help(max);
        }

        @Override
        public long help(final int max) {
            if (cursor.get() >= tasks) {
                return -1L;
            }
            final int from = cursor.getAndAdd(Math.max(1, max));
            return from >= tasks ? -1L : ((long) from << 32) | Math.min(tasks, from + Math.max(1, max));
        }
    }
}
