package io.sluice.engine.stream.eventtime;

import java.util.Arrays;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.stream.state.KeyIndex;
import io.sluice.memory.Batch;
import io.sluice.memory.ColumnType;
import io.sluice.memory.ColumnVector;
import io.sluice.memory.Float64Vector;
import io.sluice.memory.Int32Vector;
import io.sluice.memory.Int64Vector;

/**
 * The partial aggregate of rows {@code [from, to)} of one input batch under one watermark: one group per (pane, key),
 * where a pane is the window slide for fixed windows (a row's newest window; a hopping window is the union of the
 * panes it spans) and the gap for sessions (rows of one key in one gap-wide pane always fall into one session), with
 * primitive accumulators, the pane's first and last event time, and one row of the batch as the key's representative;
 * plus the rows found late. Computed by a stage task on a worker (no shared state: its own {@link KeyIndex}, reading
 * the batch only); {@link WindowAggregation#merge} folds it into the window state on the job thread, one step per
 * group instead of per row. On-heap only, so a discarded attempt holds nothing to release. Single-threaded.
 */
public final class WindowPartial {
    private static final int DENSE_PANES = 8;
    private static final int NO_GROUP = -1;

    private final PartialAggregation layout;
    private final Batch batch;
    private final long watermark;
    private final KeyIndex index;
    private final ColumnVector[] values;
    private final IntArrayList lateRows;
    private long late;

    private long lastPane = Long.MIN_VALUE;
    private int lastPaneIndex = NO_GROUP;
    private long[] panes = new long[4];
    private int paneCount;
    private final Long2LongHashMap paneIndex = new Long2LongHashMap(NO_GROUP);
    /** For the first {@link #DENSE_PANES} panes: group + 1 per key slot (0: none); later panes go to {@link #sparse}. */
    private final int[][] dense = new int[DENSE_PANES][];
    private final Long2LongHashMap sparse = new Long2LongHashMap(NO_GROUP);

    private int groups;
    private long[] groupPane = new long[16];
    private int[] groupRow = new int[16];
    private long[] minTime;
    private long[] maxTime;
    private final long[][] counts;
    private final long[][] longs;
    private final double[][] doubles;

    private WindowPartial(final PartialAggregation layout, final Batch batch, final long watermark, final boolean keepLateRows) {
        this.layout = layout;
        this.batch = batch;
        this.watermark = watermark;
        this.index = layout.keySchema() == null ? null : new KeyIndex(layout.keySchema());
        this.lateRows = keepLateRows ? new IntArrayList() : null;
        final int aggs = layout.aggs();
        this.values = new ColumnVector[aggs];
        for (int a = 0; a < aggs; a++) {
            values[a] = layout.aggColumn(a) < 0 ? null : batch.vector(layout.aggColumn(a));
        }
        counts = new long[aggs][16];
        longs = new long[aggs][16];
        doubles = new double[aggs][16];
        if (layout.window().isSession()) {
            minTime = new long[16];
            maxTime = new long[16];
        }
        if (index != null) {
            index.bind(batch, layout.keyColumns());
        }
    }

    /**
     * Aggregates rows {@code [from, to)} of {@code batch} (the layout's input schema) under {@code watermark}: a row
     * all of whose windows are closed is late (counted, and its index kept if {@code keepLateRows}). A null event time
     * or key fails naming the row.
     */
    static WindowPartial of(final PartialAggregation layout, final Batch batch, final int from, final int to, final long watermark,
                            final boolean keepLateRows) {
        final WindowPartial p = new WindowPartial(layout, batch, watermark, keepLateRows);
        p.addRows(from, to);
        return p;
    }

    private void addRows(final int from, final int to) {
        final EventTimeWindow window = layout.window();
        final boolean session = window.isSession();
        final long paneSize = session ? window.sizeMillis() : window.slideMillis();
        final long size = window.sizeMillis();
        final Int64Vector ts = batch.int64Vector(layout.timeColumn());
        final boolean mayBeNull = ts.field().isNullable();
        for (int r = from; r < to; r++) {
            if (mayBeNull && ts.isNull(r)) {
                throw new IllegalArgumentException(window + ": event-time column '" + window.column() + "' is null at row " + r);
            }
            final long t = ts.get(r);
            final long pane = Math.floorDiv(t, paneSize) * paneSize;
            // As EventTimeWindow.isLate: a session row's window ends gap after it, a fixed row's newest one after its pane.
            if ((session ? t : pane) + size <= watermark) {
                late++;
                if (lateRows != null) {
                    lateRows.addInt(r);
                }
                continue;
            }
            final int g = group(pane, r);
            accumulate(g, r);
            if (session) {
                minTime[g] = Math.min(minTime[g], t);
                maxTime[g] = Math.max(maxTime[g], t);
            }
        }
    }

    /** The group of (pane, key of {@code row}), made if new. */
    private int group(final long pane, final int row) {
        final int p = pane == lastPane && lastPaneIndex >= 0 ? lastPaneIndex : paneIndexOf(pane);
        final int slot = keySlot(row);
        if (p < DENSE_PANES) {
            int[] bySlot = dense[p];
            if (bySlot == null || slot >= bySlot.length) {
                final int held = bySlot == null ? 0 : bySlot.length;
                bySlot = Arrays.copyOf(bySlot == null ? new int[0] : bySlot, Math.max(16, Math.max(slot + 1, 2 * held)));
                dense[p] = bySlot;
            }
            if (bySlot[slot] == 0) {
                bySlot[slot] = newGroup(pane, row) + 1;
            }
            return bySlot[slot] - 1;
        }
        final long packed = ((long) p << 32) | slot;
        int g = (int) sparse.get(packed);
        if (g == NO_GROUP) {
            g = newGroup(pane, row);
            sparse.put(packed, g);
        }
        return g;
    }

