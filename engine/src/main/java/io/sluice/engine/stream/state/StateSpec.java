package io.sluice.engine.stream.state;

import java.util.Objects;

import io.sluice.memory.Schema;

/**
 * What {@code mapWithState} needs (Spark's {@code StateSpec}): the mapping function, the schema of state rows, the
 * schema of mapped rows and an optional idle timeout. Immutable.
 */
public final class StateSpec {
    /** No timeout: keys stay until the function removes them. */
    public static final long NO_TIMEOUT = 0;

    private final StateMappingFunction function;
    private final Schema stateSchema;
    private final Schema mappedSchema;
    private final long timeoutMillis;

    private StateSpec(final StateMappingFunction function, final Schema stateSchema, final Schema mappedSchema,
                      final long timeoutMillis) {
        this.function = Objects.requireNonNull(function, "function");
        this.stateSchema = Objects.requireNonNull(stateSchema, "stateSchema");
        this.mappedSchema = Objects.requireNonNull(mappedSchema, "mappedSchema");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis=" + timeoutMillis + " must be >= 0 (0 = no timeout)");
        }
        this.timeoutMillis = timeoutMillis;
    }

    /** A spec without timeout. */
    public static StateSpec function(final StateMappingFunction function, final Schema stateSchema, final Schema mappedSchema) {
        return new StateSpec(function, stateSchema, mappedSchema, NO_TIMEOUT);
    }

    /**
     * This spec with an idle timeout: a key whose state was not updated nor given a value for more than
     * {@code millis} (its last update time is before {@code batchTime - millis}) is called once timing out, then removed.
     */
    public StateSpec timeout(final long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("timeout millis=" + millis + " must be > 0");
        }
        return new StateSpec(function, stateSchema, mappedSchema, millis);
    }

    public StateMappingFunction function() {
        return function;
    }

    public Schema stateSchema() {
        return stateSchema;
    }

    public Schema mappedSchema() {
        return mappedSchema;
    }

    /** The idle timeout in ms, or {@link #NO_TIMEOUT}. */
    public long timeoutMillis() {
        return timeoutMillis;
    }
}
