package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BackgroundLoadTest {
    @Test
    void childSpinsUntilClosedAndIsGoneAfterwards() throws Exception {
        final long pid;
        final BackgroundLoad load = BackgroundLoad.start(1);
        try {
            pid = load.pid();
            // The child JVM needs a moment to start its spinner; wait until it has burnt some CPU. A safety net only: on a
            // loaded machine (load 30 on 2 cores) the child gets a few percent of a core, and its JVM start takes that too.
            final long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            Duration cpu = Duration.ZERO;
            while (System.nanoTime() < deadline && cpu.compareTo(Duration.ofMillis(300)) < 0) {
                Thread.sleep(50);
                cpu = ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
            }
            assertTrue(cpu.compareTo(Duration.ofMillis(300)) >= 0, "child used cpu=" + cpu);
        } finally {
            load.close();
        }
        final Optional<ProcessHandle> child = ProcessHandle.of(pid);
        assertFalse(child.isPresent() && child.get().isAlive(), "background load pid=" + pid + " still alive");
        assertTrue(load.cpu().compareTo(Duration.ZERO) > 0, load.describe());
        assertTrue(load.describe().startsWith("1 CPU-bound thread(s) in another process"), load.describe());
    }

    @Test
    void zeroThreadsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BackgroundLoad.start(0));
    }
}
