package io.sluice.bench;

import java.util.concurrent.locks.LockSupport;

/** {@link TaskCost#sleep()}: parks until the deadline; parkNanos may return early, so it loops on the clock. */
final class SleepCost implements TaskCost {
    static final SleepCost INSTANCE = new SleepCost();

    private SleepCost() {
    }

    @Override
    public void run(final long nanos, final double slowdown) {
        final long deadline = System.nanoTime() + TaskCost.scaledNanos(nanos, slowdown);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public CostModel model() {
        return CostModel.SLEEP;
    }

    @Override
    public String toString() {
        return "sleep";
    }
}
