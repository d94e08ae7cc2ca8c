package io.sluice.engine.stream.state;

import java.util.List;
import java.util.Objects;

import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;

/**
 * What a {@link LongColumnsState} needs: the names of its INT64 state columns, the names of the INT64 columns of the
 * rows its fold emits, the {@link LongColumnsFold}, an optional idle timeout and the most rows it holds deferred.
 * Immutable.
 */
public final class LongColumnsSpec {
    /** No timeout: keys stay, and deferred rows wait, for the life of the state. */
    public static final long NO_TIMEOUT = 0;
    /** Deferred rows held at most, unless set: past it the update fails (no row is dropped silently). */
    public static final int DEFAULT_MAX_DEFERRED_ROWS = 1 << 20;

    private final Schema stateSchema;
    private final Schema outputSchema;
    private final LongColumnsFold fold;
    private final long timeoutMillis;
    private final int maxDeferredRows;

    private LongColumnsSpec(final Schema stateSchema, final Schema outputSchema, final LongColumnsFold fold,
                            final long timeoutMillis, final int maxDeferredRows) {
        this.stateSchema = stateSchema;
        this.outputSchema = outputSchema;
        this.fold = Objects.requireNonNull(fold, "fold");
        this.timeoutMillis = timeoutMillis;
        this.maxDeferredRows = maxDeferredRows;
    }

    /**
     * State columns {@code state} per key (1 to {@value LongStateTable#MAX_COLUMNS}, all starting at 0), output rows of
     * columns {@code output} (1 to 64), folded by {@code fold}; no timeout.
     */
    public static LongColumnsSpec of(final List<String> state, final List<String> output, final LongColumnsFold fold) {
        final Schema stateSchema = int64Schema(state, "state");
        if (state.size() > LongStateTable.MAX_COLUMNS) {
            throw new IllegalArgumentException("state columns=" + state.size() + " exceed " + LongStateTable.MAX_COLUMNS);
        }
        final Schema outputSchema = int64Schema(output, "output");
        if (output.size() > Long.SIZE) {
            throw new IllegalArgumentException("output columns=" + output.size() + " exceed " + Long.SIZE);
        }
        return new LongColumnsSpec(stateSchema, outputSchema, fold, NO_TIMEOUT, DEFAULT_MAX_DEFERRED_ROWS);
    }

    private static Schema int64Schema(final List<String> names, final String what) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException(what + " columns must name at least one column, got " + names);
        }
        final Field[] fields = new Field[names.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = Field.notNull(Objects.requireNonNull(names.get(i), what + " column name"), ColumnType.INT64);
        }
        return Schema.of(fields);
    }

    /**
     * This spec with an idle timeout: after each batch time, keys last updated more than {@code millis} before it
     * are dropped, and so are rows deferred for longer.
     */
    public LongColumnsSpec timeout(final long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("timeout millis=" + millis + " must be > 0");
        }
        return new LongColumnsSpec(stateSchema, outputSchema, fold, millis, maxDeferredRows);
    }

    /** This spec holding at most {@code rows} deferred rows: an update that would hold more fails, naming the state. */
    public LongColumnsSpec maxDeferredRows(final int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("maxDeferredRows=" + rows + " must be >= 0");
        }
        return new LongColumnsSpec(stateSchema, outputSchema, fold, timeoutMillis, rows);
    }

    /** The state columns, all non-null INT64. */
    public Schema stateSchema() {
        return stateSchema;
    }

    /** The columns of emitted rows, all non-null INT64. */
    public Schema outputSchema() {
        return outputSchema;
    }

    public LongColumnsFold fold() {
        return fold;
    }

    /** The idle timeout in ms, or {@link #NO_TIMEOUT}. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    public int maxDeferredRows() {
        return maxDeferredRows;
    }
}
