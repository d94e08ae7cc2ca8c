package io.sluice.nexmark;

/**
 * Where the generator puts one event's fields, by column index of the kind's schema ({@link NexmarkSchemas}):
 * off-heap batch columns for Sluice, an object for Flink. Strings arrive as ASCII bytes in a scratch buffer that
 * the writer must copy before it returns.
 */
public interface EventWriter {
    void int64(int column, long value);

    void ascii(int column, byte[] bytes, int length);
}
