package io.sluice.memory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.agrona.BufferUtil;

/**
 * Hands out 64-byte aligned {@link OffHeapBuffer}s from direct-memory slabs, pooled by power-of-two size class.
 *
 * <p>Counts the bytes outstanding (by size class) and refuses an allocation that would exceed its limit. Released
 * buffers go back to a per-class pool (up to {@code maxPooledBytes}, the rest is freed at once); pooled memory is
 * zeroed before reuse, so a new buffer always reads as zeros. {@link #close()} frees the pool and throws if any
 * buffer is still outstanding, naming the bytes: every owner of an allocator thereby proves it leaked nothing.
 * Thread-safe.
 */
public final class BufferAllocator implements AutoCloseable {
    /** Alignment of every buffer's start address, one cache line. */
    public static final int ALIGNMENT = 64;
    /** Smallest size class. */
    public static final int MIN_SIZE_CLASS = 64;
    /** Largest size class (and so the largest single buffer), 1 GiB. */
    public static final int MAX_SIZE_CLASS = 1 << 30;
    /** Default cap on bytes kept in the pool for reuse. */
    public static final long DEFAULT_MAX_POOLED_BYTES = 64L << 20;

    private static final int CLASS_COUNT = Integer.numberOfTrailingZeros(MAX_SIZE_CLASS) + 1;

    private final long limit;
    private final long maxPooledBytes;
    private final List<ArrayDeque<OffHeapBuffer>> pool = new ArrayList<>(CLASS_COUNT);
    private long outstandingBytes;
    private long outstandingBuffers;
    private long pooledBytes;
    private boolean closed;

    /** An allocator with no limit but {@link Long#MAX_VALUE}. */
    public BufferAllocator() {
        this(Long.MAX_VALUE);
    }

    /** An allocator refusing to have more than {@code limit} bytes outstanding. */
    public BufferAllocator(final long limit) {
        this(limit, DEFAULT_MAX_POOLED_BYTES);
    }

    /**
     * An allocator with a limit and a cap on the bytes its pool keeps. Throws {@link IllegalStateException} naming
     * them if this JVM lacks flags Sluice needs ({@link JvmFlags#check()}).
     */
    public BufferAllocator(final long limit, final long maxPooledBytes) {
        JvmFlags.check();
        if (limit <= 0 || maxPooledBytes < 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be > 0 and maxPooledBytes=" + maxPooledBytes + " >= 0");
        }
        this.limit = limit;
        this.maxPooledBytes = maxPooledBytes;
        for (int i = 0; i < CLASS_COUNT; i++) {
            pool.add(new ArrayDeque<>());
        }
    }

    /** The size class serving a request: the next power of two, at least {@link #MIN_SIZE_CLASS}. */
    public static int sizeClassFor(final long size) {
        if (size < 0 || size > MAX_SIZE_CLASS) {
            throw new IllegalArgumentException("requested size=" + size + " out of range [0, " + MAX_SIZE_CLASS + "]");
        }
        if (size <= MIN_SIZE_CLASS) {
            return MIN_SIZE_CLASS;
        }
        return 1 << (64 - Long.numberOfLeadingZeros(size - 1));
    }

    /**
     * A zeroed buffer of at least {@code size} bytes (capacity is the size class). Throws
     * {@link IllegalStateException} if the allocation would exceed the limit, naming both.
     */
    public OffHeapBuffer allocate(final long size) {
        return allocate(size, true);
    }

    /**
     * As {@link #allocate(long)}, but a buffer reused from the pool keeps its old bytes: for a caller that writes
     * every byte it will expose ({@link ColumnBuilder#appendUnwritten}), so that memory written anyway is not zeroed
     * first.
     */
    OffHeapBuffer allocateUnzeroed(final long size) {
        return allocate(size, false);
    }

    private OffHeapBuffer allocate(final long size, final boolean zeroed) {
        final int sizeClass = sizeClassFor(size);
        final int classIndex = Integer.numberOfTrailingZeros(sizeClass);
        OffHeapBuffer reused = null;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("allocator is closed: requested size=" + size);
            }
            if (outstandingBytes + sizeClass > limit) {
                throw new IllegalStateException("allocation exceeds limit: requested size=" + size + " (size class="
                    + sizeClass + ") outstanding=" + outstandingBytes + " limit=" + limit);
            }
            outstandingBytes += sizeClass;
            outstandingBuffers++;
            final OffHeapBuffer pooled = pool.get(classIndex).pollFirst();
            if (pooled != null) {
                pooledBytes -= sizeClass;
                reused = new OffHeapBuffer(this, pooled.slab(), pooled.alignedSlab(), sizeClass);
            }
        }
        if (reused != null) {
            if (zeroed) {
                reused.unsafeView().setMemory(0, sizeClass, (byte) 0);
            }
            return reused;
        }
        try {
            final ByteBuffer slab = ByteBuffer.allocateDirect(sizeClass + ALIGNMENT - 1);
            final ByteBuffer aligned = slab.alignedSlice(ALIGNMENT);
            return new OffHeapBuffer(this, slab, aligned, sizeClass);
        } catch (final OutOfMemoryError ex) {
            synchronized (this) {
                outstandingBytes -= sizeClass;
                outstandingBuffers--;
            }
            throw ex;
        }
    }

    /** Called by the last release of a buffer. */
    void free(final OffHeapBuffer buffer) {
        final int sizeClass = buffer.sizeClass();
        boolean freeNow = true;
        synchronized (this) {
            outstandingBytes -= sizeClass;
            outstandingBuffers--;
            if (!closed && pooledBytes + sizeClass <= maxPooledBytes) {
                pool.get(Integer.numberOfTrailingZeros(sizeClass)).addLast(buffer);
                pooledBytes += sizeClass;
                freeNow = false;
            }
        }
        if (freeNow) {
            BufferUtil.free(buffer.slab());
        }
    }

    /** Bytes (by size class) in buffers handed out and not yet released. */
    public synchronized long bytesOutstanding() {
        return outstandingBytes;
    }

    /** Buffers handed out and not yet released. */
    public synchronized long buffersOutstanding() {
        return outstandingBuffers;
    }

    /** Bytes kept in the pool for reuse. */
    public synchronized long bytesPooled() {
        return pooledBytes;
    }

    public long limit() {
        return limit;
    }

    /**
     * Frees the pool and closes this allocator. Throws {@link IllegalStateException} naming the outstanding bytes
     * if any buffer was not released (those buffers stay valid and are freed when released later).
     */
    @Override
    public void close() {
        final long leakedBytes;
        final long leakedBuffers;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (final ArrayDeque<OffHeapBuffer> queue : pool) {
                for (OffHeapBuffer buffer = queue.pollFirst(); buffer != null; buffer = queue.pollFirst()) {
                    BufferUtil.free(buffer.slab());
                }
            }
            pooledBytes = 0;
            leakedBytes = outstandingBytes;
            leakedBuffers = outstandingBuffers;
        }
        if (leakedBytes != 0) {
            throw new IllegalStateException("allocator closed with outstanding bytes=" + leakedBytes + " in buffers="
                + leakedBuffers + " (leak: some buffer or batch was not released)");
        }
    }

    @Override
    public synchronized String toString() {
        return "BufferAllocator[outstanding=" + outstandingBytes + " pooled=" + pooledBytes + " limit=" + limit + "]";
    }
}
