package io.sluice.jcstress;

import io.sluice.engine.sched.WorkStealingDeque;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The ring starts full (capacity 2, items 1 and 2), so the owner's push of item 3 grows it while a thief steals
 * twice, possibly from the old ring. The owner then pops until empty. Results are bit masks of the items each
 * side took (item k is bit k-1): together they must hold every item exactly once.
 */
@JCStressTest
@Outcome(id = {"7, 0", "6, 1", "4, 3", "5, 2", "3, 4", "2, 5", "1, 6", "0, 7"}, expect = Expect.ACCEPTABLE,
    desc = "every item taken exactly once")
@Outcome(expect = Expect.FORBIDDEN, desc = "an item lost or taken twice")
@State
public class PushStealAcrossResizeTest {
    private final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(2);

    public PushStealAcrossResizeTest() {
        deque.push(1);
        deque.push(2);
    }

    @Actor
    public void owner(final II_Result r) {
        deque.push(3);
        int mask = 0;
        Integer item;
        while ((item = deque.pop()) != null) {
            mask |= 1 << (item - 1);
        }
        r.r1 = mask;
    }

    @Actor
    public void thief(final II_Result r) {
        int mask = 0;
        for (int i = 0; i < 2; i++) {
            final Integer item = deque.steal();
            if (item != null) {
                mask |= 1 << (item - 1);
            }
        }
        r.r2 = mask;
    }
}
