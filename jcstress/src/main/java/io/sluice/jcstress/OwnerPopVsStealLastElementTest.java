package io.sluice.jcstress;

import io.sluice.engine.sched.WorkStealingDeque;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The owner pops while a thief steals the deque's only element: exactly one of them gets it (r = 1), the other
 * sees nothing (r = 0). Both or neither is the bug the full fence in pop/steal prevents.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "owner popped the last element")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "thief stole the last element")
@Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "element taken twice")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "element lost")
@Outcome(expect = Expect.FORBIDDEN, desc = "impossible value")
@State
public class OwnerPopVsStealLastElementTest {
    private final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(4);

    public OwnerPopVsStealLastElementTest() {
        deque.push(1);
    }

    @Actor
    public void owner(final II_Result r) {
        final Integer item = deque.pop();
        r.r1 = item == null ? 0 : item;
    }

    @Actor
    public void thief(final II_Result r) {
        final Integer item = deque.steal();
        r.r2 = item == null ? 0 : item;
    }
}
