package io.sluice.bench.stream;

import io.sluice.bench.Contender;

/**
 * The scheduler settings of one straggler-experiment column: a {@link Contender}'s placement, speculation on or off
 * (static + speculation, the paper's Spark, is a column here though not a contender), and whether a worker is slow.
 */
public enum StragglerConfig {
    /** Static scheduling (task i on worker i mod W, no moving, no copies), no straggler: the baseline. */
    STATIC_NONE("static", Contender.STATIC, false, false),
    /** Static scheduling with one slow worker. */
    STATIC_STRAGGLER("static + straggler", Contender.STATIC, false, true),
    /**
     * Static scheduling with one slow worker, speculation on: like the paper's Spark, tasks stay with their node and
     * only a running slow attempt can be copied (by an idle worker); the slow worker's queued tasks still wait.
     */
    STATIC_STRAGGLER_SPECULATION("static + straggler + speculation", Contender.STATIC, true, true),
    /** Work stealing, no straggler. */
    WS_NONE("work stealing", Contender.WORK_STEALING, false, false),
    /** Work stealing with one slow worker, speculation off. */
    WS_STRAGGLER("work stealing + straggler", Contender.WORK_STEALING, false, true),
    /** Work stealing with one slow worker, speculation on. */
    WS_STRAGGLER_SPECULATION("work stealing + straggler + speculation", Contender.WORK_STEALING, true, true);

    private final String label;
    private final Contender placement;
    private final boolean speculation;
    private final boolean straggler;

    StragglerConfig(final String label, final Contender placement, final boolean speculation, final boolean straggler) {
        this.label = label;
        this.placement = placement;
        this.speculation = speculation;
        this.straggler = straggler;
    }

    public String label() {
        return label;
    }

    /** The contender whose placement the column uses (its speculation is this column's {@link #speculation()}). */
    public Contender placement() {
        return placement;
    }

    public boolean speculation() {
        return speculation;
    }

    public boolean straggler() {
        return straggler;
    }
}
