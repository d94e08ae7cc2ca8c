package io.sluice.engine.sched;

/**
 * Source of monotonic time in nanoseconds. The threaded schedulers use {@link #system()}; a discrete-event
 * simulation passes its virtual clock so the same policy code sees virtual time.
 */
@FunctionalInterface
public interface NanoClock {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** The JVM's {@link System#nanoTime()}. */
    static NanoClock system() {
        return System::nanoTime;
    }
}
