package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Thread.sleep(30);
        final HiccupMeter.Hiccups hiccups = meter.stop();
        assertTrue(hiccups.samples() > 0, "sampled while running");
        assertTrue(hiccups.p99Nanos() <= hiccups.maxNanos(), hiccups.toString());
        assertTrue(hiccups.lostNanos() >= 0, hiccups.toString());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("sluice-bench-hiccups") && t.isAlive()), "no meter thread left");
        meter.close();
    }
}
