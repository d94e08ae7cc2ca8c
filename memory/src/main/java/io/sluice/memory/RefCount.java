package io.sluice.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A thread-safe reference count starting at 1; reaching 0 means released, for good. Errors name the owner by its
 * {@code toString()}, called only then: making a count allocates no description string.
 */
final class RefCount {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(RefCount.class, "count", int.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Object owner;
    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count = 1;

    RefCount(final Object owner) {
        this.owner = owner;
    }

    int get() {
        return count;
    }

    boolean isReleased() {
        return count <= 0;
    }

    /** Adds a reference; throws if already released (a released object never comes back). */
    void retain() {
        while (true) {
            final int current = count;
            if (current <= 0) {
                throw new IllegalStateException(owner + " retained after release");
            }
            if (COUNT.compareAndSet(this, current, current + 1)) {
                return;
            }
        }
    }

    /** Drops a reference; true when this dropped the last one. Throws on double release. */
    boolean release() {
        while (true) {
            final int current = count;
            if (current <= 0) {
                throw new IllegalStateException(owner + " released twice (refCount=" + current + ")");
            }
            if (COUNT.compareAndSet(this, current, current - 1)) {
                return current == 1;
            }
        }
    }

    /** Throws if released; call before touching the memory this count guards. */
    void checkLive() {
        if (count <= 0) {
            throw new IllegalStateException(owner + " used after release");
        }
    }

    /**
     * {@link #checkLive()} with a plain read: a loop over a vector can hoist it, so a checked scan costs one check
     * per loop instead of one volatile read per row. A release that happens-before the access (the same thread, or
     * any synchronisation after it) is still seen; only a release racing the access may go unnoticed, as it could
     * with the volatile read one instruction later.
     */
    void checkLivePlain() {
        if ((int) COUNT.get(this) <= 0) {
            throw new IllegalStateException(owner + " used after release");
        }
    }

    /** The owner's description (which states its count; this count never formats its owner, so no recursion). */
    @Override
    public String toString() {
        return String.valueOf(owner);
    }
}
