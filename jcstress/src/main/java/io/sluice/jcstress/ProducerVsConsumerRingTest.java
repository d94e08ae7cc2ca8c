package io.sluice.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A producer publishes two values into the queue source's ring while the consumer reads what is published; the
 * arbiter reads the rest. The consumer never reads a published slot before its value (release/acquire on the slot's
 * sequence), never skips one, and every value is read exactly once. r1 = consumer's reads, r2 = the rest.
 */
@JCStressTest
@Outcome(id = "0, 12", expect = Expect.ACCEPTABLE, desc = "consumer ran first")
@Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "consumer read the first value")
@Outcome(id = "12, 0", expect = Expect.ACCEPTABLE, desc = "consumer read both")
@Outcome(expect = Expect.FORBIDDEN, desc = "a value stale, skipped, reordered or read twice")
@State
public class ProducerVsConsumerRingTest {
    private final RingSlots ring = new RingSlots();

    @Actor
    public void producer() {
        ring.produce(1);
        ring.produce(2);
    }

    @Actor
    public void consumer(final II_Result r) {
        r.r1 = ring.read();
    }

    @Arbiter
    public void rest(final II_Result r) {
        r.r2 = ring.read();
    }
}
