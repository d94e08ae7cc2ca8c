package io.sluice.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ManualStreamClockTest {
    @Test
    void timeMovesOnlyWhenAdvanced() {
        final ManualStreamClock clock = new ManualStreamClock(1_000);
        assertEquals(1_000, clock.millis());
        clock.advance(Duration.ofNanos(1_500_000));
        assertEquals(1_001_500_000L, clock.nanos());
        assertEquals(1_001, clock.millis());
        clock.setMillis(5_000);
        assertEquals(5_000, clock.millis());
    }

    @Test
    void refusesToGoBack() {
        final ManualStreamClock clock = new ManualStreamClock(10);
        assertThrows(IllegalArgumentException.class, () -> clock.setMillis(9));
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofMillis(-1)));
    }

    @Test
    void waiterWakesWhenTimeIsReached() throws Exception {
        final ManualStreamClock clock = new ManualStreamClock();
        final CountDownLatch woke = new CountDownLatch(1);
        final Thread waiter = new Thread(() -> {
            try {
                clock.awaitMillis(100);
                woke.countDown();
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        clock.advanceMillis(99);
        assertEquals(1, woke.getCount());
        clock.advanceMillis(1);
        assertTrue(woke.await(10, TimeUnit.SECONDS));
        waiter.join();
    }

    @Test
    void systemClockAwaitReturnsAtOrAfterTarget() throws Exception {
        final SystemStreamClock clock = SystemStreamClock.instance();
        final long target = clock.nanos() + 2_000_000L;
        clock.awaitNanos(target);
        assertTrue(clock.nanos() >= target);
    }
}
