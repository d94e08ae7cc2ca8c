package io.sluice.jcstress;

import io.sluice.engine.sched.Placement;
import io.sluice.engine.sched.SchedulingPolicy;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The work-stealing first-attempt claims on one block: its owner claims indices from the front while a thief (whose
 * own block is empty) steals the upper half and continues it as its own. Each index of the block must be claimed
 * exactly once: the owner's and the thief's CAS on the block word decide every race. The results count how often
 * index 2 and index 3 (worker 1's block [2, 4)) were claimed.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "every index of the block claimed once")
@Outcome(expect = Expect.FORBIDDEN, desc = "an index claimed twice or lost")
@State
public class OwnerClaimVsThiefStealTest {
    private final Placement.Claims claims;
    private final int[] owner = new int[2];
    private final int[] thief = new int[2];

    public OwnerClaimVsThiefStealTest() {
        // Two workers, four tasks: worker 0 owns [0, 2), worker 1 owns [2, 4). Worker 0 empties its own block first.
        claims = SchedulingPolicy.WORK_STEALING.create(2, 1, 7).newClaims(4);
        while (claims.nextOwn(0, 1) >= 0) {
            // drained
        }
        owner[0] = -1;
        owner[1] = -1;
        thief[0] = -1;
        thief[1] = -1;
    }

    @Actor
    public void ownerClaims() {
        owner[0] = claims.nextOwn(1, 1);
        owner[1] = claims.nextOwn(1, 1);
    }

    @Actor
    public void thiefSteals() {
        thief[0] = claims.steal(0);
        thief[1] = thief[0] < 0 ? claims.steal(0) : claims.nextOwn(0, 1);
    }

    @Arbiter
    public void count(final II_Result r) {
        for (final int[] claimed : new int[][] {owner, thief}) {
            for (final int i : claimed) {
                if (i == 2) {
                    r.r1++;
                } else if (i == 3) {
                    r.r2++;
                } else if (i != -1) {
                    r.r1 += 100;  // an index outside the block: forbidden
                }
            }
        }
    }
}
