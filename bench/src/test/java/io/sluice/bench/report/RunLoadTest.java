package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunLoadTest {
    @Test
    void parsesTheOneMinuteField() {
        assertEquals(4.44, RunLoad.parse("4.44 2.14 2.18 3/512 12345\n"));
    }

    @Test
    void garbageIsNaN() {
        assertTrue(Double.isNaN(RunLoad.parse("not a load")));
    }

    @Test
    void markdownStatesTheMeasuredLoadAndCpuTimeVersusWall() {
        final String md = new RunLoad.Measured(1.5, 3.25, 2_000_000_000L, 3_000_000_000L, 2).toMarkdown();
        assertTrue(md.contains("1.50 before the run, 3.25 after, on 2 cores"), md);
        assertTrue(md.contains("3.0 s CPU time in 2.0 s wall time (1.50 of 2 cores busy on average)"), md);
        final String unknown = new RunLoad.Measured(Double.NaN, Double.NaN, 1_000_000_000L, -1, 4).toMarkdown();
        assertTrue(unknown.contains("unknown before the run, unknown after") && unknown.contains("CPU time not reported"),
            unknown);
    }

    @Test
    void aBusyRunUsesCpuTimeThatIsMeasured() {
        final RunLoad load = RunLoad.start();
        if (RunLoad.processCpuNanos() < 0) {
            assertEquals(-1, load.stop().cpuNanos(), "an OS without CPU time reports -1");
            return;
        }
        // The OS counts CPU time in clock ticks, and a loaded machine gives this thread few of them: spin until
        // the count moves (at most 10 s of wall time).
        long x = 0;
        final long until = System.nanoTime() + 10_000_000_000L;
        RunLoad.Measured m = load.stop();
        while (m.cpuNanos() <= 0 && System.nanoTime() < until) {
            for (int i = 0; i < 1_000_000; i++) {
                x += System.nanoTime() & 1;
            }
            m = load.stop();
        }
        assertTrue(m.cpuNanos() > 0, "cpu " + m.cpuNanos() + " after wall " + m.wallNanos() + " (" + x + ")");
        assertTrue(m.wallNanos() > 0);
    }
}
