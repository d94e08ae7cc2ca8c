package io.sluice.engine.stream.source;

/**
 * A pull source that can be repositioned: the write-ahead log records its {@link #offset()} with every logged
 * micro-batch, and a context restarted on the same checkpoint folder calls {@link #seek} with the offset of the
 * newest logged batch before {@link #start}. Records stored after that batch was logged and lost in a crash are
 * therefore read again, and records already logged are not (they are replayed from the log instead).
 *
 * <p>Contract: the offset read by the job generator right after {@link #poll} (on the same thread) covers exactly the records
 * stored so far (a push source, whose thread stores at any time, cannot give that and is not replayable); the
 * records after an offset are the same on every run (a generator: same seed; a folder: same files).
 */
public interface ReplayableSource extends Source {
    /** The position after every record stored so far, as opaque text this source's {@link #seek} accepts. */
    String offset();

    /**
     * Positions the source just after {@code offset} (from {@link #offset()} of an earlier run). Called at most
     * once, before {@link #start}. Throws {@link IllegalArgumentException} naming the offset if it is not one of
     * this source's.
     */
    void seek(String offset);
}
