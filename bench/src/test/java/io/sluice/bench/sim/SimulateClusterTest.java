package io.sluice.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateClusterTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        return SimulateCluster.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void badOptionValuesGiveOneLineAndExitTwo() {
        assertEquals(2, run("--load", "1.5"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("--load") && err.toString().contains("0.05..0.95"), err.toString());
        assertEquals(2, run("--intervals", "x"));
        assertTrue(err.toString().contains("--intervals"), err.toString());
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("--measured"), out.toString());
    }

    @Test
    void measuredRunsGiveTheMedianMakespanPerPolicy(@TempDir final Path dir) throws IOException {
        final Path csv = dir.resolve("runs.csv");
        Files.writeString(csv, "policy,repetition,makespan_ns,worker,busy_ns,steals,speculative_copies,retries\r\n"
            + "static,1,300,0,1,0,0,0\r\nstatic,1,300,1,1,0,0,0\r\nstatic,2,100,0,1,0,0,0\r\nstatic,3,200,0,1,0,0,0\r\n"
            + "work-stealing,1,50,0,1,0,0,0\r\nwork-stealing,2,70,0,1,0,0,0\r\n");
        final Map<String, Double> medians = MeasuredRuns.medians(csv);
        assertEquals(200.0, medians.get("static"));
        assertEquals(60.0, medians.get("work-stealing"));
    }

    @Test
    void defaultWorkloadSimulationPutsStaticFarAboveDynamicPolicies() {
        final Map<String, double[]> sim = SimulateCluster.threadsVsSim();
        assertTrue(sim.get("static")[0] > 3 * sim.get("work-stealing")[0], "static=" + sim.get("static")[0]);
        assertTrue(sim.get("central-queue")[0] >= sim.get("central-queue")[1], "never below the lower bound");
        assertTrue(sim.get("work-stealing")[0] >= sim.get("work-stealing")[1], "never below the lower bound");
    }
}
