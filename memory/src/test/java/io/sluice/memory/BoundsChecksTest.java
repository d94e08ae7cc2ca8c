package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundsChecksTest {
    @Test
    void absentPropertyMeansChecksOn() {
        assertTrue(BoundsChecks.parse(null));
    }

    @Test
    void onlyFalseTurnsChecksOff() {
        assertFalse(BoundsChecks.parse("false"));
        assertFalse(BoundsChecks.parse(" FALSE "));
        assertTrue(BoundsChecks.parse("true"));
        assertTrue(BoundsChecks.parse(""));
        assertTrue(BoundsChecks.parse("no"));
    }

    @Test
    void testsRunWithChecksOn() {
        assertTrue(BoundsChecks.ENABLED, "surefire pins " + BoundsChecks.PROPERTY + "=true");
    }
}
