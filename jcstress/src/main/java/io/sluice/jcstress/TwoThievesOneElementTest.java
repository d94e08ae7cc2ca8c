package io.sluice.jcstress;

import io.sluice.engine.sched.WorkStealingDeque;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two thieves race for the only element: the CAS on top lets exactly one win (a loser returns null only because
 * the other succeeded, so "neither" is forbidden too).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "first thief won")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "second thief won")
@Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "element taken twice")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "element lost")
@Outcome(expect = Expect.FORBIDDEN, desc = "impossible value")
@State
public class TwoThievesOneElementTest {
    private final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(4);

    public TwoThievesOneElementTest() {
        deque.push(1);
    }

    @Actor
    public void thief1(final II_Result r) {
        final Integer item = deque.steal();
        r.r1 = item == null ? 0 : item;
    }

    @Actor
    public void thief2(final II_Result r) {
        final Integer item = deque.steal();
        r.r2 = item == null ? 0 : item;
    }
}
