package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SkewTest {
    @Test
    void parsesAndPrintsBothForms() {
        assertTrue(Skew.parse("uniform").isUniform());
        assertEquals(1.1, Skew.parse("zipf:1.1").exponent());
        assertEquals("zipf:1.1", Skew.parse("ZIPF:1.10").toString());
        assertEquals("zipf:4", Skew.zipf(4).toString());
        assertEquals("uniform", Skew.uniform().toString());
    }

    @Test
    void rejectsExponentsOutsideZeroToFour() {
        for (final String bad : new String[] {"zipf:0", "zipf:-1", "zipf:4.01", "zipf:", "zipf:NaN", "pareto:1", ""}) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Skew.parse(bad), bad);
            assertTrue(ex.getMessage().contains(Skew.ACCEPTED), ex.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Skew.zipf(0));
    }
}
