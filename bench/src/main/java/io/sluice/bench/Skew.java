package io.sluice.bench;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How unevenly work is spread over partitions: {@code uniform} (every partition the same size) or
 * {@code zipf:<s>} (partition sizes follow Zipf's law with exponent s, 0 < s <= 4). Immutable value.
 */
public final class Skew {
    /** Largest accepted Zipf exponent: beyond it the first partition holds almost everything. */
    public static final double MAX_EXPONENT = 4.0;
    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "uniform or zipf:<s> with 0 < s <= 4";

    private static final Skew UNIFORM = new Skew(0);
    private static final String ZIPF_PREFIX = "zipf:";

    private final double exponent;

    private Skew(final double exponent) {
        this.exponent = exponent;
    }

    /** Equal partitions. */
    public static Skew uniform() {
        return UNIFORM;
    }

    /** Zipf-distributed partition sizes with exponent {@code s}, 0 < s <= 4. */
    public static Skew zipf(final double s) {
        if (!(s > 0 && s <= MAX_EXPONENT)) {
            throw new IllegalArgumentException("zipf exponent s=" + s + " out of range (0, " + MAX_EXPONENT + "]");
        }
        return new Skew(s);
    }

    /** Parses {@code uniform} or {@code zipf:<s>}; anything else throws, naming {@link #ACCEPTED}. */
    public static Skew parse(final String text) {
        final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("uniform")) {
            return UNIFORM;
        }
        if (t.startsWith(ZIPF_PREFIX)) {
            try {
                final double s = Double.parseDouble(t.substring(ZIPF_PREFIX.length()));
                if (s > 0 && s <= MAX_EXPONENT) {
                    return new Skew(s);
                }
            } catch (final NumberFormatException ignored) {
                // reported below with the accepted forms
            }
        }
        throw new IllegalArgumentException("skew='" + text + "' not accepted; accepted: " + ACCEPTED);
    }

    public boolean isUniform() {
        return exponent == 0;
    }

    /** The Zipf exponent s; 0 for uniform. */
    public double exponent() {
        return exponent;
    }

    /** The form {@link #parse} reads back: {@code uniform} or {@code zipf:1.1}. */
    @Override
    public String toString() {
        return isUniform() ? "uniform" : ZIPF_PREFIX + new BigDecimal(Double.toString(exponent)).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Skew && Double.compare(((Skew) other).exponent, exponent) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(exponent);
    }
}
