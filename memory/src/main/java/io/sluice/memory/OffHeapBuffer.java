package io.sluice.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A 64-byte aligned block of direct memory handed out by a {@link BufferAllocator}, reference counted.
 *
 * <p>Starts with one reference; {@link #release()} of the last reference returns the memory to the allocator.
 * Checked accessors throw {@link IllegalStateException} after release (when {@link BoundsChecks#ENABLED}); the raw
 * {@link #buffer()} view is checked only when it is obtained, so holders must not keep it past release.
 * Thread-safe for retain/release; the contents are not synchronised.
 */
public final class OffHeapBuffer {
    private final BufferAllocator allocator;
    private final ByteBuffer slab;
    private final ByteBuffer aligned;
    private final int sizeClass;
    private final UnsafeBuffer view;
    private final RefCount refs;

    OffHeapBuffer(final BufferAllocator allocator, final ByteBuffer slab, final ByteBuffer aligned, final int sizeClass) {
        this.allocator = allocator;
        this.slab = slab;
        this.aligned = aligned;
        this.sizeClass = sizeClass;
        this.view = new UnsafeBuffer(aligned, 0, sizeClass);
        this.refs = new RefCount(this);
    }

    /** Usable bytes: the allocator's size class, at least the requested size. */
    public int capacity() {
        return sizeClass;
    }

    /** The start address of the memory; a multiple of {@link BufferAllocator#ALIGNMENT}. */
    public long address() {
        return view.addressOffset();
    }

    /** The memory as an Agrona buffer. Checked now; the view must not be used after this buffer's release. */
    public MutableDirectBuffer buffer() {
        refs.checkLive();
        return view;
    }

    /**
     * The memory as a little-endian {@link ByteBuffer} of {@link #capacity()} bytes, for channel I/O (a direct buffer,
     * so channels read and write it without a copy). Checked now; the view must not be used after this buffer's release.
     */
    public ByteBuffer byteBuffer() {
        refs.checkLive();
        return aligned.duplicate().clear().limit(sizeClass).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The unchecked view, for this package's vectors which check liveness through their batch. */
    UnsafeBuffer unsafeView() {
        return view;
    }

    ByteBuffer slab() {
        return slab;
    }

    ByteBuffer alignedSlab() {
        return aligned;
    }

    int sizeClass() {
        return sizeClass;
    }

    public long getLong(final int index) {
        check(index, Long.BYTES);
        return view.getLong(index);
    }

    public void putLong(final int index, final long value) {
        check(index, Long.BYTES);
        view.putLong(index, value);
    }

    public int getInt(final int index) {
        check(index, Integer.BYTES);
        return view.getInt(index);
    }

    public void putInt(final int index, final int value) {
        check(index, Integer.BYTES);
        view.putInt(index, value);
    }

    public byte getByte(final int index) {
        check(index, 1);
        return view.getByte(index);
    }

    public void putByte(final int index, final byte value) {
        check(index, 1);
        view.putByte(index, value);
    }

    /** Adds a reference. */
    public OffHeapBuffer retain() {
        refs.retain();
        return this;
    }

    /** Drops a reference; the last one returns the memory. Throws {@link IllegalStateException} on double release. */
    public void release() {
        if (refs.release()) {
            allocator.free(this);
        }
    }

    public int refCount() {
        return refs.get();
    }

    public boolean isReleased() {
        return refs.isReleased();
    }

    private void check(final int index, final int length) {
        if (BoundsChecks.ENABLED) {
            refs.checkLive();
            if (index < 0 || index > sizeClass - length) {
                throw new IndexOutOfBoundsException("index=" + index + " length=" + length + " capacity=" + sizeClass);
            }
        }
    }

    /** Also how the reference count's errors name this buffer. */
    @Override
    public String toString() {
        return "buffer[capacity=" + sizeClass + " refCount=" + refs.get() + "]";
    }
}
