package io.sluice.engine.sched;

class CentralQueueSchedulerTest extends SchedulerSanityTest {
    @Override
    protected SchedulingPolicy policy() {
        return SchedulingPolicy.CENTRAL_QUEUE;
    }
}
