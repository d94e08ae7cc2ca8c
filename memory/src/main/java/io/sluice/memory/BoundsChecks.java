package io.sluice.memory;

/**
 * Whether off-heap accesses in this module are checked: row ranges, buffer bounds and use-after-release.
 *
 * <p>On by default. {@code -Dsluice.memory.boundsChecks=false} turns the checks off; the property is read once,
 * at class initialisation, into a {@code static final} so the JIT folds the checks away. With checks off a
 * released buffer or batch is no longer detected on access: reading it may return garbage or touch freed memory,
 * so turn checks off only for code already tested with them on (benchmarks).
 */
public final class BoundsChecks {
    /** The system property that turns checks off when set to {@code false}. */
    public static final String PROPERTY = "sluice.memory.boundsChecks";

    /** True unless the property said {@code false} when this class was initialised. */
    public static final boolean ENABLED = parse(System.getProperty(PROPERTY));

    private BoundsChecks() {
    }

    /**
     * Parses a property value: only {@code "false"} (any case, surrounding blanks ignored) disables checks; an
     * absent or any other value keeps them on, so a typo never silently disables safety.
     */
    static boolean parse(final String value) {
        return value == null || !"false".equalsIgnoreCase(value.trim());
    }
}
