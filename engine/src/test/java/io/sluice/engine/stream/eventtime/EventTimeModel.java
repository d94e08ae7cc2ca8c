package io.sluice.engine.stream.eventtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The plain-Java reference for event-time windows: rows (ts, key, value) batch by batch, a watermark (max event
 * time seen minus the lateness, never backwards, applied from the next batch), windows as lists of values, written
 * from the definitions in {@link EventTimeWindow} and {@link OutputMode} without sharing code with the engine. Each
 * emitted row: window_start, window_end, key, count(*), sum(v), min(v), max(v) (nulls skipped; null when no value).
 */
public final class EventTimeModel {
    /** One input row; {@code value} may be null. */
    public record Row(long ts, Object key, Long value) {
    }

    private static final class Win {
        long start;
        long end;
        final Object key;
        final List<Long> values = new ArrayList<>();
        int rows;

        Win(final long start, final long end, final Object key) {
            this.start = start;
            this.end = end;
            this.key = key;
        }

        List<Object> output() {
            long sum = 0;
            Long min = null;
            Long max = null;
            for (final long v : values) {
                sum += v;
                min = min == null ? v : Math.min(min, v);
                max = max == null ? v : Math.max(max, v);
            }
            return Arrays.asList(start, end, key, (long) rows, values.isEmpty() ? null : sum, min, max);
        }
    }

    private final EventTimeWindow window;
    private final OutputMode mode;
    private final long lateness;
    private final Map<List<Object>, Win> fixed = new HashMap<>();
    private final Map<Object, List<Win>> sessions = new HashMap<>();
    private long watermark = Long.MIN_VALUE;
    private long maxSeen = Long.MIN_VALUE;
    private long late;

    public EventTimeModel(final EventTimeWindow window, final OutputMode mode, final long lateness) {
        this.window = window;
        this.mode = mode;
        this.lateness = lateness;
    }

    public long watermark() {
        return watermark;
    }

    public long late() {
        return late;
    }

    /** Runs one batch; returns the rows it emits, sorted by window start, end, key. */
    public List<List<Object>> batch(final List<Row> rows) {
        final Set<Win> touched = new LinkedHashSet<>();
        for (final Row row : rows) {
            maxSeen = Math.max(maxSeen, row.ts());
            if (window.isSession() ? addSession(row, touched) : addFixed(row, touched)) {
                continue;
            }
            late++;
        }
        if (maxSeen != Long.MIN_VALUE) {
            watermark = Math.max(watermark, maxSeen - lateness);
        }
        final List<Win> out = new ArrayList<>();
        final List<Win> all = new ArrayList<>(fixed.values());
        sessions.values().forEach(all::addAll);
        if (mode == OutputMode.UPDATE) {
            for (final Win w : touched) {
                if (all.contains(w)) {
                    out.add(w);
                }
            }
        }
        for (final Win w : all) {
            if (w.end <= watermark) {
                if (mode == OutputMode.APPEND) {
                    out.add(w);
                }
                if (window.isSession()) {
                    sessions.get(w.key).remove(w);
                } else {
                    fixed.remove(Arrays.asList(w.start, w.key));
                }
            }
        }
        final List<List<Object>> result = new ArrayList<>();
        for (final Win w : out) {
            result.add(w.output());
        }
        result.sort(ROWS);
        return result;
    }

    /** Adds to every open fixed window holding the row; false when there is none (late). */
    private boolean addFixed(final Row row, final Set<Win> touched) {
        boolean any = false;
        final long size = window.sizeMillis();
        final long slide = window.slideMillis();
        // Every start that is a multiple of the slide with start <= ts < start + size, by brute force.
        for (long start = Math.floorDiv(row.ts() - size, slide) * slide; start <= row.ts(); start += slide) {
            if (start + size <= row.ts() || start > row.ts()) {
                continue;
            }
            if (start + size <= watermark) {
                continue;
            }
            any = true;
            final Win w = fixed.computeIfAbsent(Arrays.asList(start, row.key()), k -> new Win((Long) k.get(0),
                (Long) k.get(0) + size, row.key()));
            add(w, row);
            touched.add(w);
        }
        return any;
    }

    private boolean addSession(final Row row, final Set<Win> touched) {
        final long gap = window.sizeMillis();
        if (row.ts() + gap <= watermark) {
            return false;
        }
        final List<Win> list = sessions.computeIfAbsent(row.key(), k -> new ArrayList<>());
        Win merged = new Win(row.ts(), row.ts() + gap, row.key());
        for (final Iterator<Win> it = list.iterator(); it.hasNext();) {
            final Win w = it.next();
            if (w.start <= merged.end && merged.start <= w.end) {
                it.remove();
                w.start = Math.min(w.start, merged.start);
                w.end = Math.max(w.end, merged.end);
                w.values.addAll(merged.values);
                w.rows += merged.rows;
                touched.remove(merged);
                merged = w;
            }
        }
        list.add(merged);
        add(merged, row);
        touched.add(merged);
        return true;
    }

    private static void add(final Win w, final Row row) {
        w.rows++;
        if (row.value() != null) {
            w.values.add(row.value());
        }
    }

    /** Window start, end, then the key (Long or String). */
    static final Comparator<List<Object>> ROWS = (a, b) -> {
        int c = Long.compare((Long) a.get(0), (Long) b.get(0));
        if (c == 0) {
            c = Long.compare((Long) a.get(1), (Long) b.get(1));
        }
        if (c == 0) {
            c = compareKeys(a.get(2), b.get(2));
        }
        return c;
    };

    @SuppressWarnings("unchecked")
    private static int compareKeys(final Object a, final Object b) {
        return Objects.compare((Comparable<Object>) a, (Comparable<Object>) b, Comparator.naturalOrder());
    }

    /** The windows held, for state-size checks. */
    public int held() {
        int n = fixed.size();
        for (final List<Win> list : sessions.values()) {
            n += list.size();
        }
        return n;
    }
}
