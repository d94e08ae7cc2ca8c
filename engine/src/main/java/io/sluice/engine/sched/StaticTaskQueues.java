package io.sluice.engine.sched;

import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Static placement, the "traditional system" baseline: a morsel offered for home worker {@code h} waits in
 * {@code h}'s own queue and nobody else takes it; nothing is split or stolen. A morsel without a home (a retry)
 * goes to worker {@code (task + attempt - 1) mod W}, so attempt 2 of task i runs on the worker after i's home.
 */
public final class StaticTaskQueues implements TaskQueues {
    private final MpscUnboundedArrayQueue<Morsel>[] queues;

    /** Queues for {@code workers} workers. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public StaticTaskQueues(final int workers) {
        SchedulerConfig.checkWorkers(workers);
        this.queues = new MpscUnboundedArrayQueue[workers];
        for (int i = 0; i < workers; i++) {
            queues[i] = new MpscUnboundedArrayQueue<>(1024);
        }
    }

    @Override
    public void offer(final Morsel morsel, final int homeWorker) {
        final int home = homeWorker == ANY_WORKER
            ? (int) ((morsel.task() + (long) morsel.attempt() - 1) % queues.length)
            : homeWorker;
        queues[home].offer(morsel);
    }

    @Override
    public Morsel poll(final int worker) {
        return queues[worker].poll();
    }

    @Override
    public int workers() {
        return queues.length;
    }
}
