package io.sluice.engine.sched;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A runner holding the unstarted tasks [5, 8) of its chunk takes its next two while a thief takes two from the top
 * ({@link HeldChunks}): every task must be taken exactly once (the runner from the bottom, the thief from the top),
 * and the word must end empty, also after the runner's add found it emptied by the thief in between. Results: the
 * runner's two takes, then the thief's (-1 = none left; -2 in the first if something was left).
 */
@JCStressTest
@Outcome(id = "5, 6, 7, -1", expect = Expect.ACCEPTABLE, desc = "the runner took its two, the thief the last one")
@Outcome(id = "5, -1, 7, 6", expect = Expect.ACCEPTABLE, desc = "the thief took 6 before the runner's second take")
@Outcome(expect = Expect.FORBIDDEN, desc = "a task taken twice or by nobody, or out of order")
@State
public class RunnerNextVsThiefTakeHeldTest {
    private final HeldChunks held = new HeldChunks(2);

    public RunnerNextVsThiefTakeHeldTest() {
        held.hold(0, 5, 8);
    }

    @Actor
    public void runner(final IIII_Result r) {
        r.r1 = held.next(0);
        r.r2 = held.next(0);
    }

    @Actor
    public void thief(final IIII_Result r) {
        r.r3 = held.take(0);
        r.r4 = held.take(0);
    }

    @Arbiter
    public void check(final IIII_Result r) {
        // Nothing may be left, whatever the interleaving: a final take by anyone finds the word empty.
        if (held.holds(0) || held.take(0) != -1 || held.next(0) != -1) {
            r.r1 = -2;
        }
    }
}
