package io.sluice.memory;

/** The buffers behind one column: validity (nullable fields only), offsets (UTF8 only) and data. */
final class ColumnData {
    final Field field;
    final OffHeapBuffer validity;
    final OffHeapBuffer offsets;
    final OffHeapBuffer data;

    ColumnData(final Field field, final OffHeapBuffer validity, final OffHeapBuffer offsets, final OffHeapBuffer data) {
        this.field = field;
        this.validity = validity;
        this.offsets = offsets;
        this.data = data;
    }

    /** Bytes allocated for this column: every buffer's capacity. */
    long allocatedBytes() {
        return (validity == null ? 0 : validity.capacity()) + (offsets == null ? 0 : offsets.capacity()) + (long) data.capacity();
    }

    /**
     * The same buffers under {@code as} (same type and nullability, any name), each with one more reference that the
     * returned column's {@link #release()} drops. If a buffer was already released nothing is retained and
     * {@link IllegalStateException} is thrown.
     */
    ColumnData share(final Field as) {
        if (as.type() != field.type() || as.isNullable() != field.isNullable()) {
            throw new IllegalArgumentException("field " + as + " cannot share the buffers of column " + field
                + ": type and nullability must match");
        }
        final OffHeapBuffer[] buffers = {validity, offsets, data};
        int retained = 0;
        try {
            for (final OffHeapBuffer buffer : buffers) {
                if (buffer != null) {
                    buffer.retain();
                }
                retained++;
            }
        } finally {
            if (retained < buffers.length) {
                for (int i = 0; i < retained; i++) {
                    if (buffers[i] != null) {
                        buffers[i].release();
                    }
                }
            }
        }
        return new ColumnData(as, validity, offsets, data);
    }

    /**
     * This not-null column's offsets and data (one more reference each) under nullable {@code as} of the same type,
     * with {@code allValid} as its validity: the returned column takes over that buffer's reference, also when this
     * throws (the column released, or the fields do not match).
     */
    ColumnData shareAsNullable(final Field as, final OffHeapBuffer allValid) {
        boolean done = false;
        try {
            if (as.type() != field.type() || !as.isNullable() || field.isNullable()) {
                throw new IllegalArgumentException("nullable field " + as + " cannot share the buffers of column " + field
                    + " with a new validity: the type must match and the column be not-null");
            }
            final ColumnData widened = new ColumnData(field, null, offsets, data).share(field);
            done = true;
            return new ColumnData(as, allValid, widened.offsets, widened.data);
        } finally {
            if (!done) {
                allValid.release();
            }
        }
    }

    void release() {
        if (validity != null) {
            validity.release();
        }
        if (offsets != null) {
            offsets.release();
        }
        data.release();
    }
}
