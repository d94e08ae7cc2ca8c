package io.sluice.engine.stream;

import java.util.List;

import org.slf4j.Logger;

/**
 * Runs stop hooks the way the context and the graph both do: newest first, every hook even after a failure.
 *
 * <p>Internal: public only for the other stream packages, not part of the user API.
 */
public final class StopHooks {
    private StopHooks() {
    }

    /**
     * Runs {@code hooks} from last to first, logging each failure to {@code log}; returns the first failure with later
     * ones suppressed into it, or null if every hook returned normally.
     */
    public static RuntimeException runNewestFirst(final List<Runnable> hooks, final Logger log) {
        RuntimeException first = null;
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).run();
            } catch (final RuntimeException ex) {
                log.error("stop hook failed", ex);
                if (first == null) {
                    first = ex;
                } else if (ex != first) {
                    first.addSuppressed(ex);
                }
            }
        }
        return first;
    }
}
