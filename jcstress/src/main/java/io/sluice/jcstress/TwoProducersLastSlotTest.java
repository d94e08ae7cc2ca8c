package io.sluice.jcstress;

import io.sluice.engine.stream.source.SlotSequencer;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Two producers race for the last free slot of the queue source's ring ({@link SlotSequencer}, capacity 2, one slot
 * taken): exactly one gets it (the tail's CAS), the other is told the ring is full.
 */
@JCStressTest
@Outcome(id = "1, -1", expect = Expect.ACCEPTABLE, desc = "first producer got the slot")
@Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "second producer got the slot")
@Outcome(expect = Expect.FORBIDDEN, desc = "slot given twice, or refused to both")
@State
public class TwoProducersLastSlotTest {
    private final SlotSequencer ring = new SlotSequencer(2);

    public TwoProducersLastSlotTest() {
        ring.publish(ring.claim());
    }

    @Actor
    public void producer1(final JJ_Result r) {
        r.r1 = ring.claim();
    }

    @Actor
    public void producer2(final JJ_Result r) {
        r.r2 = ring.claim();
    }
}
