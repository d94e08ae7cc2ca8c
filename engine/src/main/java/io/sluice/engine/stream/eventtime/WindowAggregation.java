package io.sluice.engine.stream.eventtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.sched.Scheduler;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Schema;

/**
 * Event-time window aggregation of one operator, independent of the stream machinery: {@link #addAll} takes a batch
 * time's batches under the watermark of the batches before it, {@link #emit} closes what the new watermark passed.
 * Rows are first aggregated per (pane, key) in parallel on the workers ({@link WindowPartial}); only those groups are
 * folded into the state, on the caller's thread ({@link #add} does both on the caller's thread). Fixed windows
 * are indexed window start -> key -> entry; sessions key -> its sessions, with a queue by end time for closing
 * them. The accumulators live off-heap in a {@link WindowStateTable}; entries leave it when their window closes, so
 * the state is bounded by the keys active within the lateness (plus the window size). Single-threaded (its stage's
 * tasks share nothing with it but the read-only input). Internal:
 * public for the window operator of {@code io.sluice.engine.stream.dstream}.
 */
public final class WindowAggregation implements AutoCloseable {
    private static final int MISSING = -1;

    private final EventTimeWindow window;
    private final OutputMode mode;
    private final WindowStateTable table;
    private final PartialAggregation partials;
    private final BufferAllocator allocator;
    private final TreeMap<Long, Int2IntHashMap> fixed = new TreeMap<>();
    private final Int2ObjectHashMap<IntArrayList> sessions = new Int2ObjectHashMap<>();
    private final TreeMap<Long, LongArrayList> sessionEnds = new TreeMap<>();
    private final LongArrayList dirty = new LongArrayList();
    private int[] generation = new int[64];
    private int[] dirtyMark = new int[64];
    private int round = 1;
    private long lateRecords;
    private long cachedStart = Long.MIN_VALUE;
    private Int2IntHashMap cachedWindow;

    public WindowAggregation(final BufferAllocator allocator, final Schema input, final EventTimeWindow window, final List<String> keys,
                      final List<Agg> aggs, final OutputMode mode) {
        this.allocator = allocator;
        this.window = window;
        this.mode = mode;
        final String timeName = window.column();
        if (!input.contains(timeName)) {
            throw new IllegalArgumentException(window + ": event-time column '" + timeName + "' not in schema=" + input);
        }
        final int timeColumn = input.indexOf(timeName);
        if (input.field(timeColumn).type() != ColumnType.INT64) {
            throw new IllegalArgumentException(window + ": event-time column '" + timeName + "' has type="
                + input.field(timeColumn).type() + ", expected INT64 epoch millis");
        }
        for (final String key : keys) {
            if (!input.contains(key)) {
                throw new IllegalArgumentException(window + ": key column '" + key + "' not in schema=" + input);
            }
        }
        this.table = new WindowStateTable(allocator, input, keys, aggs);
        this.partials = table.partialAggregation(window, timeColumn);
    }

    public Schema outputSchema() {
        return table.outputSchema();
    }

    /** Rows dropped as late so far. */
    public long lateRecords() {
        return lateRecords;
    }

    /** (window, key) entries held. */
    public int entries() {
        return table.entries();
    }

    /** Off-heap bytes of the state slab. */
    public long stateBytes() {
        return table.slabBytes();
    }

    /**
     * Adds the rows of {@code batch} under {@code watermark} on the calling thread; a row all of whose windows are
     * closed is late: counted and, if {@code lateRows} is given, its index added there. Returns the late rows of this
     * batch. A null event time fails naming the row.
     */
    public long add(final Batch batch, final long watermark, final IntArrayList lateRows) {
        final WindowPartial partial = partials.one(batch, watermark, lateRows != null);
        merge(partial);
        if (lateRows != null) {
            lateRows.addAll(partial.lateRows());
        }
        return partial.lateCount();
    }

    /**
     * Adds the rows of every batch of {@code batches} under {@code watermark}: partially aggregated per (pane, key) in
     * one stage on {@code scheduler}'s workers ({@code stage} names it), then merged into the state here. Returns the
     * partials in batch, then row order (for their late rows). A null event time or key fails the stage naming the row.
     */
    public List<WindowPartial> addAll(final Scheduler scheduler, final String stage, final List<Batch> batches,
                                      final long watermark, final boolean keepLateRows) {
        final List<WindowPartial> out = partials.run(scheduler, stage, batches, watermark, keepLateRows);
        for (final WindowPartial partial : out) {
            merge(partial);
        }
        return out;
    }

