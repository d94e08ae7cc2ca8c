package io.sluice.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Two producers claim, fill and publish one slot each of the queue source's ring at once (room for both): each gets
 * its own slot (the tail's CAS), and the consumer afterwards reads both values exactly once, in claim order.
 */
@JCStressTest
@Outcome(id = "12", expect = Expect.ACCEPTABLE, desc = "producer 1 claimed first")
@Outcome(id = "21", expect = Expect.ACCEPTABLE, desc = "producer 2 claimed first")
@Outcome(expect = Expect.FORBIDDEN, desc = "a value lost, overwritten, read twice or stale, or a claim refused with room left")
@State
public class TwoProducersRingTest {
    private final RingSlots ring = new RingSlots();
    private boolean refused;

    @Actor
    public void producer1() {
        refused |= !ring.produce(1);
    }

    @Actor
    public void producer2() {
        if (!ring.produce(2)) {
            ring.produce(7);
        }
    }

    @Arbiter
    public void consumer(final I_Result r) {
        r.r1 = refused ? -1 : ring.read();
    }
}
