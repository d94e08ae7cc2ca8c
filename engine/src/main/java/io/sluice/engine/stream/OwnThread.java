package io.sluice.engine.stream;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.sluice.engine.os.LatencyThreads;
import io.sluice.engine.sched.TimerSlack;

/**
 * The daemon thread of a stream component (job generator, job executor) that other threads may interrupt only while
 * it marks itself interruptible, so an interrupt meant for a wait or a job never leaks into file I/O after it. The
 * object is also the lock under which a component keeps its own state consistent with the mark.
 */
final class OwnThread {
    private final String name;
    private Thread thread;
    /** The started thread, for {@link #unpark()} without taking the lock (null before start). */
    private volatile Thread unparkable;
    private boolean interruptible;

    OwnThread(final String name) {
        this.name = name;
    }

    /**
     * Starts {@code body} on a new daemon thread; called once. Anything {@code body} lets escape goes to
     * {@code onUncaught} (the body catches what it can; this is the last line, so no throwable ends a thread unseen).
     */
    void start(final Runnable body, final Consumer<Throwable> onUncaught) {
        start(body, 0, onUncaught);
    }

    /**
     * As {@link #start(Runnable, Consumer)}; the thread first sets the configured timer slack ({@link TimerSlack}) and,
     * for {@code sliceNanos} > 0, asks the kernel for that scheduler slice ({@link LatencyThreads}).
     */
    synchronized void start(final Runnable body, final long sliceNanos, final Consumer<Throwable> onUncaught) {
        thread = new Thread(TimerSlack.withConfiguredSlack(LatencyThreads.withSlice(sliceNanos, body)), name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((dead, error) -> onUncaught.accept(error));
        unparkable = thread;
        thread.start();
    }

    /**
     * Gives the thread a park permit ({@link LockSupport#unpark}); nothing before start, nor when called by the thread
     * itself (it is not parked, and a stale permit would only cost it a needless turn of its wait loop). Any thread,
     * lock-free.
     */
    void unpark() {
        final Thread started = unparkable;
        if (started != null && started != Thread.currentThread()) {
            LockSupport.unpark(started);
        }
    }

    /** Called by the thread itself before the part others may interrupt. */
    synchronized void allowInterrupt() {
        interruptible = true;
    }

    /** Called by the thread itself after that part: clears the mark and any interrupt meant for the part. */
    synchronized void disallowInterrupt() {
        interruptible = false;
        Thread.interrupted();
    }

    /** Interrupts the thread if it is in its interruptible part; else does nothing. */
    synchronized void interruptIfAllowed() {
        if (interruptible) {
            thread.interrupt();
        }
    }

    /** Waits for the thread to end; returns at once if it was never started. */
    void join() throws InterruptedException {
        final Thread started;
        synchronized (this) {
            started = thread;
        }
        if (started != null) {
            started.join();
        }
    }

    /** A join that may be interrupted. */
    interface Joiner {
        void join() throws InterruptedException;
    }

    /** Joins uninterruptibly (a stop must not leave threads behind); returns whether an interrupt was swallowed. */
    static boolean joinUninterruptibly(final Joiner joiner) {
        boolean interrupted = false;
        while (true) {
            try {
                joiner.join();
                return interrupted;
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
    }
}
