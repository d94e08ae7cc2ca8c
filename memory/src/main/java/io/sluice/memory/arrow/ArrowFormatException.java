package io.sluice.memory.arrow;

/**
 * Arrow IPC input that Sluice cannot read: truncated, corrupt, of another format, or of an Arrow type Sluice has no
 * column for. Names the input and the byte offset where the problem was found.
 */
public final class ArrowFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    public ArrowFormatException(final String source, final long offset, final String problem) {
        this(source, offset, problem, null);
    }

    public ArrowFormatException(final String source, final long offset, final String problem, final Throwable cause) {
        super("arrow input " + source + " offset=" + offset + ": " + problem, cause);
        this.source = source;
        this.offset = offset;
    }

    /** The input that failed (a file path or the name given to a channel). */
    public String source() {
        return source;
    }

    /** The byte offset in the input where the problem was found. */
    public long offset() {
        return offset;
    }
}