    /** What this aggregation's partials read (for tests that build partials themselves). */
    PartialAggregation partialAggregation() {
        return partials;
    }

    /** Folds {@code partial} into the state, one step per (pane, key) group, and counts its late rows. */
    void merge(final WindowPartial partial) {
        table.bind(partial.batch());
        try {
            final int groups = partial.groups();
            for (int g = 0; g < groups; g++) {
                final int key = table.keyId(partial.row(g));
                if (window.isSession()) {
                    addToSession(key, partial.minTime(g), partial.maxTime(g) + window.sizeMillis(), partial, g);
                } else {
                    addToFixed(key, partial.pane(g), partial.watermark(), partial, g);
                }
            }
        } finally {
            table.unbind();
        }
        lateRecords += partial.lateCount();
    }

    /** Adds a pane's group to every window holding the pane (one for tumbling) that {@code watermark} left open. */
    private void addToFixed(final int key, final long pane, final long watermark, final WindowPartial partial, final int g) {
        final long size = window.sizeMillis();
        for (long start = pane; start > pane - size; start -= window.slideMillis()) {
            if (start + size <= watermark) {
                break;     // this and every older window holding the pane are closed
            }
            final Int2IntHashMap keys = windowIndex(start);
            int e = keys.get(key);
            if (e == MISSING) {
                e = table.newEntry(start, start + size, key);
                keys.put(key, e);
                track(e);
            }
            table.accumulate(e, partial, g);
            markDirty(e);
        }
    }

    private Int2IntHashMap windowIndex(final long start) {
        if (start == cachedStart && cachedWindow != null) {
            return cachedWindow;
        }
        Int2IntHashMap keys = fixed.get(start);
        if (keys == null) {
            keys = new Int2IntHashMap(MISSING);
            fixed.put(start, keys);
        }
        cachedStart = start;
        cachedWindow = keys;
        return keys;
    }

    /** Adds a session group spanning {@code [from, to)} to its key's sessions, merging every one it overlaps or touches. */
    private void addToSession(final int key, final long from, final long to, final WindowPartial partial, final int g) {
        IntArrayList list = sessions.get(key);
        if (list == null) {
            list = new IntArrayList(2, MISSING);
            sessions.put(key, list);
        }
        long start = from;
        long end = to;
        int target = MISSING;
        for (int i = 0; i < list.size();) {
            final int e = list.getInt(i);
            if (table.start(e) <= end && table.end(e) >= start) {
                start = Math.min(start, table.start(e));
                end = Math.max(end, table.end(e));
                if (target == MISSING) {
                    target = e;
                    i++;
                } else {
                    table.combine(target, e);
                    list.fastUnorderedRemove(i);
                    release(e);
                }
            } else {
                i++;
            }
        }
        if (target == MISSING) {
            target = table.newEntry(start, end, key);
            track(target);
            list.addInt(target);
            enqueueEnd(target, end);
        } else if (table.end(target) != end || table.start(target) != start) {
            final boolean moved = table.end(target) != end;
            table.setBounds(target, start, end);
            if (moved) {
                enqueueEnd(target, end);
            }
        }
        table.accumulate(target, partial, g);
        markDirty(target);
    }

    private void track(final int e) {
        if (e >= generation.length) {
            final int n = Math.max(e + 1, generation.length * 2);
            generation = Arrays.copyOf(generation, n);
            dirtyMark = Arrays.copyOf(dirtyMark, n);
        }
        dirtyMark[e] = 0;
    }

    private long ref(final int e) {
        return ((long) generation[e] << 32) | (e & 0xFFFFFFFFL);
    }

    private boolean current(final long ref) {
        final int e = (int) ref;
        return generation[e] == (int) (ref >>> 32);
    }

    private void enqueueEnd(final int e, final long end) {
        sessionEnds.computeIfAbsent(end, x -> new LongArrayList()).addLong(ref(e));
    }

    private void markDirty(final int e) {
        if (mode == OutputMode.UPDATE && dirtyMark[e] != round) {
            dirtyMark[e] = round;
            dirty.addLong(ref(e));
        }
    }

    private void release(final int e) {
        generation[e]++;
        table.free(e);
    }

