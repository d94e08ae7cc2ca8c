package io.sluice.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.engine.sched.SpeculationPolicy;
import io.sluice.engine.sched.SplitShare;
import io.sluice.engine.sched.Placement;

class ClusterSimulatorTest {
    private static List<SimTask> uniform(final int n, final long nanos, final int workers) {
        final List<SimTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(SimTask.whole(nanos, i % workers));
        }
        return tasks;
    }

    private static SimResult simulate(final SimConfig config, final List<SimTask> tasks) {
        return new ClusterSimulator(config).run(tasks);
    }

    @Test
    void fillSplitsTheTailOfOneBigTaskToTheFluidBoundWhereBalanceAloneEndsLater() {
        // One 10 ms task (100,000 rows, never halved) on 8 workers, worker 0 4x slower: only running splits spread
        // it. The fluid bound is 10 ms / 7.25 = 1.379 ms.
        final double fluid = 10_000_000 / 7.25;
        final SimResult[] runs = new SimResult[2];
        for (final SplitShare share : SplitShare.values()) {
            final SimConfig config = SimConfig.builder(8, SchedulingPolicy.WORK_STEALING).minMorselRows(1L << 40)
                .splitRunning(true).splitShare(share).slowWorker(0, 4).build();
            runs[share.ordinal()] = new ClusterSimulator(config).run(
                List.of(new SimTask(0, 100_000, 100, SimTask.CLAIMED, true)));
        }
        final SimResult balance = runs[SplitShare.BALANCE.ordinal()];
        final SimResult fill = runs[SplitShare.FILL.ordinal()];
        assertTrue(fill.makespanNanos() <= fluid * 1.001, "fill makespan " + fill.makespanNanos());
        assertTrue(fill.steals() < balance.steals(), "fill parts " + fill.steals() + " balance " + balance.steals());
        assertTrue(balance.makespanNanos() > fluid * 1.02,
            "balance makespan " + balance.makespanNanos() + " parts " + balance.steals());
    }

    @Test
    void uniformTasksWithoutFaultsTakeCeilNOverWTimesTForEveryPolicy() {
        final long t = 1_000_000;
        for (final SchedulingPolicy policy : SchedulingPolicy.values()) {
            for (final int workers : new int[] {1, 3, 10, 100, 1000}) {
                for (final int n : new int[] {1, 7, 100, 1001, 5000}) {
                    final SimResult r = simulate(SimConfig.builder(workers, policy).build(), uniform(n, t, workers));
                    final long expected = ((n + workers - 1) / workers) * t;
                    assertEquals(expected, r.makespanNanos(), policy + " n=" + n + " W=" + workers);
                    long busy = 0;
                    for (final long b : r.busyNanos()) {
                        busy += b;
                    }
                    assertEquals(n * t, busy, "all work done once: " + policy + " n=" + n + " W=" + workers);
                }
            }
        }
    }

    @Test
    void uniformTasksWithoutHomeAlsoMeetTheClosedFormUnderDynamicPolicies() {
        final List<SimTask> tasks = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            tasks.add(SimTask.whole(3_000, Placement.ANY_WORKER));
        }
        assertEquals(13 * 3_000, simulate(SimConfig.builder(20, SchedulingPolicy.CENTRAL_QUEUE).build(), tasks).makespanNanos());
        assertEquals(13 * 3_000, simulate(SimConfig.builder(20, SchedulingPolicy.WORK_STEALING).build(), tasks).makespanNanos());
    }

    @Test
    void claimedStageTasksArePlacedByThePolicysClaimsAsTheThreadsPlaceThem() {
        final List<SimTask> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(new SimTask(0, 1, 5, SimTask.CLAIMED, false));
        }
        // Static claims i mod W: tasks 0 and 1 run first, on workers 0 and 1.
        final SimResult st = simulate(SimConfig.builder(2, SchedulingPolicy.STATIC).build(), tasks);
        assertEquals(5, st.taskFinishNanos(0));
        assertEquals(5, st.taskFinishNanos(1));
        assertEquals(10, st.taskFinishNanos(2));
        // Work-stealing claims are contiguous blocks: worker 0 owns [0, 2), worker 1 owns [2, 4).
        final SimResult ws = simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).build(), tasks);
        assertEquals(5, ws.taskFinishNanos(0));
        assertEquals(10, ws.taskFinishNanos(1));
        assertEquals(5, ws.taskFinishNanos(2));
        // A dead worker's block is stolen by the live one, one steal-half at a time.
        final SimResult dead = simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).deadWorker(1).build(), tasks);
        assertEquals(20, dead.makespanNanos());
        assertEquals(2, dead.steals(), "steals of [3, 4) then [2, 3)");
    }

    @Test
    void skewedTasksStaticWaitsForTheBigOneWhileDynamicPoliciesBalance() {
        // Worker 0 gets tasks 0 and 2 (10 + 1), worker 1 gets 1 and 3 (1 + 1): static = 11.
        final List<SimTask> tasks = List.of(SimTask.whole(10, 0), SimTask.whole(1, 1), SimTask.whole(1, 0),
            SimTask.whole(1, 1));
        assertEquals(11, simulate(SimConfig.builder(2, SchedulingPolicy.STATIC).build(), tasks).makespanNanos());
        // Central queue (FIFO): worker 0 takes the big one, worker 1 the three small ones: 10.
        assertEquals(10, simulate(SimConfig.builder(2, SchedulingPolicy.CENTRAL_QUEUE).build(), tasks).makespanNanos());
        // Work stealing: an owner pops its newest morsel first, so worker 0 runs task 2 (1) before task 0 (10): 11.
        assertEquals(11, simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).build(), tasks).makespanNanos());
        // With the small task homed on worker 1 instead, worker 1 runs all three small ones: 10.
        final List<SimTask> rehomed = List.of(SimTask.whole(10, 0), SimTask.whole(1, 1), SimTask.whole(1, 1),
            SimTask.whole(1, 1));
        assertEquals(10, simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).build(), rehomed).makespanNanos());
    }

    @Test
    void aSplittableTaskOfEightMinimumMorselsSpreadsOverEightWorkers() {
        final long m = 1_000;
        final List<SimTask> one = List.of(new SimTask(0, 8 * m, 1.0, 0, true));
        assertEquals(m, simulate(SimConfig.builder(8, SchedulingPolicy.CENTRAL_QUEUE).minMorselRows(m).build(), one)
            .makespanNanos());
        assertEquals(8 * m, simulate(SimConfig.builder(8, SchedulingPolicy.STATIC).minMorselRows(m).build(), one)
            .makespanNanos(), "static never splits");
        // Work stealing: thieves find the pieces by random victims, a miss costs one retry interval (10 ns here).
        final SimResult ws = simulate(SimConfig.builder(8, SchedulingPolicy.WORK_STEALING).minMorselRows(m)
            .stealRetryNanos(10).build(), one);
        assertTrue(ws.makespanNanos() >= m && ws.makespanNanos() <= m + 100, "makespan=" + ws.makespanNanos());
        assertTrue(ws.steals() >= 3, "steals=" + ws.steals());
    }

    @Test
    void runningAttemptIsSplitByTheIdleWorkerInProportionToBothSpeeds() {
        // One task of 1,000 rows at 1 us per row, never split when taken: one worker idles from the start.
        final List<SimTask> one = List.of(new SimTask(0, 1_000, 1_000.0, SimTask.CLAIMED, true));
        assertEquals(1_000_000, simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).build(), one)
            .makespanNanos(), "no running splits by default");
        final SimResult even = simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).splitRunning(true).build(),
            one);
        assertEquals(500_000, even.makespanNanos(), "half each");
        // Worker 0 steals the task from worker 1's block of claims, then worker 1 splits worker 0's running attempt.
        assertEquals(2, even.steals());
        // The thief is 3x slower: the owner keeps 3/4 (750 us), the thief takes 250 rows (750 us at 3 us a row).
        final SimResult slowThief = simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).splitRunning(true)
            .slowWorker(1, 3).build(), one);
        assertEquals(750_000, slowThief.makespanNanos());
    }

    @Test
    void aSlowWorkerStretchesItsTasksByItsFactor() {
        final SimConfig config = SimConfig.builder(2, SchedulingPolicy.CENTRAL_QUEUE).slowWorker(1, 3).build();
        // Worker 0 runs three tasks of t back to back while worker 1 needs 3t for one.
        final SimResult r = simulate(config, uniform(4, 100, 2));
        assertEquals(300, r.makespanNanos());
        assertEquals(300, r.busyNanos()[0]);
        assertEquals(300, r.busyNanos()[1]);
    }

    @Test
    void speculationCopiesTheStragglerOnceItPassesTheMultipleOfTheMedian() {
        final long t = 1_000;
        final SimConfig config = SimConfig.builder(2, SchedulingPolicy.STATIC).slowWorker(1, 3)
            .speculation(new SpeculationPolicy(1.0, 0.0, 0)).build();
        final SimResult r = simulate(config, uniform(2, t, 2));
        // Worker 0 finishes at t (median t); the slow attempt passes 1.0 x t at t + 1, its copy ends at 2t + 1.
        assertEquals(2 * t + 1, r.makespanNanos());
        assertEquals(1, r.speculativeCopies());
        assertEquals(1, r.copyWins());
        assertEquals(2 * t + 1, r.busyNanos()[1], "the loser is cancelled when the copy commits, not at 3t");
        assertEquals(2 * t, r.busyNanos()[0], "its own task, then the copy from t + 1 to 2t + 1");
    }

    @Test
    void aWorkerKnownToBeSlowHasItsAttemptsCopiedBeforeTheStageRuleWould() {
        final long t = 1_000;
        // minFinishedFraction 1: the stage rule never fires while a task still runs; only the known-slow rule can.
        final SimConfig config = SimConfig.builder(2, SchedulingPolicy.STATIC).slowWorker(1, 5)
            .speculation(new SpeculationPolicy(1.4, 1.0, 0)).build();
        final SimResult r = simulate(config, uniform(8, t, 2));
        // Worker 0 ends its four tasks at 4t; worker 1 ends its first at 5t (mean 5t >= 1.4 x the median t), so each
        // of its next three attempts is copied at once by the idle worker 0, whose copy commits one t later.
        assertEquals(8 * t, r.makespanNanos());
        assertEquals(3, r.speculativeCopies());
        assertEquals(3, r.copyWins());
        final SimResult unknown = simulate(SimConfig.builder(2, SchedulingPolicy.STATIC).slowWorker(1, 5)
            .speculation(new SpeculationPolicy(1.4, 1.0, 0)).build(), uniform(2, t, 2));
        assertEquals(0, unknown.speculativeCopies(), "one task per worker: nothing ended on worker 1, nothing known");
    }

    @Test
    void failedAttemptsLoseTheirWorkAndAreRecomputed() {
        final FaultInjection faults = FaultInjection.none().withSeed(11).failAttempts(0.3);
        final int n = 40;
        final long t = 500;
        long attempts = 0;
        for (int i = 0; i < n; i++) {
            int a = 1;
            while (faults.failAttempt(i, 0, a)) {
                a++;
            }
            attempts += a;
        }
        assertTrue(attempts > n, "seed 11 must fail some attempts");
        final SimResult r = simulate(SimConfig.builder(1, SchedulingPolicy.CENTRAL_QUEUE).faults(faults).maxAttempts(10)
            .build(), uniform(n, t, 1));
        assertEquals(attempts * t, r.makespanNanos());
        assertEquals(attempts - n, r.retries());
    }

    @Test
    void workHomedOnADeadWorkerUnderStaticIsReportedAsStuck() {
        final SimConfig config = SimConfig.builder(2, SchedulingPolicy.STATIC).deadWorker(1).build();
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> simulate(config, uniform(2, 10, 2)));
        assertTrue(ex.getMessage().contains("finished tasks=1 of 2"), ex.getMessage());
        // Work stealing takes a dead worker's inbox from the survivors.
        final SimResult ws = simulate(SimConfig.builder(2, SchedulingPolicy.WORK_STEALING).deadWorker(1).build(),
            uniform(2, 10, 2));
        assertEquals(20, ws.makespanNanos());
    }
}
