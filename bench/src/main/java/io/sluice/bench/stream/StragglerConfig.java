package io.sluice.bench.stream;

import io.sluice.engine.sched.SchedulingPolicy;

/** The scheduler settings of one straggler-experiment column. */
public enum StragglerConfig {
    /** Static scheduling (task i on worker i mod W, no moving, no copies), no straggler: the baseline. */
    STATIC_NONE("static", SchedulingPolicy.STATIC, false, false),
    /** Static scheduling with one slow worker. */
    STATIC_STRAGGLER("static + straggler", SchedulingPolicy.STATIC, false, true),
    /**
     * Static scheduling with one slow worker, speculation on: like the paper's Spark, tasks stay with their node and
     * only a running slow attempt can be copied (by an idle worker); the slow worker's queued tasks still wait.
     */
    STATIC_STRAGGLER_SPECULATION("static + straggler + speculation", SchedulingPolicy.STATIC, true, true),
    /** Work stealing, no straggler. */
    WS_NONE("work stealing", SchedulingPolicy.WORK_STEALING, false, false),
    /** Work stealing with one slow worker, speculation off. */
    WS_STRAGGLER("work stealing + straggler", SchedulingPolicy.WORK_STEALING, false, true),
    /** Work stealing with one slow worker, speculation on. */
    WS_STRAGGLER_SPECULATION("work stealing + straggler + speculation", SchedulingPolicy.WORK_STEALING, true, true);

    private final String label;
    private final SchedulingPolicy policy;
    private final boolean speculation;
    private final boolean straggler;

    StragglerConfig(final String label, final SchedulingPolicy policy, final boolean speculation, final boolean straggler) {
        this.label = label;
        this.policy = policy;
        this.speculation = speculation;
        this.straggler = straggler;
    }

    public String label() {
        return label;
    }

    public SchedulingPolicy policy() {
        return policy;
    }

    public boolean speculation() {
        return speculation;
    }

    public boolean straggler() {
        return straggler;
    }
}
