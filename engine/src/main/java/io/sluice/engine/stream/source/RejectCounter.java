package io.sluice.engine.stream.source;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Counts a source's rejected records and logs why, naming the source: the first {@value #LOGGED_IN_FULL}
 * rejections at WARN, later ones at DEBUG (a flood of bad input must not flood the log; the count stays exact).
 * Thread-safe.
 */
final class RejectCounter {
    static final int LOGGED_IN_FULL = 100;

    private final Logger log;
    private final String source;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    RejectCounter(final Logger log, final String source) {
        this.log = log;
        this.source = source;
    }

    void reject(final long count, final String reason) {
        final long total = records.addAndGet(count);
        final long event = events.incrementAndGet();
        if (event <= LOGGED_IN_FULL) {
            log.warn("source '{}' rejected {} record(s): {} (rejected so far={}{})", source, count, reason, total,
                event == LOGGED_IN_FULL ? "; further rejections are logged at DEBUG" : "");
        } else if (log.isDebugEnabled()) {
            log.debug("source '{}' rejected {} record(s): {} (rejected so far={})", source, count, reason, total);
        }
    }

    long count() {
        return records.get();
    }
}
