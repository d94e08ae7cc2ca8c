package io.sluice.engine.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.sluice.engine.sched.FaultInjection;
import io.sluice.engine.sched.SchedulingPolicy;
import io.sluice.memory.BufferAllocator;

/**
 * Base of tests that run datasets: a fresh work-stealing context (2 workers, 4 shuffle partitions) on an allocator of
 * the test's own, and after each test the check that closing the context left no off-heap byte outstanding.
 */
abstract class LeakCheckedContext {
    BufferAllocator allocator;
    ExecutionContext ctx;

    @BeforeEach
    void openContext() {
        allocator = new BufferAllocator();
        ctx = ExecutionContext.create(DatasetTestSupport.config(SchedulingPolicy.WORK_STEALING, FaultInjection.none()),
            allocator, 4);
    }

    @AfterEach
    void closeContextAndCheckLeaks() {
        ctx.close();
        assertEquals(0, allocator.bytesOutstanding(), "off-heap bytes outstanding after the test");
        allocator.close();
    }
}
