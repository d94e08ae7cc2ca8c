package io.sluice.engine.stream.dstream;

import java.util.Objects;

/**
 * How the windows of a {@link DStreamGraph} behave where Sluice and Spark Streaming differ; set with
 * {@link DStreamGraph#windowSemantics(WindowSemantics)} before the stream starts. Immutable.
 *
 * <table>
 *   <caption>The two presets</caption>
 *   <tr><th></th><th>{@link #SLUICE} (default)</th><th>{@link #SPARK}</th></tr>
 *   <tr><td>slides at</td><td>multiples of the slide on the clock ({@link SlideAlignment#CLOCK})</td>
 *       <td>multiples of the slide after the stream's zero time, one batch interval before its first batch
 *       ({@link SlideAlignment#STREAM_START})</td></tr>
 *   <tr><td>a key whose values all left an inverse-reduce window</td><td>dropped ({@link EmptyKeys#DROP})</td>
 *       <td>kept with its inverse-reduced value, e.g. {@code (k, 0)} for sums, unless the keep predicate filters
 *       it; such keys stay in the window state for the life of the stream ({@link EmptyKeys#KEEP})</td></tr>
 * </table>
 */
public final class WindowSemantics {
    /** Which batch times a window with a slide longer than the batch interval emits at. */
    public enum SlideAlignment {
        /** Batch times {@code t} with {@code t % slide == 0}: windows of different streams line up on the clock. */
        CLOCK,
        /** Batch times {@code t} with {@code (t - zeroTime) % slide == 0}, zeroTime = first batch time - interval. */
        STREAM_START
    }

    /** What an incremental (inverse-function) window does with a key that has no value left in the window. */
    public enum EmptyKeys {
        /** Drop the key: the result equals reducing the window's rows afresh. */
        DROP,
        /** Keep the key with its inverse-reduced value (Spark's {@code reduceByKeyAndWindow} without a filter). */
        KEEP
    }

    /** Sluice's defaults: slides on the clock, empty keys dropped. */
    public static final WindowSemantics SLUICE = new WindowSemantics(SlideAlignment.CLOCK, EmptyKeys.DROP);
    /** Spark Streaming's behaviour: slides from the stream's start, empty keys kept. */
    public static final WindowSemantics SPARK = new WindowSemantics(SlideAlignment.STREAM_START, EmptyKeys.KEEP);

    private final SlideAlignment alignment;
    private final EmptyKeys emptyKeys;

    private WindowSemantics(final SlideAlignment alignment, final EmptyKeys emptyKeys) {
        this.alignment = Objects.requireNonNull(alignment, "alignment");
        this.emptyKeys = Objects.requireNonNull(emptyKeys, "emptyKeys");
    }

    /** These semantics with slides aligned by {@code value}. */
    public WindowSemantics alignment(final SlideAlignment value) {
        return new WindowSemantics(value, emptyKeys);
    }

    /** These semantics with empty keys handled by {@code value}. */
    public WindowSemantics emptyKeys(final EmptyKeys value) {
        return new WindowSemantics(alignment, value);
    }

    public SlideAlignment alignment() {
        return alignment;
    }

    public EmptyKeys emptyKeys() {
        return emptyKeys;
    }

    /** Whether a window of {@code slideMillis} whose stream's zero time is {@code zeroTime} emits at {@code batchTime}. */
    boolean isSlide(final long batchTime, final long zeroTime, final long slideMillis) {
        final long offset = alignment == SlideAlignment.CLOCK ? batchTime : batchTime - zeroTime;
        return Math.floorMod(offset, slideMillis) == 0;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof WindowSemantics && ((WindowSemantics) o).alignment == alignment
            && ((WindowSemantics) o).emptyKeys == emptyKeys;
    }

    @Override
    public int hashCode() {
        return 31 * alignment.hashCode() + emptyKeys.hashCode();
    }

    @Override
    public String toString() {
        return "WindowSemantics[alignment=" + alignment + " emptyKeys=" + emptyKeys + "]";
    }
}
