package io.sluice.engine.sched;

import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * A fourth placement policy in one file, to show that adding a policy means adding one class: every first attempt,
 * retry and split part goes to a worker drawn at random (a seeded hash of task, rows and attempt), and waits in that
 * worker's queue; nobody steals. Used through {@link SchedulerConfig.Builder#placement} and the simulator alike.
 */
final class RandomPlacement implements Placement {
    /** The factory: {@code SchedulerConfig.builder().placement(RandomPlacement.FACTORY)}. */
    static final Placement.Factory FACTORY = new Placement.Factory() {
        @Override
        public Placement create(final int workers, final long minMorselRows, final long seed) {
            return new RandomPlacement(workers, minMorselRows, seed);
        }

        @Override
        public String name() {
            return "RANDOM";
        }
    };

    private final MpscUnboundedArrayQueue<Morsel>[] queues;
    private final long minMorselRows;
    private final long seed;

    @SuppressWarnings({"unchecked", "rawtypes"})
    RandomPlacement(final int workers, final long minMorselRows, final long seed) {
        this.queues = new MpscUnboundedArrayQueue[SchedulerConfig.checkWorkers(workers)];
        for (int i = 0; i < workers; i++) {
            queues[i] = new MpscUnboundedArrayQueue<>(64);
        }
        this.minMorselRows = SchedulerConfig.checkMinMorselRows(minMorselRows);
        this.seed = seed;
    }

    /** The worker a morsel or first attempt with this key goes to. */
    int workerOf(final long key) {
        return Victims.any(Victims.seed(seed, 0) ^ Victims.mix(key), queues.length);
    }

    @Override
    public Claims newClaims(final int tasks) {
        final int workers = queues.length;
        // Each worker's task indices, in order: owner-only cursors over fixed lists, so no CAS is needed.
        final int[] count = new int[workers];
        final int[] owner = new int[tasks];
        for (int i = 0; i < tasks; i++) {
            owner[i] = workerOf(i);
            count[owner[i]]++;
        }
        final int[][] own = new int[workers][];
        for (int w = 0; w < workers; w++) {
            own[w] = new int[count[w]];
            count[w] = 0;
        }
        for (int i = 0; i < tasks; i++) {
            own[owner[i]][count[owner[i]]++] = i;
        }
        final int[] next = new int[workers];
        return (w, max) -> next[w] < own[w].length ? own[w][next[w]++] : -1;
    }

    @Override
    public void offer(final Morsel morsel, final int homeWorker) {
        final int home = homeWorker == ANY_WORKER
            ? workerOf(morsel.task() * 1_000_003L + morsel.from() * 31L + morsel.attempt())
            : homeWorker;
        queues[home].offer(morsel);
    }

    @Override
    public Morsel poll(final int worker) {
        final Morsel morsel = queues[worker].poll();
        while (morsel != null && morsel.isSplittable() && morsel.rows() >= 2 * minMorselRows) {
            final Morsel upper = morsel.splitUpper();
            queues[workerOf(upper.task() * 1_000_003L + upper.from())].offer(upper);
        }
        return morsel;
    }

    @Override
    public int workers() {
        return queues.length;
    }
}
