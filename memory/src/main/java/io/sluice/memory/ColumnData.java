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
