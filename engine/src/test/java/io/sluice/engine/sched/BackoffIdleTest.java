package io.sluice.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The idle state machine driven by hand, with its thread actions recorded instead of performed: no clock, no thread. */
class BackoffIdleTest {
    /** Records each action as "spin", "yield" or "park N". */
    private static final class Recorder implements BackoffIdle.Actions {
        final List<String> log = new ArrayList<>();

        @Override
        public void spin() {
            log.add("spin");
        }

        @Override
        public void yieldThread() {
            log.add("yield");
        }

        @Override
        public void park(final long nanos) {
            log.add("park " + nanos);
        }

        List<String> take() {
            final List<String> out = List.copyOf(log);
            log.clear();
            return out;
        }
    }

    private static List<String> idle(final BackoffIdle strategy, final Recorder recorder, final int calls) {
        for (int i = 0; i < calls; i++) {
            strategy.idle();
        }
        return recorder.take();
    }

    private static List<String> times(final int n, final String action) {
        return Collections.nCopies(n, action);
    }

    private static List<String> concat(final List<String> a, final List<String> b) {
        final List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void spinsThenYieldsThenParksDoublingUpToTheMaximum() {
        final Recorder r = new Recorder();
        final BackoffIdle s = new BackoffIdle(IdlePolicy.of(3, 2, 10, 50), r);
        assertEquals(List.of("spin", "spin", "spin", "yield", "yield", "park 10", "park 20", "park 40", "park 50", "park 50",
            "park 50"), idle(s, r, 11));
    }

    @Test
    void workFoundStartsTheSequenceOverFromAnyPhase() {
        final Recorder r = new Recorder();
        final BackoffIdle s = new BackoffIdle(IdlePolicy.of(2, 1, 100, 1_000), r);
        final List<String> fromStart = List.of("spin", "spin", "yield", "park 100", "park 200");
        for (int phase = 1; phase <= 5; phase++) {
            assertEquals(fromStart.subList(0, phase), idle(s, r, phase), "before the reset after " + phase + " calls");
            s.reset();
            assertEquals(fromStart, idle(s, r, 5), "after a reset in phase " + phase);
            s.idle(1);
            assertEquals(List.of(), r.take(), "idle(workCount > 0) only resets");
            assertEquals(fromStart, idle(s, r, 5), "after idle(1) in phase " + phase);
            s.idle(0);
            assertEquals(List.of("park 400"), r.take(), "idle(0) idles");
            s.reset();
        }
    }

    @Test
    void resetRestartsTheParkAtItsMinimum() {
        final Recorder r = new Recorder();
        final BackoffIdle s = new BackoffIdle(IdlePolicy.of(0, 0, 7, 100), r);
        assertEquals(List.of("park 7", "park 14", "park 28", "park 56", "park 100"), idle(s, r, 5));
        s.reset();
        assertEquals(List.of("park 7", "park 14"), idle(s, r, 2));
    }

    @Test
    void busySpinNeverYieldsOrParks() {
        final Recorder r = new Recorder();
        final BackoffIdle s = new BackoffIdle(IdlePolicy.busySpin(), r);
        assertEquals(times(100_000, "spin"), idle(s, r, 100_000));
    }

    @Test
    void presetsFollowTheirDocumentedSequences() {
        final IdlePolicy backoff = IdlePolicy.backoff();
        final Recorder r = new Recorder();
        final BackoffIdle s = new BackoffIdle(backoff, r);
        final int spins = (int) backoff.maxSpins();
        final int yields = (int) backoff.maxYields();
        final List<String> expected = concat(concat(times(spins, "spin"), times(yields, "yield")),
            List.of("park " + backoff.minParkNanos(), "park " + Math.min(2 * backoff.minParkNanos(), backoff.maxParkNanos())));
        assertEquals(expected, idle(s, r, spins + yields + 2));
        for (int i = 0; i < 40; i++) {
            s.idle();
        }
        assertEquals("park " + backoff.maxParkNanos(), r.log.get(r.log.size() - 1), "the park stops growing at the maximum");

        final Recorder p = new Recorder();
        final BackoffIdle park = new BackoffIdle(IdlePolicy.park(), p);
        assertEquals("park " + IdlePolicy.park().minParkNanos(), idle(park, p, 1).get(0), "park parks on the first call");
    }
}
