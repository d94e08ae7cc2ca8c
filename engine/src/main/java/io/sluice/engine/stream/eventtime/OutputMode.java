package io.sluice.engine.stream.eventtime;

/** When an event-time window aggregation emits a window's row. */
public enum OutputMode {
    /** Once, final, in the batch whose watermark passes the window's end; rows for closed windows are dropped as late. */
    APPEND,
    /** In every batch that changed the window (its current value), until the watermark passes its end. */
    UPDATE
}
