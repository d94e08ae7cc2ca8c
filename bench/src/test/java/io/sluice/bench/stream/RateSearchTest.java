package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class RateSearchTest {
    @Test
    void stepsUpThenTriesTheGeometricMidpoint() throws Exception {
        final RateSearch.Result result = RateSearch.search(100, 2, 1e6, rate -> rate <= 500);
        assertEquals(List.of(100.0, 200.0, 400.0, 800.0, Math.sqrt(400.0 * 800.0)), result.tried());
        assertEquals(400.0, result.maxSustainable());
    }

    @Test
    void aSustainableMidpointRaisesTheMaximum() throws Exception {
        final RateSearch.Result result = RateSearch.search(100, 4, 1e6, rate -> rate <= 250);
        assertEquals(List.of(100.0, 400.0, 200.0), result.tried());
        assertEquals(200.0, result.maxSustainable());
    }

    @Test
    void nothingSustainableGivesZeroWithoutAMidpoint() throws Exception {
        final RateSearch.Result result = RateSearch.search(100, 2, 1e6, rate -> false);
        assertEquals(List.of(100.0), result.tried());
        assertEquals(0.0, result.maxSustainable());
    }

    @Test
    void stopsAtTheMaximumRate() throws Exception {
        final RateSearch.Result result = RateSearch.search(100, 3, 500, rate -> true);
        assertEquals(List.of(100.0, 300.0, 500.0), result.tried());
        assertEquals(500.0, result.maxSustainable());
    }

    @Test
    void rejectsAStepThatDoesNotGrow() {
        assertThrows(IllegalArgumentException.class, () -> RateSearch.search(100, 1, 500, rate -> true));
        assertThrows(IllegalArgumentException.class, () -> RateSearch.search(100, 2, 50, rate -> true));
    }
}
