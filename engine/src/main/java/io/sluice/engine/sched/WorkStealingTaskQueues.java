package io.sluice.engine.sched;

import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * Work-stealing placement: each worker owns a {@link WorkStealingDeque}; morsels offered for home worker
 * {@code h} land in {@code h}'s MPMC inbox (only the owner may push to its deque), morsels without a home
 * (retries, re-runs) in a shared queue. Worker {@code w} takes, in order: its inbox moved into its deque, its
 * deque's bottom, the shared queue, then up to W steal attempts at random victims (the top of the victim's deque,
 * else its inbox) chosen by a per-worker xorshift generator seeded from {@code seed}, so a single-threaded
 * simulation is reproducible. A taken splittable morsel of at least {@code 2 x minMorselRows} rows is halved
 * until smaller, the upper halves pushed on the taker's deque, where thieves find the largest piece on top.
 */
public final class WorkStealingTaskQueues implements TaskQueues {
    /** Stride between the generators' states, a cache line of longs, so workers do not share a line. */
    private static final int RNG_STRIDE = 8;

    private final WorkStealingDeque<Morsel>[] deques;
    private final MpmcUnboundedXaddArrayQueue<Morsel>[] inboxes;
    private final MpmcUnboundedXaddArrayQueue<Morsel> shared = new MpmcUnboundedXaddArrayQueue<>(256);
    private final long[] rng;
    private final long minMorselRows;

    /** Queues for {@code workers} workers, splitting down to {@code minMorselRows}, victims drawn from {@code seed}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public WorkStealingTaskQueues(final int workers, final long minMorselRows, final long seed) {
        SchedulerConfig.checkWorkers(workers);
        this.minMorselRows = SchedulerConfig.checkMinMorselRows(minMorselRows);
        this.deques = new WorkStealingDeque[workers];
        this.inboxes = new MpmcUnboundedXaddArrayQueue[workers];
        this.rng = new long[workers * RNG_STRIDE];
        for (int i = 0; i < workers; i++) {
            deques[i] = new WorkStealingDeque<>(256);
            inboxes[i] = new MpmcUnboundedXaddArrayQueue<>(256);
            final long s = mix(seed + 0x9E3779B97F4A7C15L * (i + 1));
            rng[i * RNG_STRIDE] = s == 0 ? 1 : s;
        }
    }

    @Override
    public void offer(final Morsel morsel, final int homeWorker) {
        if (homeWorker == ANY_WORKER) {
            shared.offer(morsel);
        } else {
            inboxes[homeWorker].offer(morsel);
        }
    }

    @Override
    public Morsel poll(final int worker) {
        final WorkStealingDeque<Morsel> own = deques[worker];
        final MpmcUnboundedXaddArrayQueue<Morsel> inbox = inboxes[worker];
        Morsel morsel;
        while ((morsel = inbox.poll()) != null) {
            own.push(morsel);
        }
        morsel = own.pop();
        if (morsel == null) {
            morsel = shared.poll();
        }
        if (morsel == null) {
            morsel = steal(worker);
        }
        if (morsel != null) {
            while (morsel.isSplittable() && morsel.rows() >= 2 * minMorselRows) {
                own.push(morsel.splitUpper());
            }
        }
        return morsel;
    }

    private Morsel steal(final int thief) {
        final int n = deques.length;
        if (n == 1) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            final int victim = nextVictim(thief, n);
            Morsel morsel = deques[victim].steal();
            if (morsel == null) {
                morsel = inboxes[victim].poll();
            }
            if (morsel != null) {
                morsel.markStolen();
                return morsel;
            }
        }
        return null;
    }

    /** A uniformly random worker other than {@code thief}. */
    private int nextVictim(final int thief, final int n) {
        final int slot = thief * RNG_STRIDE;
        long x = rng[slot];
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        rng[slot] = x;
        final int victim = (int) ((x >>> 1) % (n - 1));
        return victim >= thief ? victim + 1 : victim;
    }

    /** Morsels waiting in worker {@code w}'s deque and inbox (a racy estimate; for diagnostics). */
    public long queuedEstimate(final int worker) {
        return deques[worker].sizeEstimate() + inboxes[worker].size();
    }

    @Override
    public int workers() {
        return deques.length;
    }

    private static long mix(final long z0) {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
