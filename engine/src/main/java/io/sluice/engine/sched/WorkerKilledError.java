package io.sluice.engine.sched;

/** Thrown from a worker's loop by {@link FaultInjection#killWorkerAfter} to kill the worker thread. */
public final class WorkerKilledError extends Error {
    private static final long serialVersionUID = 1L;

    WorkerKilledError(final int worker, final long tasksTaken) {
        super("injected worker death: worker=" + worker + " tasksTaken=" + tasksTaken);
    }
}
