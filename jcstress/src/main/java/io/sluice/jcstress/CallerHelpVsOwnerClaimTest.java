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
 * the fullest block ({@code Claims.help}) while the block's owner claims from its front. Every index of the block must be claimed exactly
 * once. Worker 1's block is [2, 5); the results count how often 2, 3 and 4 were claimed (an index outside the
 * block, or a caller range of more than one index, adds 100).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "every index of the block claimed once")
@Outcome(expect = Expect.FORBIDDEN, desc = "an index claimed twice or lost")
@State
public class CallerHelpVsOwnerClaimTest {
    private final Placement.Claims claims;
    private final int[] other = {-1, -1, -1};
    private final int[] caller = {-1, -1, -1};

    public CallerHelpVsOwnerClaimTest() {
        // Two workers, five tasks: worker 0 owns [0, 2), worker 1 owns [2, 5). Worker 0 empties its own block first.
        claims = SchedulingPolicy.WORK_STEALING.create(2, 1, 7).newClaims(5);
        while (claims.nextOwn(0, 1) >= 0) {
            // drained
        }
    }

    @Actor
    public void ownerClaims() {
        for (int i = 0; i < other.length; i++) {
            other[i] = claims.nextOwn(1, 1);
        }
    }

    @Actor
    public void callerHelps() {
        callerHelps(claims, caller);
    }

    @Arbiter
    public void count(final III_Result r) {
        count(r, other, caller);
    }

    /** The caller's side: three one-index claims; a range of more than one index is recorded as out of range. */
    static void callerHelps(final Placement.Claims claims, final int[] caller) {
        for (int i = 0; i < caller.length; i++) {
            final long range = claims.help(1);
            caller[i] = range < 0 ? -1 : (int) (range >>> 32) + 100 * ((int) range - (int) (range >>> 32) - 1);
        }
    }

    /** Counts the claims of indices 2, 3 and 4 in {@code r}; anything else but -1 adds 100 to r1. */
    static void count(final III_Result r, final int[]... sides) {
        for (final int[] claimed : sides) {
            for (final int i : claimed) {
                if (i == 2) {
                    r.r1++;
                } else if (i == 3) {
                    r.r2++;
                } else if (i == 4) {
                    r.r3++;
                } else if (i != -1) {
                    r.r1 += 100;
                }
            }
        }
    }
}
