package io.sluice.engine.sched;

import java.util.List;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The owner of a running attempt over rows [0, 16) (first chunk [0, 2) claimed, so its cursor is open) claims two
 * more chunks of 4 rows and ends the attempt, while a thief splits off half of its unclaimed rows. Every row must
 * end in exactly one of the two ranges, and the owner must never have claimed a row that was split off. Results:
 * 1 if that holds (else 0), 1 if the split happened (else 0), and the owner's final end (16 without a split, else
 * where the split put it: half of the rows unclaimed at that moment stay with the owner). In package
 * {@code io.sluice.engine.sched} because the cursor ({@code Morsel.claimChunk}, {@code trySplit}, {@code endRun}) is package-private.
 */
@JCStressTest
@Outcome(id = "1, 0, 16", expect = Expect.ACCEPTABLE, desc = "the owner ended first: no split, it keeps every row")
@Outcome(id = "1, 1, 13", expect = Expect.ACCEPTABLE, desc = "split after both chunks: keeps 3 of 6")
@Outcome(id = "1, 1, 11", expect = Expect.ACCEPTABLE, desc = "split after one chunk: keeps 5 of 10")
@Outcome(id = "1, 1, 9", expect = Expect.ACCEPTABLE, desc = "split before both chunks: keeps 7 of 14")
@Outcome(expect = Expect.FORBIDDEN, desc = "a row in both ranges or in neither, or a claimed row split off")
@State
public class OwnerClaimVsThiefSplitTest {
    private static final long ROWS = 16;
    private final Morsel owner;
    private long claimedEnd;
    private long ownerEnd;
    private Morsel part;

    public OwnerClaimVsThiefSplitTest() {
        final SchedulerConfig config = SchedulerConfig.builder().name("jcstress-split").workers(2).build();
        final Stage<Long> stage = Stage.of("one", List.of(Task.splittable(0, ROWS, ctx -> 0L, Long::sum)));
        final StageRun<Long> run = new StageRun<>(stage, config, config.newPlacement().newClaims(1), null);
        owner = run.firstAttempt(0, new Morsel(null, 0, 0, 0, 1, false, false, null, true), false);
        owner.beginRun();
        owner.claimChunk(2, config.clock());
    }

    @Actor
    public void ownerClaimsAndEnds() {
        owner.claimChunk(4, NanoClock.system());
        claimedEnd = owner.claimChunk(4, NanoClock.system());
        owner.endRun();
        ownerEnd = owner.to();
    }

    @Actor
    public void thiefSplits() {
        part = owner.trySplit(0.5, 1);
    }

    @Arbiter
    public void check(final III_Result r) {
        final boolean partitioned = part == null ? ownerEnd == ROWS : part.from() == ownerEnd && part.to() == ROWS;
        r.r1 = partitioned && claimedEnd <= ownerEnd && owner.from() == 0 ? 1 : 0;
        r.r2 = part == null ? 0 : 1;
        r.r3 = (int) ownerEnd;
    }
}
