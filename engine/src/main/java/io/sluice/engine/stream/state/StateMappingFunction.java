package io.sluice.engine.stream.state;

import java.util.Optional;

/**
 * The function of {@code mapWithState}: called once per input row with the row's key, its value columns (every
 * non-key column, in schema order) and the key's {@link State}, and once more with an empty value when the key
 * times out. Returns one mapped row of the spec's mapped schema, or null for no output row.
 */
@FunctionalInterface
public interface StateMappingFunction {
    Object[] map(Object[] key, Optional<Object[]> value, State state);
}
