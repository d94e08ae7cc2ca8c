package io.sluice.engine.stream.dstream;

import io.sluice.engine.stream.ManualStreamClock;
import io.sluice.engine.stream.StreamThreads;

/**
 * For the README examples, which wait on their stream like a user would: once the stream runs, a thread advances the
 * manual clock a second at a time (every 20 ms of real time) until {@link #stop()} stops and joins it.
 */
final class ReadmeTicker {
    private final Thread thread;
    private volatile boolean done;

    ReadmeTicker(final ManualStreamClock clock) {
        thread = new Thread(() -> {
            try {
                while (!done && !StreamThreads.alive().contains("sluice-stream-generator")) {
                    Thread.sleep(5);
                }
                for (int i = 0; i < 10_000 && !done; i++) {
                    clock.advanceMillis(1000);
                    Thread.sleep(20);
                }
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "readme-ticker");
        thread.start();
    }

    void stop() throws InterruptedException {
        done = true;
        thread.join();
    }
}
