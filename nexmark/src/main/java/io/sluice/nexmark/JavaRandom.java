package io.sluice.nexmark;

/**
 * The linear congruential generator of {@link java.util.Random}, bit for bit, but reseedable: Beam's Nexmark
 * generator seeds a new {@code Random} with every event id, and this lets one instance per thread do the same
 * without an allocation per event. Not thread-safe.
 */
final class JavaRandom {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    /** Two steps of the generator at once: seed -> seed * M^2 + (M + 1) * A (mod 2^48). */
    private static final long MULTIPLIER_2 = MULTIPLIER * MULTIPLIER & MASK;
    private static final long ADDEND_2 = (MULTIPLIER + 1) * ADDEND & MASK;

    private long seed;

    /** Same state as {@code new java.util.Random(seed)}. */
    JavaRandom reseed(final long newSeed) {
        seed = (newSeed ^ MULTIPLIER) & MASK;
        return this;
    }

    private int next(final int bits) {
        seed = (seed * MULTIPLIER + ADDEND) & MASK;
        return (int) (seed >>> (48 - bits));
    }

    int nextInt() {
        return next(32);
    }

    /** {@link java.util.Random#nextInt(int)}: uniform in [0, bound). */
    int nextInt(final int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound=" + bound + " must be > 0");
        }
        int r = next(31);
        final int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = next(31)) {
            // rejection: redraw where the last interval would be short
        }
        return r;
    }

    /**
     * Two successive {@link #nextInt()} draws, the first in the high 32 bits. Both seeds are computed from the current
     * one (the second by the two-step multiplier), so the draws do not wait on each other.
     */
    long nextTwoInts() {
        final long first = seed * MULTIPLIER + ADDEND & MASK;
        final long second = seed * MULTIPLIER_2 + ADDEND_2 & MASK;
        seed = second;
        return (first >>> 16) << 32 | second >>> 16 & 0xFFFF_FFFFL;
    }

    long nextLong() {
        return ((long) next(32) << 32) + next(32);
    }

    double nextDouble() {
        return (((long) next(26) << 27) + next(27)) * DOUBLE_UNIT;
    }
}
