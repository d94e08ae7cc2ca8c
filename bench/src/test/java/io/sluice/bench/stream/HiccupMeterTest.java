package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class HiccupMeterTest {
    @Test
    void aHiccupIsOnlyTheTimeBeyondTheExpectedPark() {
        assertEquals(0, HiccupMeter.hiccup(1_000_000, 900_000));
        assertEquals(0, HiccupMeter.hiccup(1_000_000, 1_000_000));
        assertEquals(250_000, HiccupMeter.hiccup(1_000_000, 1_250_000));
    }

    @Test
    void stopEndsTheThreadAndReportsConsistentFigures() throws Exception {
        final HiccupMeter meter = HiccupMeter.start();
        // Not a fixed sleep: a loaded machine may not run the new thread for 100+ ms. Once it is parked in its loop,
        // the park that stop() cuts short is a sample (the deadline is only a safety net).
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (meterThreadStates().noneMatch(Thread.State.TIMED_WAITING::equals)) {
            assertTrue(System.nanoTime() < deadline, "meter thread never parked: " + meterThreadStates().toList());
            Thread.sleep(1);
        }
        final HiccupMeter.Hiccups hiccups = meter.stop();
        assertTrue(hiccups.samples() > 0, "sampled while running");
        assertTrue(hiccups.p99Nanos() <= hiccups.maxNanos(), hiccups.toString());
        assertTrue(hiccups.lostNanos() >= 0, hiccups.toString());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("sluice-bench-hiccups") && t.isAlive()), "no meter thread left");
        meter.close();
    }

    private static Stream<Thread.State> meterThreadStates() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sluice-bench-hiccups"))
            .map(Thread::getState);
    }
}
