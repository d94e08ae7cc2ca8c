package io.sluice.engine.sched;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two attempts of one task (the original and its speculative copy) finish at the same time and both report their
 * result to the stage: exactly one commits, the other's result goes to the stage's discarder exactly once, and the
 * stage's result is the winner's. Results: outcome of attempt 1, outcome of attempt 2 (2 = committed the task,
 * 0 = not committed), discards, and which result the stage returns (1 or 2). In package
 * {@code io.sluice.engine.sched} because the commit path ({@code StageRun.onSuccess}) is package-private.
 */
@JCStressTest
@Outcome(id = "2, 0, 1, 1", expect = Expect.ACCEPTABLE, desc = "the original committed, the copy was discarded")
@Outcome(id = "0, 2, 1, 2", expect = Expect.ACCEPTABLE, desc = "the copy committed, the original was discarded")
@Outcome(expect = Expect.FORBIDDEN, desc = "both or neither committed, or a result kept and discarded")
@State
public class TwoAttemptsCommitOneTaskTest {
    private final AtomicInteger discards = new AtomicInteger();
    private final StageRun<Integer> run;
    private final Morsel original;
    private final Morsel copy;

    public TwoAttemptsCommitOneTaskTest() {
        final SchedulerConfig config = SchedulerConfig.builder().name("jcstress").workers(2).build();
        final Stage<Integer> stage = Stage.of("one", List.of(Task.of(ctx -> 0)), v -> discards.incrementAndGet());
        run = new StageRun<>(stage, config, config.newPlacement().newClaims(1), null);
        original = run.firstAttempt(0, new Morsel(null, 0, 0, 0, 1, false, false, null, true), false);
        copy = original.trySpeculativeCopy();
        copy.incrementLive();
    }

    @Actor
    public void originalFinishes(final IIII_Result r) {
        r.r1 = run.onSuccess(original, 1, 0, 0, 1);
    }

    @Actor
    public void copyFinishes(final IIII_Result r) {
        r.r2 = run.onSuccess(copy, 2, 1, 0, 1);
    }

    @Arbiter
    public void check(final IIII_Result r) {
        r.r3 = discards.get();
        final int committed = (r.r1 == StageRun.COMMITTED_TASK ? 1 : 0) + (r.r2 == StageRun.COMMITTED_TASK ? 1 : 0);
        if (committed == 1) {
            run.tasksCommitted(1);
            r.r4 = run.outcome(null).result(0);
        }
    }
}
