package io.sluice.engine.stream.state;

import java.util.Objects;

import org.agrona.UnsafeApi;

/**
 * The cursor a {@link LongColumnsFold} sees: one input row (its INT64 key and values), its key's INT64 state columns
 * read and written in place, and the output row it may emit. One cursor per {@link LongColumnsState}, moved from row
 * to row (no object per row); it reads and writes by address, every column index checked, and throws once its update
 * has returned. Not thread-safe.
 */
public final class LongColumnsRow {
    private final String label;
    private final int values;
    private final int states;
    private final int outs;
    private final long[] valueAddresses;
    private final long[] outAddresses;
    private boolean active;
    private long key;
    private boolean fresh;
    private long rowOffset; // the input row's byte offset in each value column
    private long stateAddress;
    private long outOffset; // the output row's byte offset in each output column
    private long written; // bit c: output column c was written for the current output row

    LongColumnsRow(final String label, final int values, final int states, final int outs) {
        this.label = label;
        this.values = values;
        this.states = states;
        this.outs = outs;
        this.valueAddresses = new long[values];
        this.outAddresses = new long[outs];
    }

    /** The row's key. */
    public long key() {
        checkActive();
        return key;
    }

    /** Whether the key had no state before this row (its state columns then read as zero). */
    public boolean isNew() {
        checkActive();
        return fresh;
    }

    /** Value column {@code index} of the row (in the order the value columns were given). */
    public long value(final int index) {
        checkActive();
        return UnsafeApi.getLong(valueAddresses[Objects.checkIndex(index, values)] + rowOffset);
    }

    /** State column {@code index} of the row's key. */
    public long state(final int index) {
        checkActive();
        return UnsafeApi.getLong(stateAddress + ((long) Objects.checkIndex(index, states) << 3));
    }

    /** Sets state column {@code index} of the row's key to {@code value}, in place. */
    public void state(final int index, final long value) {
        checkActive();
        UnsafeApi.putLong(stateAddress + ((long) Objects.checkIndex(index, states) << 3), value);
    }

    /** Sets output column {@code index} of the row the fold emits; an emitted row must set every column. */
    public void out(final int index, final long value) {
        checkActive();
        UnsafeApi.putLong(outAddresses[Objects.checkIndex(index, outs)] + outOffset, value);
        written |= 1L << index;
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException(label + ": a row cursor used outside its fold call");
        }
    }

    // ---- moved by LongColumnsState ----

    void activate(final boolean on) {
        active = on;
    }

    /** Value column i of the rows to fold starts at {@code addresses[i]}. */
    void bindValues(final long[] addresses) {
        System.arraycopy(addresses, 0, valueAddresses, 0, values);
    }

    /** Output column i of the rows to emit starts at {@code addresses[i]}. */
    void bindOutput(final long[] addresses) {
        System.arraycopy(addresses, 0, outAddresses, 0, outs);
    }

    /** Moves to input row {@code row} of key {@code rowKey}, its state at {@code state}, its output row {@code outRow}. */
    void moveTo(final int row, final long rowKey, final long state, final boolean isNew, final int outRow) {
        rowOffset = (long) row << 3;
        key = rowKey;
        stateAddress = state;
        fresh = isNew;
        outOffset = (long) outRow << 3;
        written = 0;
    }

    /** Whether every output column was written since the last {@link #moveTo}. */
    boolean outputComplete() {
        return written == (outs == 64 ? -1L : (1L << outs) - 1);
    }

    /** The first output column not written since the last {@link #moveTo}. */
    int firstUnwritten() {
        return Long.numberOfTrailingZeros(~written);
    }
}
