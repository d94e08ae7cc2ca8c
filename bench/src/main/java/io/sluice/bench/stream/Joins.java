package io.sluice.bench.stream;

/** Joining a benchmark's helper thread on shutdown. */
final class Joins {
    private Joins() {
    }

    /**
     * Waits for {@code thread} to end even if this thread is interrupted meanwhile (a stop must not leave the thread
     * behind); the interrupt is restored before returning.
     */
    static void uninterruptibly(final Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
