package io.sluice.engine.stream.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint folder cannot be used: it belongs to something else, to another stream, or is corrupt. Names the
 * folder (and file); the folder is left exactly as it was.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path folder;

    public CheckpointException(final Path folder, final String problem) {
        this(folder, problem, null);
    }

    public CheckpointException(final Path folder, final String problem, final Throwable cause) {
        super("checkpoint folder " + folder + ": " + problem, cause);
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }
}
