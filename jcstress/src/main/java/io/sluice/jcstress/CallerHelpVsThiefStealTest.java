package io.sluice.jcstress;

import io.sluice.engine.sched.Placement;
import io.sluice.engine.sched.SchedulingPolicy;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Caller-runs on the work-stealing claims: the stage's calling thread takes indices one at a time from the top of
 * the fullest block ({@code Claims.help}) while a thief whose own block is empty steals its upper half and
 * continues it as its own. Every index of the block must be claimed exactly once. Worker 1's block is [2, 5); the
 * results count how often 2, 3 and 4 were claimed (an index outside the block, or a caller range of more than one
 * index, adds 100).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "every index of the block claimed once")
@Outcome(expect = Expect.FORBIDDEN, desc = "an index claimed twice or lost")
@State
public class CallerHelpVsThiefStealTest {
    private final Placement.Claims claims;
    private final int[] other = {-1, -1, -1};
    private final int[] caller = {-1, -1, -1};

    public CallerHelpVsThiefStealTest() {
        // Two workers, five tasks: worker 0 owns [0, 2), worker 1 owns [2, 5). Worker 0 empties its own block first.
        claims = SchedulingPolicy.WORK_STEALING.create(2, 1, 7).newClaims(5);
        while (claims.nextOwn(0, 1) >= 0) {
            // drained
        }
    }

    @Actor
    public void thiefSteals() {
        other[0] = claims.steal(0);
        for (int i = 1; i < other.length; i++) {
            other[i] = other[i - 1] < 0 ? claims.steal(0) : claims.nextOwn(0, 1);
        }
    }

    @Actor
    public void callerHelps() {
        CallerHelpVsOwnerClaimTest.callerHelps(claims, caller);
    }

    @Arbiter
    public void count(final III_Result r) {
        CallerHelpVsOwnerClaimTest.count(r, other, caller);
    }
}
