package io.sluice.engine.sched;

/** An attempt failed by {@link FaultInjection} before its body ran. */
public final class InjectedFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailureException(final int task, final long from, final int attempt, final int worker) {
        super("injected failure: task=" + task + " from=" + from + " attempt=" + attempt + " worker=" + worker, null, false, false);
    }
}
