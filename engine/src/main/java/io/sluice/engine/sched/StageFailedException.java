package io.sluice.engine.sched;

/**
 * A stage could not finish: a task failed {@code maxAttempts} times (the causes are attached as suppressed
 * exceptions, the first also as the cause), the scheduler was closed, or the caller was interrupted.
 */
public final class StageFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String stage;
    private final int task;
    private final int attempts;

    StageFailedException(final String message, final String stage, final int task, final int attempts,
                         final Throwable[] causes) {
        super(message, causes.length > 0 ? causes[0] : null);
        this.stage = stage;
        this.task = task;
        this.attempts = attempts;
        for (final Throwable cause : causes) {
            addSuppressed(cause);
        }
    }

    /** Name of the stage. */
    public String stage() {
        return stage;
    }

    /** Index of the failed task, or -1 if the stage failed for another reason (close, interrupt). */
    public int task() {
        return task;
    }

    /** Failed attempts of that task. */
    public int attempts() {
        return attempts;
    }
}
