package io.sluice.engine.stream.eventtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How rows are assigned to event-time windows by an INT64 epoch-millis column: {@link #tumbling} (fixed, adjacent),
 * {@link #hopping} (fixed, overlapping by {@code size - slide}) or {@link #session} (per key, a gap of inactivity
 * ends a session). Windows are half-open {@code [start, end)}; fixed windows are aligned to the epoch (start is a
 * multiple of the slide). Immutable.
 *
 * <p>With a watermark {@code W} (see {@code DStream.withWatermark}) a window is <i>closed</i> when {@code end <= W};
 * a row is <i>late</i> when every window it falls into is closed: for fixed windows when the last window holding
 * its time ends at or before {@code W}, for sessions when {@code ts + gap <= W}.
 */
public final class EventTimeWindow {
    /** The window kinds. */
    public enum Kind { TUMBLING, HOPPING, SESSION }

    private final Kind kind;
    private final String column;
    private final long size;
    private final long slide;

    private EventTimeWindow(final Kind kind, final String column, final long size, final long slide) {
        this.kind = kind;
        this.column = Objects.requireNonNull(column, "column");
        this.size = size;
        this.slide = slide;
    }

    /** Adjacent windows of {@code size} over {@code column}: each row falls into exactly one. */
    public static EventTimeWindow tumbling(final String column, final Duration size) {
        final long s = millis("tumbling window size", size);
        return new EventTimeWindow(Kind.TUMBLING, column, s, s);
    }

    /**
     * Windows of {@code size} starting every {@code slide} over {@code column}: each row falls into
     * {@code size / slide} windows. The size must be a multiple of the slide.
     */
    public static EventTimeWindow hopping(final String column, final Duration size, final Duration slide) {
        final long s = millis("hopping window size", size);
        final long h = millis("hopping window slide", slide);
        if (s % h != 0) {
            throw new IllegalArgumentException("hopping window size=" + s + "ms must be a multiple of slide=" + h + "ms");
        }
        return new EventTimeWindow(Kind.HOPPING, column, s, h);
    }

    /**
     * Session windows over {@code column}: per key, a row at {@code ts} opens {@code [ts, ts + gap)}; windows of the
     * same key that overlap or touch merge, so a session ends {@code gap} after its last row.
     */
    public static EventTimeWindow session(final String column, final Duration gap) {
        return new EventTimeWindow(Kind.SESSION, column, millis("session gap", gap), 0);
    }

    private static long millis(final String what, final Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero() || value.toNanos() % 1_000_000L != 0) {
            throw new IllegalArgumentException(what + "=" + value + " must be a positive whole number of milliseconds");
        }
        return value.toMillis();
    }

    public Kind kind() {
        return kind;
    }

    /** The INT64 event-time column. */
    public String column() {
        return column;
    }

    /** The window size (fixed windows) or the gap (sessions), in ms. */
    public long sizeMillis() {
        return size;
    }

    /** The slide of fixed windows (the size for tumbling), in ms; 0 for sessions. */
    public long slideMillis() {
        return slide;
    }

    /** Whether windows are per key and merge (sessions). */
    public boolean isSession() {
        return kind == Kind.SESSION;
    }

    /** The start of the last (newest) fixed window holding {@code ts}. */
    public long lastStart(final long ts) {
        return Math.floorDiv(ts, slide) * slide;
    }

    /** The start of the first (oldest) fixed window holding {@code ts}. */
    public long firstStart(final long ts) {
        return lastStart(ts) - size + slide;
    }

    /** Whether a row at {@code ts} falls only into windows closed by {@code watermark}. */
    public boolean isLate(final long ts, final long watermark) {
        final long end = kind == Kind.SESSION ? ts + size : lastStart(ts) + size;
        return end <= watermark;
    }

    @Override
    public String toString() {
        switch (kind) {
            case TUMBLING:
                return "tumbling(" + column + ", " + size + "ms)";
            case HOPPING:
                return "hopping(" + column + ", " + size + "ms, " + slide + "ms)";
            default:
                return "session(" + column + ", gap " + size + "ms)";
        }
    }
}
