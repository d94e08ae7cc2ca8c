package io.sluice.nexmark;

import io.sluice.memory.BatchBuilder;

/** The generator's fields into a batch builder's current row (the caller ends the row). */
final class BuilderWriter implements EventWriter {
    private final BatchBuilder builder;

    BuilderWriter(final BatchBuilder builder) {
        this.builder = builder;
    }

    @Override
    public void int64(final int column, final long value) {
        builder.setInt64(column, value);
    }

    @Override
    public void ascii(final int column, final byte[] bytes, final int length) {
        builder.setUtf8(column, bytes, 0, length);
    }
}
