package io.sluice.engine.stream;

import java.util.concurrent.TimeUnit;

/**
 * The context's progress as other threads wait on it: the latest batch time generated and completed, a job
 * failure, and whether the job executor has ended. A monitor; waits are bounded by the caller's timeout.
 */
final class Progress {
    private long generatedUpTo = Long.MIN_VALUE;
    private long completedUpTo = Long.MIN_VALUE;
    private Throwable failure;
    private boolean executorDone;
    private Runnable onFailure = () -> { };

    synchronized void onFailure(final Runnable action) {
        onFailure = action;
    }

    synchronized void generated(final long batchTime) {
        generatedUpTo = Math.max(generatedUpTo, batchTime);
        notifyAll();
    }

    synchronized void completed(final long batchTime) {
        completedUpTo = Math.max(completedUpTo, batchTime);
        notifyAll();
    }

    void failed(final Throwable error) {
        final Runnable action;
        synchronized (this) {
            if (failure == null) {
                failure = error;
            }
            action = onFailure;
            notifyAll();
        }
        action.run();
    }

    synchronized void executorDone() {
        executorDone = true;
        notifyAll();
    }

    synchronized Throwable failure() {
        return failure;
    }

    synchronized long completedUpTo() {
        return completedUpTo;
    }

    synchronized long generatedUpTo() {
        return generatedUpTo;
    }

    /** Waits until a batch at or after {@code batchTime} was generated; false on timeout, failure or end. */
    synchronized boolean awaitGenerated(final long batchTime, final long timeoutNanos) throws InterruptedException {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (generatedUpTo < batchTime) {
            final long left = deadline - System.nanoTime();
            if (left <= 0 || failure != null || executorDone) {
                return generatedUpTo >= batchTime;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until a batch at or after {@code batchTime} completed; false on timeout, failure or end of processing. */
    synchronized boolean awaitCompleted(final long batchTime, final long timeoutNanos) throws InterruptedException {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (completedUpTo < batchTime) {
            final long left = deadline - System.nanoTime();
            if (left <= 0 || failure != null || executorDone) {
                return completedUpTo >= batchTime;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