    /**
     * The rows this batch emits now that the watermark is {@code watermark}, as one batch of {@link #outputSchema()}
     * ordered by window then key (the caller owns it; null when there are none): in append mode the windows it closes;
     * in update mode the windows the batch changed. Closed windows then leave the state.
     */
    public Batch emit(final long watermark) {
        final IntArrayList out = new IntArrayList();
        final IntArrayList closed = new IntArrayList();
        if (mode == OutputMode.UPDATE) {
            for (int i = 0; i < dirty.size(); i++) {
                final long ref = dirty.getLong(i);
                if (current(ref)) {
                    out.addInt((int) ref);
                }
            }
            dirty.clear();
            round++;
        }
        collectClosed(watermark, closed);
        if (mode == OutputMode.APPEND) {
            out.addAll(closed);
        }
        try {
            return out.isEmpty() ? null : build(out);
        } finally {
            for (int i = 0; i < closed.size(); i++) {
                release(closed.getInt(i));
            }
        }
    }

    private void collectClosed(final long watermark, final IntArrayList closed) {
        if (!window.isSession()) {
            for (final Iterator<Map.Entry<Long, Int2IntHashMap>> it = fixed.entrySet().iterator(); it.hasNext();) {
                final Map.Entry<Long, Int2IntHashMap> w = it.next();
                if (w.getKey() + window.sizeMillis() > watermark) {
                    break;
                }
                entriesOf(w.getValue(), closed);
                it.remove();
                if (w.getKey() == cachedStart) {
                    cachedWindow = null;
                }
            }
            return;
        }
        while (!sessionEnds.isEmpty() && sessionEnds.firstKey() <= watermark) {
            final Map.Entry<Long, LongArrayList> bucket = sessionEnds.pollFirstEntry();
            final LongArrayList refs = bucket.getValue();
            for (int i = 0; i < refs.size(); i++) {
                final long ref = refs.getLong(i);
                final int e = (int) ref;
                if (current(ref) && table.end(e) == bucket.getKey()) {
                    closed.addInt(e);
                    final IntArrayList list = sessions.get(table.key(e));
                    list.removeInt(e);
                    if (list.isEmpty()) {
                        sessions.remove(table.key(e));
                    }
                }
            }
        }
    }

    private Batch build(final IntArrayList entries) {
        return write(entries, table.outputSchema(), false);
    }

    /** {@code entries} ordered by window then key, as output rows or snapshot rows of {@code schema}. */
    private Batch write(final IntArrayList entries, final Schema schema, final boolean snapshot) {
        final List<Integer> order = new ArrayList<>(entries);
        order.sort(table::compare);
        try (BatchBuilder builder = new BatchBuilder(allocator, schema, order.size())) {
            for (final int e : order) {
                if (snapshot) {
                    table.appendSnapshot(builder, e);
                } else {
                    table.appendOutput(builder, e);
                }
            }
            return builder.build();
        }
    }

    /** Adds every entry of a fixed window's index to {@code into}. */
    private static void entriesOf(final Int2IntHashMap window, final IntArrayList into) {
        final Int2IntHashMap.ValueIterator values = window.values().iterator();
        while (values.hasNext()) {
            into.addInt(values.nextValue());
        }
    }

    // ---- checkpoint -----------------------------------------------------------------------------------------------

    public Schema snapshotSchema() {
        return table.snapshotSchema();
    }

    /** Every entry as one batch of {@link #snapshotSchema()} (the caller owns it). */
    public Batch snapshot() {
        final IntArrayList all = new IntArrayList();
        if (window.isSession()) {
            sessions.values().forEach(list -> all.addAll(list));
        } else {
            fixed.values().forEach(keys -> entriesOf(keys, all));
        }
        return write(all, table.snapshotSchema(), true);
    }

    /** Replaces the state with the entries of {@code batches} (of {@link #snapshotSchema()}) and the late count. */
    public void restore(final List<Batch> batches, final long late) {
        clear();
        for (final Batch batch : batches) {
            table.bindSnapshot(batch);
            try {
                for (int r = 0; r < batch.rowCount(); r++) {
                    final int e = table.restoreEntry(batch, r);
                    track(e);
                    if (window.isSession()) {
                        IntArrayList list = sessions.get(table.key(e));
                        if (list == null) {
                            list = new IntArrayList(2, MISSING);
                            sessions.put(table.key(e), list);
                        }
                        list.addInt(e);
                        enqueueEnd(e, table.end(e));
                    } else {
                        windowIndex(table.start(e)).put(table.key(e), e);
                    }
                }
            } finally {
                table.unbind();
            }
        }
        lateRecords = late;
    }

    private void clear() {
        fixed.clear();
        sessions.clear();
        sessionEnds.clear();
        dirty.clear();
        cachedWindow = null;
        cachedStart = Long.MIN_VALUE;
        table.clear();
    }

    /** Frees the off-heap state. Idempotent. */
    @Override
    public void close() {
        table.close();
    }

    @Override
    public String toString() {
        return "groupByWindow(" + window + ", " + mode + ")";
    }
}
