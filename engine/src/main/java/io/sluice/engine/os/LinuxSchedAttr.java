package io.sluice.engine.os;

import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * {@code sched_setattr(2)} / {@code sched_getattr(2)} on the calling thread through libc's {@code syscall} (glibc
 * has no wrappers before 2.41). Reads the thread's attributes first and changes only {@code sched_runtime}, so the
 * policy and the nice value stay as they are.
 *
 * <pre>
 * struct sched_attr (SCHED_ATTR_SIZE_VER1 = 56 bytes)
 *   0 u32 size            4 u32 sched_policy      8 u64 sched_flags
 *  16 s32 sched_nice     20 u32 sched_priority   24 u64 sched_runtime (the EEVDF slice for SCHED_OTHER)
 *  32 u64 sched_deadline 40 u64 sched_period     48 u32 sched_util_min  52 u32 sched_util_max
 * </pre>
 */
final class LinuxSchedAttr implements SchedAttr {
    private static final int SIZE = 56;
    private static final int POLICY_OFFSET = 4;
    private static final int RUNTIME_OFFSET = 24;
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_BATCH = 3;
    private static final int SCHED_IDLE = 5;

    /** libc's variadic {@code long syscall(long number, ...)}. */
    interface LibC extends Library {
        long syscall(long number, Object... args) throws LastErrorException;
    }

    private final LibC libc;
    private final long setattrNumber;
    private final long getattrNumber;
    private final AtomicBoolean loggedFailure = new AtomicBoolean();

    LinuxSchedAttr(final long setattrNumber, final long getattrNumber) {
        this.libc = Native.load("c", LibC.class);
        this.setattrNumber = setattrNumber;
        this.getattrNumber = getattrNumber;
    }

    @Override
    public boolean setSlice(final long sliceNanos) {
        try (Memory attr = new Memory(SIZE)) {
            read(attr);
            final int policy = attr.getInt(POLICY_OFFSET);
            if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE) {
                return failed("the thread's policy=" + policy + " is not a fair one (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE)");
            }
            attr.setInt(0, SIZE);
            attr.setLong(RUNTIME_OFFSET, sliceNanos);
            libc.syscall(setattrNumber, 0L, attr, 0L);
            read(attr);
            final long reported = attr.getLong(RUNTIME_OFFSET);
            if (reported != sliceNanos) {
                // Kernels before 6.12 accept and ignore sched_runtime for fair policies and report 0.
                return failed("the kernel reports slice=" + reported + "ns after a request for " + sliceNanos
                    + "ns (custom slices need Linux 6.12 or later)");
            }
            return true;
        } catch (final LastErrorException ex) {
            return failed("sched_setattr/sched_getattr failed with errno=" + ex.getErrorCode());
        } catch (final LinkageError | RuntimeException ex) {
            return failed("the native call failed: " + ex);
        }
    }

    @Override
    public long slice() {
        try (Memory attr = new Memory(SIZE)) {
            read(attr);
            return attr.getLong(RUNTIME_OFFSET);
        } catch (final LinkageError | RuntimeException ex) {
            return -1;
        }
    }

    private void read(final Memory attr) {
        attr.clear();
        libc.syscall(getattrNumber, 0L, attr, (long) SIZE, 0L);
    }

    private boolean failed(final String reason) {
        if (loggedFailure.compareAndSet(false, true)) {
            LatencyThreads.log().debug("thread slice not set: {}", reason);
        }
        return false;
    }
}
