package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.engine.sched.FaultInjection;

class WorkerSlowdownTest {
    private final WorkerSlowdown cost = new WorkerSlowdown("straggler", FaultInjection.none().slowWorker(3, 5.0), 1000);

    @Test
    void readsTheWorkerIndexFromThePoolsThreadNames() {
        assertEquals(3, cost.workerIndex("sluice-worker-straggler-3"));
        assertEquals(12, cost.workerIndex("sluice-worker-straggler-12"));
        assertEquals(3, cost.workerIndex("sluice-worker-straggler-3.2"));
    }

    @Test
    void otherThreadsAreNotWorkers() {
        assertEquals(-1, cost.workerIndex("main"));
        assertEquals(-1, cost.workerIndex("sluice-worker-other-3"));
        assertEquals(-1, cost.workerIndex("sluice-worker-straggler-"));
        assertEquals(-1, cost.workerIndex("sluice-worker-straggler-3x"));
        assertEquals(-1, cost.workerIndex("sluice-worker-stragglers-3"));
    }

    @Test
    void onlyTheSlowWorkersCostIsStretched() {
        assertEquals(250_000, cost.costNanos("sluice-worker-straggler-0", 250));
        assertEquals(1_250_000, cost.costNanos("sluice-worker-straggler-3", 250));
        assertEquals(1_250_000, cost.costNanos("sluice-worker-straggler-3.1", 250));
        assertEquals(250_000, cost.costNanos("main", 250));
    }

    @Test
    @Timeout(60)
    void anInterruptedThreadReturnsAtOnce() {
        final WorkerSlowdown huge = new WorkerSlowdown("p", FaultInjection.none(), 1_000_000_000L);
        Thread.currentThread().interrupt();
        try {
            huge.apply(0, 1_000_000);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void rejectsANegativeCost() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerSlowdown("p", FaultInjection.none(), -1));
    }
}
