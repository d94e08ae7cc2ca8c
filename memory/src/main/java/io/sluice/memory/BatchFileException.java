package io.sluice.memory;

import java.nio.file.Path;

/** A batch file is unreadable: truncated, corrupted, of another format or version. Names the file and the offset. */
public final class BatchFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public BatchFileException(final Path file, final long offset, final String problem) {
        this(file, offset, problem, null);
    }

    public BatchFileException(final Path file, final long offset, final String problem, final Throwable cause) {
        super("batch file " + file + " offset=" + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
