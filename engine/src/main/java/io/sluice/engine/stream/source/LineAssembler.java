package io.sluice.engine.stream.source;

import java.util.Arrays;

import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.ColumnType;
import io.sluice.memory.Field;
import io.sluice.memory.Schema;
import io.sluice.memory.Utf8Validation;

/**
 * Splits a byte stream into lines ({@code \n}, an optional {@code \r} before it is dropped) and appends each valid
 * one to a block with one UTF8 column, {@code line}. A line that is not valid UTF-8, or longer than the limit, is
 * counted as rejected and skipped (an over-long line is skipped up to its newline, without buffering it); every
 * other line is kept. Single-threaded; {@link #close()} releases an unbuilt block.
 */
final class LineAssembler implements AutoCloseable {
    /** The schema of text sources' blocks. */
    static final Schema LINES = Schema.of(Field.notNull("line", ColumnType.UTF8));

    private final BufferAllocator allocator;
    private final int maxLineBytes;
    private final RejectCounter rejects;
    private final int initialRows;
    private byte[] line = new byte[256];
    private int length;
    private boolean overlong;
    private long lineNumber;
    private String origin = "";
    private BatchBuilder block;

    LineAssembler(final BufferAllocator allocator, final int maxLineBytes, final int initialRows, final RejectCounter rejects) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes=" + maxLineBytes + " must be > 0");
        }
        this.allocator = allocator;
        this.maxLineBytes = maxLineBytes;
        this.initialRows = initialRows;
        this.rejects = rejects;
    }

    /** Starts a new input (a connection, a file): line numbers restart and {@code name} appears in reject reasons. */
    void beginInput(final String name) {
        origin = name;
        lineNumber = 0;
        length = 0;
        overlong = false;
    }

    /** Consumes {@code bytes[offset, offset + count)}. */
    void accept(final byte[] bytes, final int offset, final int count) {
        final int end = offset + count;
        for (int i = offset; i < end; i++) {
            final byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else if (!overlong) {
                // One byte past the limit is kept: it may be the '\r' of a CRLF ending, which is not content.
                if (length == maxLineBytes + 1) {
                    overlong = true;
                } else {
                    if (length == line.length) {
                        line = Arrays.copyOf(line, (int) Math.min(maxLineBytes + 1L, line.length * 2L));
                    }
                    line[length++] = b;
                }
            }
        }
    }

    /**
     * The input ended. With {@code cleanEnd}, a last line without newline is kept like any other; otherwise (a
     * connection error) it is counted as rejected, being possibly cut short.
     */
    void endInput(final boolean cleanEnd) {
        if (length == 0 && !overlong) {
            return;
        }
        if (cleanEnd) {
            endLine();
        } else {
            lineNumber++;
            rejects.reject(1, origin + " line " + lineNumber + " cut short by a connection error after bytes=" + length);
            length = 0;
            overlong = false;
        }
    }

    private void endLine() {
        lineNumber++;
        int end = length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        if (overlong || end > maxLineBytes) {
            rejects.reject(1, origin + " line " + lineNumber + " longer than maxLineBytes=" + maxLineBytes);
        } else {
            final int bad = Utf8Validation.firstInvalid(line, 0, end);
            if (bad >= 0) {
                rejects.reject(1, origin + " line " + lineNumber + " is not valid UTF-8 at byte " + bad);
            } else {
                if (block == null) {
                    block = new BatchBuilder(allocator, LINES, initialRows);
                }
                block.setUtf8(0, line, 0, end).endRow();
            }
        }
        length = 0;
        overlong = false;
    }

    /** Complete lines waiting in the current block. */
    int rows() {
        return block == null ? 0 : block.rowCount();
    }

    /** The block of lines so far (the caller owns it), or null if there are none. */
    Batch takeBlock() {
        if (block == null || block.rowCount() == 0) {
            return null;
        }
        final Batch batch = block.build();
        block = null;
        return batch;
    }

    @Override
    public void close() {
        if (block != null) {
            block.close();
            block = null;
        }
    }
}
