package io.sluice.engine.stream.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PidRateEstimatorTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void firstBatchOnlyRecordsTheProcessingRate() {
        final PidRateEstimator pid = new PidRateEstimator(1000, 10);
        assertTrue(Double.isNaN(pid.compute(SECOND, 1000, SECOND / 2, 0)));
    }

    @Test
    void followsSparksFormulaWithDefaultGains() {
        final PidRateEstimator pid = new PidRateEstimator(1000, 10);
        pid.compute(SECOND, 1000, SECOND / 2, 0);
        // processing rate 1000/s, error 2000 - 1000 = 1000, historical error 0.5 s * 1000/s / 1 s = 500:
        // 2000 - 1.0 * 1000 - 0.2 * 500 = 900
        assertEquals(900.0, pid.compute(2 * SECOND, 1000, SECOND, SECOND / 2), 1e-9);
        // processing rate 900 / 0.9 s = 1000/s, error 900 - 1000 = -100, no delay: 900 + 100 = 1000
        assertEquals(1000.0, pid.compute(3 * SECOND, 900, 900_000_000L, 0), 1e-9);
    }

    @Test
    void derivativeGainReactsToTheChangeOfError() {
        final PidRateEstimator pid = new PidRateEstimator(1000, 1.0, 0.0, 0.5, 10);
        pid.compute(SECOND, 1000, SECOND / 2, 0);
        // error 1000 (previous 0) over 1 s: 2000 - 1000 - 0.5 * 1000 = 500
        assertEquals(500.0, pid.compute(2 * SECOND, 1000, SECOND, 0), 1e-9);
    }

    @Test
    void neverGoesBelowTheMinimumRate() {
        final PidRateEstimator pid = new PidRateEstimator(100, 50);
        pid.compute(SECOND, 100, SECOND, 0);
        assertEquals(50.0, pid.compute(2 * SECOND, 100, SECOND, 60 * SECOND), 1e-9);
    }

    @Test
    void ignoresEmptyInstantAndOutOfOrderBatches() {
        final PidRateEstimator pid = new PidRateEstimator(1000, 10);
        pid.compute(SECOND, 1000, SECOND / 2, 0);
        assertTrue(Double.isNaN(pid.compute(2 * SECOND, 0, SECOND, 0)));
        assertTrue(Double.isNaN(pid.compute(2 * SECOND, 10, 0, 0)));
        assertTrue(Double.isNaN(pid.compute(SECOND, 10, SECOND, 0)));
    }

    @Test
    void convergesToTheProcessingRateOfASteadySystem() {
        final PidRateEstimator pid = new PidRateEstimator(1000, 10);
        final double capacity = 1000;
        double rate = 5000;
        double backlogSeconds = 0;
        for (int batch = 1; batch <= 60; batch++) {
            final double records = rate;
            final double processing = records / capacity;
            final double estimate = pid.compute(batch * SECOND, (long) records, (long) (processing * SECOND),
                (long) (backlogSeconds * SECOND));
            backlogSeconds = Math.max(0, backlogSeconds + processing - 1.0);
            if (!Double.isNaN(estimate)) {
                rate = estimate;
            }
        }
        assertEquals(capacity, rate, capacity * 0.05);
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new PidRateEstimator(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new PidRateEstimator(100, 0));
        assertThrows(IllegalArgumentException.class, () -> new PidRateEstimator(100, -1, 0, 0, 10));
    }
}
