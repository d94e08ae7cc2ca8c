package io.sluice.engine.sched;

/**
 * The built-in placement policies; each constant only picks its {@link Placement} (the factory of one file each).
 * Another policy needs no constant here: pass its {@link Placement.Factory} to
 * {@link SchedulerConfig.Builder#placement}.
 */
public enum SchedulingPolicy implements Placement.Factory {
    /** Task i runs on worker i mod W and never moves: {@link StaticPlacement}. */
    STATIC {
        @Override
        public Placement create(final int workers, final long minMorselRows, final long seed) {
            return new StaticPlacement(workers);
        }
    },
    /** One shared cursor and one MPMC queue all workers pull from: {@link CentralQueuePlacement}. */
    CENTRAL_QUEUE {
        @Override
        public Placement create(final int workers, final long minMorselRows, final long seed) {
            return new CentralQueuePlacement(workers, minMorselRows);
        }
    },
    /** Per-worker blocks and deques; idle workers steal from random victims: {@link WorkStealingPlacement}. */
    WORK_STEALING {
        @Override
        public Placement create(final int workers, final long minMorselRows, final long seed) {
            return new WorkStealingPlacement(workers, minMorselRows, seed);
        }

        @Override
        public boolean stealsWork() {
            return true;
        }
    }
}
