package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sluice.engine.stream.ManualStreamClock;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void permitsAccrueWithTimeUpToOneBurst() {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final RateLimiter limiter = new RateLimiter(clock, 100 * MILLI, 1000);
        assertEquals(0, limiter.available());
        clock.advanceMillis(50);
        assertEquals(50, limiter.available());
        clock.advanceMillis(10_000);
        assertEquals(100, limiter.available(), "an idle stream cannot save more than one burst");
        limiter.consume(130);
        assertEquals(0, limiter.available(), "debt is repaid first");
        clock.advanceMillis(40);
        assertEquals(10, limiter.available());
    }

    @Test
    void rateChangeKeepsAccruedPermitsWithinTheNewBurst() {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final RateLimiter limiter = new RateLimiter(clock, 100 * MILLI, 1000);
        clock.advanceMillis(100);
        limiter.setRate(200);
        assertEquals(20, limiter.available());
        limiter.setRate(Double.POSITIVE_INFINITY);
        assertEquals(Long.MAX_VALUE, limiter.available());
    }

    @Test
    void acquireWaitsForTheClock() throws Exception {
        final ManualStreamClock clock = new ManualStreamClock(0);
        final RateLimiter limiter = new RateLimiter(clock, 100 * MILLI, 1000);
        final CountDownLatch acquired = new CountDownLatch(1);
        final Thread thread = new Thread(() -> {
            try {
                limiter.acquire(20);
                acquired.countDown();
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
        clock.advanceMillis(19);
        assertEquals(1, acquired.getCount());
        clock.advanceMillis(1);
        assertTrue(acquired.await(20, TimeUnit.SECONDS));
        thread.join();
        assertEquals(0, limiter.available());
    }
}
