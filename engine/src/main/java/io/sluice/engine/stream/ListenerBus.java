package io.sluice.engine.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to the registered {@link StreamingListener}s; a throwing listener is logged, never propagated. */
final class ListenerBus {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);

    private final List<StreamingListener> listeners = new CopyOnWriteArrayList<>();

    void add(final StreamingListener listener) {
        listeners.add(listener);
    }

    void remove(final StreamingListener listener) {
        listeners.remove(listener);
    }

    void post(final String event, final Consumer<StreamingListener> call) {
        for (final StreamingListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (final RuntimeException ex) {
                LOG.error("streaming listener {} failed on event={}", listener, event, ex);
            }
        }
    }
}
