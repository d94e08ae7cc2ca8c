package io.sluice.engine.sched;

import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Static placement, the "traditional system" baseline: task i's first attempt runs on worker i mod W and never
 * moves; a morsel offered for home worker {@code h} waits in {@code h}'s own queue and nobody else takes it; nothing
 * is split or stolen. A morsel without a home (a retry) goes to worker {@code (task + attempt - 1) mod W}, so
 * attempt 2 of task i runs on the worker after i's home.
 */
public final class StaticPlacement implements Placement {
    /** Ints between two workers' claim cursors: 64 bytes, so workers do not share a cache line. */
    private static final int STRIDE = 16;

    private final MpscUnboundedArrayQueue<Morsel>[] queues;

    /** A placement for {@code workers} workers. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public StaticPlacement(final int workers) {
        SchedulerConfig.checkWorkers(workers);
        this.queues = new MpscUnboundedArrayQueue[workers];
        for (int i = 0; i < workers; i++) {
            queues[i] = new MpscUnboundedArrayQueue<>(1024);
        }
    }

    @Override
    public Claims newClaims(final int tasks) {
        final int workers = queues.length;
        // Owner-only cursors: worker w claims w, w + W, w + 2W, ...
        final int[] next = new int[workers * STRIDE];
        for (int w = 0; w < workers; w++) {
            next[w * STRIDE] = w;
        }
        return (w, max) -> {
            final int i = next[w * STRIDE];
            if (i >= tasks) {
                return -1;
            }
            next[w * STRIDE] = i + workers;
            return i;
        };
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
