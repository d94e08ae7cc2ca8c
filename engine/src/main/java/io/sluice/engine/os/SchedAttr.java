package io.sluice.engine.os;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The calling thread's {@code sched_attr} slice: the JNA-backed Linux one or an unavailable one. An interface so
 * that loading {@link LatencyThreads} never loads JNA classes (it is an optional dependency).
 */
interface SchedAttr {
    /** Sets the calling thread's slice; whether the kernel now reports it. Never throws. */
    boolean setSlice(long sliceNanos);

    /** The calling thread's slice as the kernel reports it, or -1. Never throws. */
    long slice();

    /** The Linux implementation; throws {@link LinkageError} if JNA or its native library is missing. */
    static SchedAttr linux(final long setattrNumber, final long getattrNumber) {
        return new LinuxSchedAttr(setattrNumber, getattrNumber);
    }

    /** Always false / -1; the first request logs {@code reason} at DEBUG. */
    static SchedAttr unavailable(final String reason) {
        final AtomicBoolean logged = new AtomicBoolean();
        return new SchedAttr() {
            @Override
            public boolean setSlice(final long sliceNanos) {
                if (logged.compareAndSet(false, true)) {
                    LatencyThreads.log().debug("thread slice not set: {}", reason);
                }
                return false;
            }

            @Override
            public long slice() {
                return -1;
            }
        };
    }
}
