package io.sluice.engine.stream.state;

import java.util.List;
import java.util.Optional;

/**
 * The function of {@code updateStateByKey}: called every batch for every key that has state or new values, with
 * the key, the value columns (every non-key column, in schema order) of this batch's rows of that key (possibly
 * none) and the previous state row. Returns the new state row, or empty to remove the key; never null.
 */
@FunctionalInterface
public interface StateUpdateFunction {
    Optional<Object[]> update(Object[] key, List<Object[]> values, Optional<Object[]> previous);
}