    private int paneIndexOf(final long pane) {
        int p = (int) paneIndex.get(pane);
        if (p == NO_GROUP) {
            p = paneCount++;
            paneIndex.put(pane, p);
            if (p == panes.length) {
                panes = Arrays.copyOf(panes, p * 2);
            }
            panes[p] = pane;
        }
        lastPane = pane;
        lastPaneIndex = p;
        return p;
    }

    private int keySlot(final int row) {
        if (index == null) {
            return 0;
        }
        final int found = index.find(row);
        return found >= 0 ? found : index.addLastFound();
    }

    private int newGroup(final long pane, final int row) {
        final int g = groups++;
        if (g == groupRow.length) {
            final int n = g * 2;
            groupPane = Arrays.copyOf(groupPane, n);
            groupRow = Arrays.copyOf(groupRow, n);
            if (minTime != null) {
                minTime = Arrays.copyOf(minTime, n);
                maxTime = Arrays.copyOf(maxTime, n);
            }
            for (int a = 0; a < counts.length; a++) {
                counts[a] = Arrays.copyOf(counts[a], n);
                longs[a] = Arrays.copyOf(longs[a], n);
                doubles[a] = Arrays.copyOf(doubles[a], n);
            }
        }
        groupPane[g] = pane;
        groupRow[g] = row;
        if (minTime != null) {
            minTime[g] = Long.MAX_VALUE;
            maxTime[g] = Long.MIN_VALUE;
        }
        for (int a = 0; a < counts.length; a++) {
            final Agg.Fn fn = layout.fn(a);
            counts[a][g] = 0;
            longs[a][g] = fn == Agg.Fn.MIN ? Long.MAX_VALUE : fn == Agg.Fn.MAX ? Long.MIN_VALUE : 0;
            doubles[a][g] = fn == Agg.Fn.MIN ? Double.POSITIVE_INFINITY : fn == Agg.Fn.MAX ? Double.NEGATIVE_INFINITY : 0;
        }
        return g;
    }

    private void accumulate(final int g, final int row) {
        for (int a = 0; a < counts.length; a++) {
            final ColumnVector v = values[a];
            if (v == null) {
                counts[a][g]++;
                continue;
            }
            if (v.isNull(row)) {
                continue;
            }
            counts[a][g]++;
            final Agg.Fn fn = layout.fn(a);
            if (fn == Agg.Fn.COUNT) {
                continue;
            }
            if (layout.isDouble(a)) {
                final double x = v.type() == ColumnType.FLOAT64 ? ((Float64Vector) v).get(row) : integral(v, row);
                doubles[a][g] = fold(fn, doubles[a][g], x);
            } else {
                longs[a][g] = fold(fn, longs[a][g], integral(v, row));
            }
        }
    }

    private static long integral(final ColumnVector v, final int row) {
        return v.type() == ColumnType.INT32 ? ((Int32Vector) v).get(row) : ((Int64Vector) v).get(row);
    }

    /** COUNT and SUM add, MIN and MAX keep the extreme (COUNT's value is unused: its count is the result). */
    static long fold(final Agg.Fn fn, final long acc, final long x) {
        switch (fn) {
            case MIN:
                return Math.min(acc, x);
            case MAX:
                return Math.max(acc, x);
            default:
                return acc + x;
        }
    }

    static double fold(final Agg.Fn fn, final double acc, final double x) {
        switch (fn) {
            case MIN:
                return Math.min(acc, x);
            case MAX:
                return Math.max(acc, x);
            default:
                return acc + x;
        }
    }

    // ---- read by the merge ----------------------------------------------------------------------------------------

    /** The batch the groups' rows and the late rows index. */
    public Batch batch() {
        return batch;
    }

    long watermark() {
        return watermark;
    }

    int groups() {
        return groups;
    }

    /** The pane start of group {@code g}: its newest fixed window's start, or for sessions a multiple of the gap. */
    long pane(final int g) {
        return groupPane[g];
    }

    /** A row of the batch holding group {@code g}'s key. */
    int row(final int g) {
        return groupRow[g];
    }

    /** The first event time of session group {@code g}. */
    long minTime(final int g) {
        return minTime[g];
    }

    /** The last event time of session group {@code g}. */
    long maxTime(final int g) {
        return maxTime[g];
    }

    /** Non-null values of aggregate {@code a} in group {@code g} (rows, for COUNT(*)). */
    long count(final int a, final int g) {
        return counts[a][g];
    }

    /** The integral accumulator of aggregate {@code a} in group {@code g}. */
    long longValue(final int a, final int g) {
        return longs[a][g];
    }

    /** The FLOAT64 accumulator of aggregate {@code a} in group {@code g}. */
    double doubleValue(final int a, final int g) {
        return doubles[a][g];
    }

    /** Rows found late. */
    public long lateCount() {
        return late;
    }

    /** The late rows' indexes in the batch, ascending; null unless asked for. */
    public IntArrayList lateRows() {
        return lateRows;
    }
}
