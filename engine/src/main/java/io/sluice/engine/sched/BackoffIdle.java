package io.sluice.engine.sched;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * The state machine of an {@link IdlePolicy} for one worker thread: each idle call spins while fewer than
 * {@code maxSpins} spins were made, else yields while fewer than {@code maxYields} yields were made, else parks,
 * doubling the park from {@code minParkNanos} up to {@code maxParkNanos}; {@link #reset} (work found) starts over.
 * The thread actions go through {@link Actions} so a test can record them without a clock or a thread.
 */
final class BackoffIdle implements IdleStrategy {
    /** What an idle call does to the thread. */
    interface Actions {
        void spin();

        void yieldThread();

        void park(long nanos);
    }

    /** The real actions: {@link Thread#onSpinWait}, {@link Thread#yield}, {@link LockSupport#parkNanos(long)}. */
    static final Actions THREAD = new Actions() {
        @Override
        public void spin() {
            Thread.onSpinWait();
        }

        @Override
        public void yieldThread() {
            Thread.yield();
        }

        @Override
        public void park(final long nanos) {
            LockSupport.parkNanos(nanos);
        }
    };

    private final IdlePolicy policy;
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final Actions actions;
    private long spins;
    private long yields;
    private long parkNanos;

    BackoffIdle(final IdlePolicy policy, final Actions actions) {
        this.policy = policy;
        this.maxSpins = policy.maxSpins();
        this.maxYields = policy.maxYields();
        this.minParkNanos = policy.minParkNanos();
        this.maxParkNanos = policy.maxParkNanos();
        this.actions = actions;
        this.parkNanos = minParkNanos;
    }

    @Override
    public void idle(final int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            // UNBOUNDED never reaches the bound: a busy-spinning worker stays here.
            if (maxSpins != IdlePolicy.UNBOUNDED) {
                spins++;
            }
            actions.spin();
        } else if (yields < maxYields) {
            yields++;
            actions.yieldThread();
        } else {
            actions.park(parkNanos);
            // maxParkNanos <= IdlePolicy.MAX_PARK_LIMIT_NANOS: doubling cannot overflow.
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    @Override
    public String alias() {
        return "sluice-" + policy.name();
    }

    @Override
    public String toString() {
        return "BackoffIdle{" + policy + ", spins=" + spins + ", yields=" + yields + ", nextParkNanos=" + parkNanos + '}';
    }
}
