package io.sluice.engine.sched;

import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * Central-queue placement (Spark-driver style): one JCTools MPMC queue that every worker pulls from; the home
 * worker is ignored. A taken splittable morsel of at least {@code 2 x minMorselRows} rows is halved until it is
 * smaller, the upper halves going back to the queue for any worker.
 */
public final class CentralTaskQueues implements TaskQueues {
    private final MpmcUnboundedXaddArrayQueue<Morsel> queue = new MpmcUnboundedXaddArrayQueue<>(1024);
    private final int workers;
    private final long minMorselRows;

    /** Queues for {@code workers} workers; morsels are not split below {@code minMorselRows} rows. */
    public CentralTaskQueues(final int workers, final long minMorselRows) {
        this.workers = SchedulerConfig.checkWorkers(workers);
        this.minMorselRows = SchedulerConfig.checkMinMorselRows(minMorselRows);
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
}
