package io.sluice.engine.stream;

/** A micro-batch job threw: the stream stopped processing. The cause is the job's exception. */
public final class StreamingJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StreamingJobException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
