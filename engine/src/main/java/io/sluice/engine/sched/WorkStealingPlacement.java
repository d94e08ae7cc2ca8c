package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * Work-stealing placement. First attempts: worker w owns the contiguous block of task indices
 * {@code [w n / W, (w + 1) n / W)} and claims from its front; an idle worker steals the upper half of a random
 * victim's remaining block. Queued morsels: each worker owns a {@link WorkStealingDeque}; morsels offered for home
 * worker {@code h} land in {@code h}'s MPMC inbox (only the owner may push to its deque), morsels without a home
 * (retries, re-runs) in a shared queue. Worker {@code w} polls, in order: its inbox moved into its deque, its
 * deque's bottom, the shared queue, then up to W steal attempts at random victims (the top of the victim's deque,
 * else its inbox). Victims come from {@link Victims}, seeded per worker, so a single-threaded simulation is
 * reproducible. A taken splittable morsel of at least {@code 2 x minMorselRows} rows is halved until smaller, the
 * upper halves pushed on the taker's deque, where thieves find the largest piece on top. When nothing is left to
 * claim, poll or steal, an idle worker splits off part of a running attempt's unclaimed rows, if its task claims them
 * in chunks ({@link TaskContext#nextChunk}; the worker loop does it, see {@link #splitsRunning}).
 */
public final class WorkStealingPlacement implements Placement {
    /**
     * An idle worker splits a running attempt only if the attempt's unclaimed rows are estimated (at its worker's
     * measured rate) to take at least twice this long, and takes at least this long's worth of rows (at its own
     * rate): a part costs a morsel, a commit of a part and a merge slot. Public for the simulator.
     */
    public static final long MIN_RUNNING_SPLIT_NANOS = 40_000;
    /** The owner of a split attempt keeps between these fractions of its unclaimed rows. */
    public static final double MIN_KEEP = 0.05;
    public static final double MAX_KEEP = 0.9;
    /** Stride between the generators' states, a cache line of longs, so workers do not share a line. */
    private static final int RNG_STRIDE = 8;

    private final WorkStealingDeque<Morsel>[] deques;
    private final MpmcUnboundedXaddArrayQueue<Morsel>[] inboxes;
    private final MpmcUnboundedXaddArrayQueue<Morsel> shared = new MpmcUnboundedXaddArrayQueue<>(256);
    private final long[] rng;
    private final long minMorselRows;
    private final long seed;
    /** Whether idle workers split running attempts that claim their rows in chunks ({@link TaskContext#nextChunk}). */
    private final boolean splitRunning;
    /** How much of a running attempt an idle worker splits off ({@link SplitShare#PROPERTY} by default). */
    private final SplitShare splitShare;
    /** The claims' layout, read from {@code sluice.sched.padClaims} when this placement is created. */
    private final int claimStride = "false".equals(System.getProperty("sluice.sched.padClaims"))
        ? BlockClaims.UNPADDED_STRIDE : BlockClaims.PADDED_STRIDE;

    /**
     * A placement for {@code workers} workers, splitting down to {@code minMorselRows}, victims drawn from
     * {@code seed}; idle workers split running chunked attempts unless {@code -Dsluice.sched.splitRunning=false}
     * (read when the placement is created).
     */
    public WorkStealingPlacement(final int workers, final long minMorselRows, final long seed) {
        this(workers, minMorselRows, seed, !"false".equals(System.getProperty("sluice.sched.splitRunning")));
    }

    /** As the other constructor, with splitting of running attempts on or off ({@code splitRunning}). */
    public WorkStealingPlacement(final int workers, final long minMorselRows, final long seed,
                                 final boolean splitRunning) {
        this(workers, minMorselRows, seed, splitRunning, SplitShare.configured());
    }

    /** As the other constructors, splitting running attempts by {@code splitShare}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public WorkStealingPlacement(final int workers, final long minMorselRows, final long seed,
                                 final boolean splitRunning, final SplitShare splitShare) {
        SchedulerConfig.checkWorkers(workers);
        this.splitShare = Objects.requireNonNull(splitShare, "splitShare");
        this.splitRunning = splitRunning;
        this.minMorselRows = SchedulerConfig.checkMinMorselRows(minMorselRows);
        this.seed = seed;
        this.deques = new WorkStealingDeque[workers];
        this.inboxes = new MpmcUnboundedXaddArrayQueue[workers];
        this.rng = new long[workers * RNG_STRIDE];
        for (int i = 0; i < workers; i++) {
            deques[i] = new WorkStealingDeque<>(256);
            inboxes[i] = new MpmcUnboundedXaddArrayQueue<>(256);
            rng[i * RNG_STRIDE] = Victims.seed(seed, i);
        }
    }

    @Override
    public Claims newClaims(final int tasks) {
        return new BlockClaims(tasks, deques.length, seed, claimStride);
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
            final int slot = thief * RNG_STRIDE;
            rng[slot] = Victims.next(rng[slot]);
            final int victim = Victims.victim(rng[slot], thief, n);
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

    /** Whether idle workers split running chunked attempts (see {@link TaskContext#nextChunk}). */
    public boolean splitsRunning() {
        return splitRunning;
    }

    /** How much of a running attempt an idle worker splits off ({@code -Dsluice.sched.splitShare}, read at creation). */
    public SplitShare splitShare() {
        return splitShare;
    }

    /**
     * Work stealing as {@link SchedulingPolicy#WORK_STEALING} but without splitting running attempts: the policy
     * before that existed, for benchmarks that run both side by side.
     */
    public static Placement.Factory withoutRunningSplits() {
        return factory(false, null);
    }

    /**
     * Work stealing as {@link SchedulingPolicy#WORK_STEALING}, its idle workers splitting running attempts by
     * {@code share} whatever {@code -Dsluice.sched.splitShare} says: for benchmarks that run two rules side by side.
     */
    public static Placement.Factory sharing(final SplitShare share) {
        return factory(true, Objects.requireNonNull(share, "share"));
    }

    /** Work stealing with running splits on or off, by {@code share} (null: the configured rule). */
    private static Placement.Factory factory(final boolean splitRunning, final SplitShare share) {
        return new Placement.Factory() {
            @Override
            public Placement create(final int workers, final long minMorselRows, final long seed) {
                return new WorkStealingPlacement(workers, minMorselRows, seed, splitRunning,
                    share == null ? SplitShare.configured() : share);
            }

            @Override
            public String name() {
                return SchedulingPolicy.WORK_STEALING.name();
            }

            @Override
            public boolean stealsWork() {
                return true;
            }
        };
    }

    /** Morsels waiting in worker {@code w}'s deque and inbox (a racy estimate; for diagnostics). */
    public long queuedEstimate(final int worker) {
        return deques[worker].sizeEstimate() + inboxes[worker].size();
    }

    @Override
    public int workers() {
        return deques.length;
    }

    /**
     * Per-worker blocks of task indices. Invariant: a block {@code lo << 32 | hi} only shrinks, the owner moving
     * {@code lo} up and thieves moving {@code hi} down, each by a CAS on the whole word, so an index leaves a block
     * exactly once; a thief installs its stolen rest only in its own block, which is empty then and which no
     * other thief writes (thieves skip empty blocks).
     *
     * <p>Layout: one {@code long[]}, worker {@code w}'s words at {@code (w + 1) x stride}: the contended block word,
     * then the owner-only claimed chunk {@code [next, end)} (written per task) and victim generator state. Padded
     * (the default) the stride is a cache line of longs, so no two workers' words, nor the array header, share a
     * line; unpadded they are 4 longs apart. A placement reads {@code -Dsluice.sched.padClaims} (default true) when
     * it is created: ClaimPaddingBenchmark runs both in one JVM to decide whether the padding pays.
     */
    static final class BlockClaims implements Claims {
        /** Longs between two workers' words, padded (a cache line) or not. */
        static final int PADDED_STRIDE = 8;
        static final int UNPADDED_STRIDE = 4;
        private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
        private static final long NONE = -1L;
        private static final int BLOCK = 0;
        private static final int NEXT = 1;
        private static final int END = 2;
        private static final int RNG = 3;

        private final int workers;
        private final int stride;
        private final long[] words;

        BlockClaims(final int tasks, final int workers, final long seed, final int stride) {
            this.workers = workers;
            this.stride = stride;
            this.words = new long[(workers + 1) * stride];
            for (int w = 0; w < workers; w++) {
                final int lo = (int) ((long) tasks * w / workers);
                final int hi = (int) ((long) tasks * (w + 1) / workers);
                srBlock(w, pack(lo, hi));
                words[base(w) + RNG] = Victims.seed(seed, w);
            }
        }

        private int base(final int w) {
            return (w + 1) * stride;
        }

        private long laBlock(final int w) {
            return (long) LONGS.getAcquire(words, base(w) + BLOCK);
        }

        private void srBlock(final int w, final long value) {
            LONGS.setRelease(words, base(w) + BLOCK, value);
        }

        private boolean casBlock(final int w, final long expected, final long value) {
            return LONGS.compareAndSet(words, base(w) + BLOCK, expected, value);
        }

        static long pack(final int lo, final int hi) {
            return ((long) lo << 32) | (hi & 0xFFFFFFFFL);
        }

        static int lo(final long block) {
            return (int) (block >>> 32);
        }

        static int hi(final long block) {
            return (int) block;
        }

        @Override
        public int nextOwn(final int w, final int max) {
            final int b = base(w);
            final long next = words[b + NEXT];
            if (next < words[b + END]) {
                words[b + NEXT] = next + 1;
                return (int) next;
            }
            final long range = claimFront(w, max);
            if (range == NONE) {
                return -1;
            }
            words[b + NEXT] = lo(range) + 1;
            words[b + END] = hi(range);
            return lo(range);
        }

        private long claimFront(final int w, final int max) {
            while (true) {
                final long b = laBlock(w);
                final int lo = lo(b);
                final int hi = hi(b);
                if (lo >= hi) {
                    return NONE;
                }
                final int to = Math.min(hi, lo + Math.max(1, max));
                if (casBlock(w, b, pack(to, hi))) {
                    return pack(lo, to);
                }
            }
        }

        /**
         * Takes up to {@code max} indices from the top of the block with the most left (as a thief does, by a CAS that
         * moves its {@code hi} down, so the owner's front claims and other thieves race with it as with each other),
         * keeping nothing in any block. Never writes an empty block.
         */
        @Override
        public long help(final int max) {
            while (true) {
                int best = -1;
                long bestBlock = 0;
                int bestSize = 0;
                for (int w = 0; w < workers; w++) {
                    final long b = laBlock(w);
                    final int size = hi(b) - lo(b);
                    if (size > bestSize) {
                        best = w;
                        bestBlock = b;
                        bestSize = size;
                    }
                }
                if (best < 0) {
                    return NONE;
                }
                final int hi = hi(bestBlock);
                final int from = hi - Math.min(bestSize, Math.max(1, max));
                if (casBlock(best, bestBlock, pack(lo(bestBlock), from))) {
                    return pack(from, hi);
                }
            }
        }

        /**
         * Up to W attempts at random victims; takes the upper half (at least one index) of the first non-empty
         * block, returns its first index and keeps the rest as {@code w}'s own block. -1 if nothing was found.
         * Called only once {@code w}'s own block is empty.
         */
        @Override
        public int steal(final int w) {
            if (workers == 1) {
                return -1;
            }
            final int rngAt = base(w) + RNG;
            for (int attempt = 0; attempt < workers; attempt++) {
                words[rngAt] = Victims.next(words[rngAt]);
                final int victim = Victims.victim(words[rngAt], w, workers);
                while (true) {
                    final long b = laBlock(victim);
                    final int lo = lo(b);
                    final int hi = hi(b);
                    if (lo >= hi) {
                        break;
                    }
                    final int mid = hi - Math.max(1, (hi - lo) / 2);
                    if (casBlock(victim, b, pack(lo, mid))) {
                        // Our own block is empty (we only steal then); thieves may CAS it, so install by CAS too.
                        final long mine = laBlock(w);
                        if (mid + 1 < hi && !casBlock(w, mine, pack(mid + 1, hi))) {
                            // Unreachable while our block is empty: thieves skip empty blocks and never write them.
                            throw new IllegalStateException("worker " + w + " block changed while empty: "
                                + Long.toHexString(mine));
                        }
                        return mid;
                    }
                }
            }
            return -1;
        }
    }
}
