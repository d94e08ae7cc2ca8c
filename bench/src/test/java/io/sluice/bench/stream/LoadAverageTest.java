package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadAverageTest {
    @Test
    void parsesTheOneMinuteField() {
        assertEquals(4.44, LoadAverage.parse("4.44 2.14 2.18 3/512 12345\n"));
    }

    @Test
    void garbageIsNaN() {
        assertTrue(Double.isNaN(LoadAverage.parse("not a load")));
    }
}
