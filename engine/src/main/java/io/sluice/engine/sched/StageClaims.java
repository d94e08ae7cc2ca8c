package io.sluice.engine.sched;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first attempts of a stage's tasks as task indices that workers claim themselves, instead of the caller
 * queueing one morsel per task: the stage is published once and each worker takes its share. Starts no thread and
 * reads no clock. Per policy:
 * <ul>
 *   <li>static: worker w takes w, w + W, w + 2W, ... and nobody else does (task i runs on worker i mod W);</li>
 *   <li>central queue: one shared cursor every worker claims from (the queue, without its nodes);</li>
 *   <li>work stealing: worker w owns the contiguous block {@code [w n / W, (w + 1) n / W)}, claims from its
 *       front; an idle worker steals the upper half of a random victim's remaining block.</li>
 * </ul>
 * A worker may claim a chunk of up to {@code max} indices at once (the caller asks for more than one only when its
 * tasks are tiny); a claimed chunk stays with the worker slot, so a replacement worker continues it.
 * Thread-safety: {@link #nextOwn} and {@link #steal} for slot w only from the thread acting as worker w.
 */
final class StageClaims {
    private static final long NONE = -1L;

    private final SchedulingPolicy policy;
    private final int tasks;
    private final int workers;
    private final Slot[] slots;
    private final AtomicInteger cursor = new AtomicInteger();

    /** One worker's share; padded so neighbouring slots do not share a cache line. */
    @SuppressWarnings("unused")
    private static final class Slot {
        long p0;
        long p1;
        long p2;
        long p3;
        long p4;
        long p5;
        long p6;
        /** Work stealing: the remaining block, {@code lo << 32 | hi}, CAS by the owner (front) and thieves (back). */
        final AtomicLong block = new AtomicLong();
        /** Owner-only: the claimed chunk {@code [next, end)}; static: the next index (stride W). */
        int next;
        int end;
        /** Owner-only xorshift state for victims. */
        long rng;
        long q0;
        long q1;
        long q2;
        long q3;
        long q4;
        long q5;
        long q6;
    }

    StageClaims(final SchedulingPolicy policy, final int tasks, final int workers, final long seed) {
        this.policy = policy;
        this.tasks = tasks;
        this.workers = workers;
        this.slots = new Slot[workers];
        for (int w = 0; w < workers; w++) {
            final Slot s = new Slot();
            if (policy == SchedulingPolicy.STATIC) {
                s.next = w;
            } else if (policy == SchedulingPolicy.WORK_STEALING) {
                final int lo = (int) ((long) tasks * w / workers);
                final int hi = (int) ((long) tasks * (w + 1) / workers);
                s.block.set(pack(lo, hi));
            }
            final long r = mix(seed + 0x9E3779B97F4A7C15L * (w + 1));
            s.rng = r == 0 ? 1 : r;
            slots[w] = s;
        }
    }

    private static long pack(final int lo, final int hi) {
        return ((long) lo << 32) | (hi & 0xFFFFFFFFL);
    }

    private static int lo(final long block) {
        return (int) (block >>> 32);
    }

    private static int hi(final long block) {
        return (int) block;
    }

    /** The next task index of worker {@code w}'s own share, claiming up to {@code max} at once; -1 when it has none. */
    int nextOwn(final int w, final int max) {
        final Slot s = slots[w];
        if (policy == SchedulingPolicy.STATIC) {
            final int i = s.next;
            if (i >= tasks) {
                return -1;
            }
            s.next = i + workers;
            return i;
        }
        if (s.next < s.end) {
            return s.next++;
        }
        final long range = policy == SchedulingPolicy.CENTRAL_QUEUE ? claimCentral(max) : claimFront(s.block, max);
        if (range == NONE) {
            return -1;
        }
        s.next = lo(range) + 1;
        s.end = hi(range);
        return lo(range);
    }

    private long claimCentral(final int max) {
        if (cursor.get() >= tasks) {
            return NONE;
        }
        final int from = cursor.getAndAdd(max);
        return from >= tasks ? NONE : pack(from, Math.min(tasks, from + max));
    }

    private static long claimFront(final AtomicLong block, final int max) {
        while (true) {
            final long b = block.get();
            final int lo = lo(b);
            final int hi = hi(b);
            if (lo >= hi) {
                return NONE;
            }
            final int to = Math.min(hi, lo + Math.max(1, max));
            if (block.compareAndSet(b, pack(to, hi))) {
                return pack(lo, to);
            }
        }
    }

    /**
     * Work stealing only: up to W attempts at random victims; takes the upper half (at least one index) of the first
     * non-empty block, returns its first index and keeps the rest as {@code w}'s own block. -1 if nothing was found.
     */
    int steal(final int w) {
        if (policy != SchedulingPolicy.WORK_STEALING || workers == 1) {
            return -1;
        }
        final Slot s = slots[w];
        for (int attempt = 0; attempt < workers; attempt++) {
            final Slot victim = slots[nextVictim(s, w)];
            while (true) {
                final long b = victim.block.get();
                final int lo = lo(b);
                final int hi = hi(b);
                if (lo >= hi) {
                    break;
                }
                final int mid = hi - Math.max(1, (hi - lo) / 2);
                if (victim.block.compareAndSet(b, pack(lo, mid))) {
                    // Our own block is empty (we only steal then); thieves may CAS it, so install by CAS too.
                    final long mine = s.block.get();
                    if (mid + 1 < hi && !s.block.compareAndSet(mine, pack(mid + 1, hi))) {
                        // Unreachable while our block is empty: thieves skip empty blocks and never write them.
                        throw new IllegalStateException("worker " + w + " block changed while empty: " + Long.toHexString(mine));
                    }
                    return mid;
                }
            }
        }
        return -1;
    }

    private int nextVictim(final Slot s, final int thief) {
        long x = s.rng;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        s.rng = x;
        final int victim = (int) ((x >>> 1) % (workers - 1));
        return victim >= thief ? victim + 1 : victim;
    }

    private static long mix(final long z0) {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
