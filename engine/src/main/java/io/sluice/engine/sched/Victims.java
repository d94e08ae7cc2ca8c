package io.sluice.engine.sched;

/**
 * Random victim choice for stealing, the one copy every placement uses: a per-worker xorshift64 generator
 * (Marsaglia 2003) seeded by SplitMix64 mixing (Steele, Lea and Flood, OOPSLA 2014) of the pool's seed and the
 * worker index, so runs, and the single-threaded simulations, are reproducible for a seed. Stateless: callers keep
 * the generator state where their worker's other fields are (no shared line between workers).
 */
final class Victims {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Victims() {
    }

    /** The initial, non-zero generator state of {@code worker} for {@code seed}. */
    static long seed(final long seed, final int worker) {
        final long s = mix(seed + GOLDEN_GAMMA * (worker + 1));
        return s == 0 ? 1 : s;
    }

    /** The generator's next state after {@code x} (xorshift64, shifts 13, 7, 17). */
    static long next(final long x0) {
        long x = x0;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** A worker other than {@code thief}, uniform over the other {@code n - 1} (n >= 2), drawn from state {@code x}. */
    static int victim(final long x, final int thief, final int n) {
        final int victim = (int) ((x >>> 1) % (n - 1));
        return victim >= thief ? victim + 1 : victim;
    }

    /** A worker in {@code [0, n)} drawn from state {@code x}. */
    static int any(final long x, final int n) {
        return (int) ((x >>> 1) % n);
    }

    /** SplitMix64's finaliser. */
    static long mix(final long z0) {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
