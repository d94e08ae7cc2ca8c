package io.sluice.nexmark;

import java.lang.management.ManagementFactory;

/** CPU time of this whole process (every thread: the engine's, the JIT's, the GC's), in nanoseconds. */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    public static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("process CPU time is not available on this JVM");
    }
}
