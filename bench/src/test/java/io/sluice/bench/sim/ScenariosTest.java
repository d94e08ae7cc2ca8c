package io.sluice.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.sluice.bench.Skew;

class ScenariosTest {
    @Test
    void upstreamBackupCatchesUpAtTheSpareRateOfOneNode() {
        final RecoveryScenario scenario = new RecoveryScenario(0.5, 1);
        // 60 batches x 0.5 s of lost work, replayed at 1 - 0.5 spare capacity: 60 s, whatever the cluster size.
        assertEquals(60.0, scenario.recoverySeconds(10, RecoveryScenario.Scheme.UPSTREAM_BACKUP), 1e-9);
        assertEquals(60.0, scenario.recoverySeconds(40, RecoveryScenario.Scheme.UPSTREAM_BACKUP), 1e-9);
        assertEquals(0.5, scenario.recoverySeconds(20, RecoveryScenario.Scheme.NO_FAILURE), 1e-9, "one batch at load 0.5");
    }

    @Test
    void parallelRecoveryShrinksWithClusterSizeDownToOneBatch() {
        final RecoveryScenario scenario = new RecoveryScenario(0.5, 1);
        final double p20 = scenario.recoverySeconds(20, RecoveryScenario.Scheme.PARALLEL);
        final double p40 = scenario.recoverySeconds(40, RecoveryScenario.Scheme.PARALLEL);
        // 30 node-seconds over 19 (39) survivors with half their time spare, minus node 0's ongoing share.
        assertTrue(p20 > 30.0 / 9.5 && p20 < 30.0 / 9.0 + 0.5, "p20=" + p20);
        assertTrue(p40 / p20 > 0.4 && p40 / p20 < 0.6, "p40=" + p40 + " p20=" + p20);
        assertTrue(scenario.recoverySeconds(1000, RecoveryScenario.Scheme.PARALLEL) >= 0.5);
    }

    @Test
    void stragglerCalibrationMatchesThePaperCellsItWasFittedTo() {
        final StragglerScenario.Row row = new StragglerScenario(4, 7).run(StragglerScenario.JOBS.get(1));
        assertEquals(0.54, row.none(), 1e-9);
        assertEquals(2.40, row.straggler(), 1e-3);
        assertTrue(row.slowFactor() > 1, "factor=" + row.slowFactor());
        assertTrue(row.speculation() < row.straggler(), "speculation must help: " + row);
        assertTrue(row.stealingStraggler() < row.straggler(), "moving work must help: " + row);
    }

    @Test
    void uniformWorkIsExactlyTheBoundAndSkewHurtsOnlyStatic() {
        final SkewScenario scenario = new SkewScenario(100, 1000, 100_000_000L, 42);
        final SkewScenario.Row uniform = scenario.run(Skew.uniform(), 0, 1);
        for (final SkewScenario.Column p : SkewScenario.COLUMNS) {
            assertEquals(1.0, uniform.seconds(p), 1e-9, p.name());
        }
        final SkewScenario.Row zipf = scenario.run(Skew.zipf(1.1), 0, 1);
        assertTrue(zipf.seconds(SkewScenario.STATIC) > 5 * zipf.lowerBoundSeconds(), zipf.toString());
        assertTrue(zipf.seconds(SkewScenario.WORK_STEALING) < 1.05 * zipf.lowerBoundSeconds(), zipf.toString());
        assertTrue(zipf.seconds(SkewScenario.CENTRAL_QUEUE) < 1.05 * zipf.lowerBoundSeconds(), zipf.toString());
    }
}
