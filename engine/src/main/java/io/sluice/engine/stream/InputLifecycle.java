package io.sluice.engine.stream;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting, stopping and closing a context's inputs' sources as a group. */
final class InputLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(InputLifecycle.class);

    private InputLifecycle() {
    }

    /** Starts every source in order; if one throws, stops and closes those already started and rethrows. */
    static void startAll(final List<StreamInput> inputs) {
        final List<StreamInput> started = new ArrayList<>();
        try {
            for (final StreamInput input : inputs) {
                input.source().start(input);
                started.add(input);
            }
        } catch (final RuntimeException ex) {
            for (final StreamInput input : started) {
                input.source().stop();
                input.source().close();
            }
            throw ex;
        }
    }

    /** Asks every source to stop receiving; a source that throws is logged and the others still stop. */
    static void stopAll(final List<StreamInput> inputs) {
        for (final StreamInput input : inputs) {
            try {
                input.source().stop();
            } catch (final RuntimeException ex) {
                LOG.error("source '{}' failed to stop", input.name(), ex);
            }
        }
    }

    /** Ends storing, releases what each input still buffers, and closes its source (a failure is logged). */
    static void releaseAndCloseAll(final List<StreamInput> inputs) {
        for (final StreamInput input : inputs) {
            input.stopStoring();
            input.releaseBuffered();
            try {
                input.source().close();
            } catch (final RuntimeException ex) {
                LOG.error("source '{}' failed to close", input.name(), ex);
            }
        }
    }
}
