package io.sluice.engine.stream.state;

import java.util.Optional;

/**
 * The state of one key as seen by a {@link StateMappingFunction} of {@code mapWithState} (Spark's {@code State}):
 * a boxed state row that the function may read, replace or remove. Valid only during the call it is passed to.
 */
public interface State {
    /** Whether the key has state. */
    boolean exists();

    /** The state row (a fresh array); throws {@link java.util.NoSuchElementException} if there is none. */
    Object[] get();

    /** The state row, or empty. */
    default Optional<Object[]> getOption() {
        return exists() ? Optional.of(get()) : Optional.empty();
    }

    /**
     * Sets the key's state (checked against the state schema). Throws {@link IllegalStateException} when the state
     * is timing out or was removed in this call.
     */
    void update(Object[] state);

    /** Removes the key's state. Throws {@link IllegalStateException} when the state is timing out or already removed. */
    void remove();

    /** Whether this call is the one made for a key idle longer than the timeout (its value is then empty). */
    boolean isTimingOut();
}
