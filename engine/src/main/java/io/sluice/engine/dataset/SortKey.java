package io.sluice.engine.dataset;

import java.util.Objects;

/** One column of a sort order: ascending puts nulls last, descending puts them first. Immutable. */
public final class SortKey {
    private final String column;
    private final boolean ascending;

    private SortKey(final String column, final boolean ascending) {
        this.column = Objects.requireNonNull(column, "column");
        this.ascending = ascending;
    }

    public static SortKey asc(final String column) {
        return new SortKey(column, true);
    }

    public static SortKey desc(final String column) {
        return new SortKey(column, false);
    }

    public String column() {
        return column;
    }

    public boolean ascending() {
        return ascending;
    }

    @Override
    public String toString() {
        return column + (ascending ? " ASC" : " DESC");
    }
}
