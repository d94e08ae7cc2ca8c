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
