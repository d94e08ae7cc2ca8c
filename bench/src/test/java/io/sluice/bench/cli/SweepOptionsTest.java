package io.sluice.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.bench.Skew;

class SweepOptionsTest {
    @Test
    void withoutSweepNothingChangesAndNoSweepArgumentIsReported() {
        final CompareSchedulingOptions o = CompareSchedulingOptions.parse();
        assertFalse(o.sweep().enabled());
        assertTrue(o.toArgs().stream().noneMatch(a -> a.startsWith("--sweep")), o.toString());
    }

    @Test
    void defaultGridIsTheIssuesAxes() {
        final SweepOptions s = CompareSchedulingOptions.parse("--sweep").sweep();
        assertTrue(s.enabled());
        assertEquals(List.of(Skew.zipf(1.0), Skew.zipf(1.3), Skew.zipf(1.6)), s.skews());
        assertEquals(List.of(16, 64, 256), s.tasks());
        assertEquals(List.of(new SweepOptions.Slow(1, 2), new SweepOptions.Slow(1, 8), new SweepOptions.Slow(2, 2),
            new SweepOptions.Slow(2, 8)), s.slow());
        assertEquals(List.of(0.0, 0.05), s.failureRates());
        assertEquals(1000, s.taskMicros());
        assertEquals(7, s.repetitions());
    }

    @Test
    void fullGridHasFinerSkewAndTaskAxesAndMoreRepetitions() {
        final SweepOptions s = CompareSchedulingOptions.parse("--sweep", "--sweep-full").sweep();
        assertEquals(List.of(Skew.zipf(1.0), Skew.zipf(1.15), Skew.zipf(1.3), Skew.zipf(1.45), Skew.zipf(1.6)),
            s.skews());
        assertEquals(List.of(16, 32, 64, 128, 256), s.tasks());
        assertEquals(4, s.slow().size());
        assertEquals(9, s.repetitions());
    }

    @Test
    void explicitAxesReplaceTheDefaultsAndRoundTripThroughToArgs() {
        final CompareSchedulingOptions o = CompareSchedulingOptions.parse("--sweep", "--sweep-skews", "uniform,zipf:1.2",
            "--sweep-tasks", "4", "--sweep-slow", "0x1,3x2.5", "--sweep-failure-rates", "0.1",
            "--sweep-task-micros", "200", "--sweep-repetitions", "2");
        final SweepOptions s = o.sweep();
        assertEquals(List.of(Skew.uniform(), Skew.zipf(1.2)), s.skews());
        assertEquals(List.of(4), s.tasks());
        assertEquals(List.of(new SweepOptions.Slow(0, 1), new SweepOptions.Slow(3, 2.5)), s.slow());
        assertEquals(List.of(0.1), s.failureRates());
        assertEquals(200, s.taskMicros());
        assertEquals(2, s.repetitions());
        final SweepOptions again = CompareSchedulingOptions.parse(o.toArgs().toArray(String[]::new)).sweep();
        assertEquals(s.toArgs(), again.toArgs());
        assertEquals(s.slow(), again.slow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--sweep-skews;zipf:9", "--sweep-skews;zipf:1.0,,zipf:1.3", "--sweep-tasks;0", "--sweep-tasks;16,x",
        "--sweep-slow;2", "--sweep-slow;1x0.5", "--sweep-slow;ax2", "--sweep-failure-rates;0.6",
        "--sweep-task-micros;5", "--sweep-repetitions;0"})
    void badAxisNamesTheOption(final String option, final String value) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CompareSchedulingOptions.parse("--sweep", option, value));
        assertTrue(ex.getMessage().contains(option) && ex.getMessage().contains(value), ex.getMessage());
    }

    @Test
    void moreSlowWorkersThanWorkersIsRejected() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CompareSchedulingOptions.parse("--sweep", "--workers", "2", "--sweep-slow", "3x2"));
        assertTrue(ex.getMessage().contains("--sweep-slow") && ex.getMessage().contains("workers=2"), ex.getMessage());
    }
}
