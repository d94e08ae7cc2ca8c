package io.sluice.engine.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Single-owner, multi-thief work-stealing deque: the Chase–Lev algorithm (SPAA 2005) with the memory ordering of
 * Lê, Pop, Cohen and Zappa Nardelli, "Correct and Efficient Work-Stealing for Weak Memory Models" (PPoPP 2013),
 * expressed with VarHandles. The owner thread pushes and pops at the bottom (LIFO); any thread may steal at the
 * top (FIFO). The ring grows by doubling; it never shrinks.
 *
 * <p>Thread-safety: {@link #push} and {@link #pop} only from the owning thread (ownership may be handed over to a
 * new thread if the hand-over itself is a happens-before edge, e.g. {@code Thread.start}); {@link #steal} and
 * {@link #sizeEstimate} from any thread. Null elements are rejected.
 *
 * <p>Invariants: {@code top <= bottom + 1} at all times and {@code top <= bottom} outside of a pop in progress;
 * elements live at ring indices {@code [top, bottom)}; {@code top} only grows and only by CAS; {@code bottom} is
 * written only by the owner.
 *
 * @param <T> element type
 */
public final class WorkStealingDeque<T> {
    private static final VarHandle TOP;
    private static final VarHandle BOTTOM;
    private static final VarHandle ARRAY;
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final int MAX_CAPACITY = 1 << 30;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(WorkStealingDeque.class, "top", long.class);
            BOTTOM = lookup.findVarHandle(WorkStealingDeque.class, "bottom", long.class);
            ARRAY = lookup.findVarHandle(WorkStealingDeque.class, "array", Object[].class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // Padding keeps the thieves' CAS target (top) off the owner's line (bottom); contention was the reason.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long top;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    private volatile long bottom;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;
    private volatile Object[] array;

    /** A deque with an initial ring of {@code initialCapacity} slots, rounded up to a power of two. */
    public WorkStealingDeque(final int initialCapacity) {
        if (initialCapacity < 1 || initialCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("initialCapacity=" + initialCapacity + " out of range [1, " + MAX_CAPACITY + "]");
        }
        final int capacity = 1 << (32 - Integer.numberOfLeadingZeros(Math.max(1, initialCapacity - 1)));
        this.array = new Object[Math.max(2, capacity)];
    }

    /** A deque with a 64-slot initial ring. */
    public WorkStealingDeque() {
        this(64);
    }

    /** Owner only: adds {@code element} at the bottom, growing the ring if it is full. */
    public void push(final T element) {
        if (element == null) {
            throw new NullPointerException("element is null");
        }
        final long b = lpBottom();
        final long t = laTop();
        Object[] a = lpArray();
        if (b - t > a.length - 1) {
            a = grow(a, t, b);
        }
        spElement(a, b, element);
        // Release: a thief that acquires bottom >= b + 1 also sees the element stored above.
        srBottom(b + 1);
    }

    /** Owner only: removes and returns the bottom element, or null when the deque is empty. */
    @SuppressWarnings("unchecked")
    public T pop() {
        final long b = lpBottom() - 1;
        final Object[] a = lpArray();
        spBottom(b);
        // Full fence: the store to bottom must be ordered before the load of top (the Dekker-style handshake
        // with steal's top-load/fence/bottom-load); without it owner and thief could both take the last element.
        VarHandle.fullFence();
        final long t = lpTop();
        if (t <= b) {
            Object element = lpElement(a, b);
            if (t == b) {
                // Last element: race the thieves for it on top.
                if (!casTop(t, t + 1)) {
                    element = null;
                } else {
                    spElement(a, b, null);
                }
                spBottom(b + 1);
            } else {
                // t < b: no thief can be reading slot b (it saw top <= t < b), so clearing it is safe.
                spElement(a, b, null);
            }
            return (T) element;
        }
        // Empty: restore bottom = top.
        spBottom(b + 1);
        return null;
    }

    /**
     * Any thread: removes and returns the top element, or null when the deque looked empty or another thread won
     * the race for the top element (the caller may retry).
     */
    @SuppressWarnings("unchecked")
    public T steal() {
        final long t = laTop();
        VarHandle.fullFence();
        final long b = laBottom();
        if (t < b) {
            // Acquire on the ring: a grown ring is published with release after its elements were copied.
            final Object[] a = laArray();
            final Object element = lpElement(a, t);
            if (!casTop(t, t + 1)) {
                return null;
            }
            return (T) element;
        }
        return null;
    }

    /** Any thread: the number of elements, possibly stale by the time it is returned; never negative. */
    public long sizeEstimate() {
        final long b = laBottom();
        final long t = laTop();
        return Math.max(0, b - t);
    }

    /** Any thread: {@code sizeEstimate() == 0}. */
    public boolean isEmpty() {
        return sizeEstimate() == 0;
    }

    /** Current ring capacity (for tests and diagnostics). */
    public int capacity() {
        return laArray().length;
    }

    private Object[] grow(final Object[] old, final long t, final long b) {
        if (old.length >= MAX_CAPACITY) {
            throw new IllegalStateException("deque full: size=" + (b - t) + " maxCapacity=" + MAX_CAPACITY);
        }
        final Object[] grown = new Object[old.length << 1];
        for (long i = t; i < b; i++) {
            spElement(grown, i, lpElement(old, i));
        }
        // The old ring keeps its elements: a thief that loaded it before this store still reads a valid element.
        srArray(grown);
        return grown;
    }

    private static int index(final Object[] a, final long i) {
        return (int) i & (a.length - 1);
    }

    private long lpBottom() {
        return (long) BOTTOM.getOpaque(this);
    }

    private long laBottom() {
        return (long) BOTTOM.getAcquire(this);
    }

    private void spBottom(final long value) {
        BOTTOM.setOpaque(this, value);
    }

    private void srBottom(final long value) {
        BOTTOM.setRelease(this, value);
    }

    private long lpTop() {
        return (long) TOP.getOpaque(this);
    }

    private long laTop() {
        return (long) TOP.getAcquire(this);
    }

    private boolean casTop(final long expected, final long value) {
        return TOP.compareAndSet(this, expected, value);
    }

    private Object[] lpArray() {
        return (Object[]) ARRAY.getOpaque(this);
    }

    private Object[] laArray() {
        return (Object[]) ARRAY.getAcquire(this);
    }

    private void srArray(final Object[] value) {
        ARRAY.setRelease(this, value);
    }

    private static Object lpElement(final Object[] a, final long i) {
        return ELEMENT.getOpaque(a, index(a, i));
    }

    private static void spElement(final Object[] a, final long i, final Object value) {
        ELEMENT.setOpaque(a, index(a, i), value);
    }
}
