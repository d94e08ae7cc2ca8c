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
        long x = 0;
        final long until = System.nanoTime() + 50_000_000L;
        while (System.nanoTime() < until) {
            x += System.nanoTime() & 1;
        }
        final RunLoad.Measured m = load.stop();
        assertTrue(m.wallNanos() >= 50_000_000L, "wall " + m.wallNanos() + " " + x);
        assertTrue(m.cpuNanos() == -1 || m.cpuNanos() > 0, "cpu " + m.cpuNanos());
    }
}
