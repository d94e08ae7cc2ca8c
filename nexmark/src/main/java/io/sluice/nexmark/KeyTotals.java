package io.sluice.nexmark;

import java.util.HashMap;
import java.util.Map;

import io.sluice.memory.Batch;

/**
 * Per-key totals of a windowed count over all windows: how a processing-time query's output compares across
 * engines, since which window an event falls in depends on when it was processed, but each key's total does not.
 * Rows are (window_start, window_end, key, count). Not thread-safe; merge per-thread totals.
 */
public final class KeyTotals {
    private static final int KEY = 2;
    private static final int COUNT = 3;

    private final Map<Long, Long> totals = new HashMap<>();

    /** Adds the counts of every row of {@code batch}. */
    public void addAll(final Batch batch) {
        for (int row = 0; row < batch.rowCount(); row++) {
            add(batch.int64Vector(KEY).get(row), batch.int64Vector(COUNT).get(row));
        }
    }

    /** Adds one row's count, given as its values (a Flink row's fields). */
    public void add(final Object[] row) {
        add((Long) row[KEY], (Long) row[COUNT]);
    }

    public void add(final long key, final long count) {
        totals.merge(key, count, Long::sum);
    }

    public void merge(final KeyTotals other) {
        other.totals.forEach(this::add);
    }

    /** The totals as a digest of (key, total) rows. */
    public RowDigest digest() {
        final RowDigest digest = new RowDigest();
        totals.forEach((key, total) -> {
            digest.longValue(key).longValue(total);
            digest.endRow();
        });
        return digest;
    }

    /** A copy of the totals by key. */
    public Map<Long, Long> asMap() {
        return new HashMap<>(totals);
    }
}
