package io.sluice.memory;

/** Cleaning up after a failure without hiding it: what the clean-up throws is attached to the failure. */
final class Closing {
    private Closing() {
    }

    /** Closes {@code resource}; anything its close throws is added to {@code cause} as suppressed. */
    static void closeAfter(final AutoCloseable resource, final Throwable cause) {
        try {
            resource.close();
        } catch (final Exception suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
