package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferAllocatorTest {
    private final BufferAllocator allocator = new BufferAllocator(1 << 20);

    @AfterEach
    void closeAllocatorWithNothingOutstanding() {
        assertEquals(0, allocator.bytesOutstanding(), "bytes outstanding");
        allocator.close();
    }

    @Test
    void buffersAreAlignedAndSizedByPowerOfTwoClass() {
        final OffHeapBuffer small = allocator.allocate(1);
        final OffHeapBuffer odd = allocator.allocate(1000);
        assertEquals(64, small.capacity());
        assertEquals(1024, odd.capacity());
        assertEquals(0, small.address() % BufferAllocator.ALIGNMENT);
        assertEquals(0, odd.address() % BufferAllocator.ALIGNMENT);
        assertEquals(64 + 1024, allocator.bytesOutstanding());
        assertEquals(2, allocator.buffersOutstanding());
        small.release();
        odd.release();
    }

    @Test
    void pooledBufferIsReusedAndZeroed() {
        final OffHeapBuffer first = allocator.allocate(256);
        final long address = first.address();
        first.putLong(0, -1L);
        first.release();
        assertEquals(256, allocator.bytesPooled());
        final OffHeapBuffer second = allocator.allocate(200);
        assertEquals(address, second.address(), "same slab reused");
        assertEquals(0L, second.getLong(0));
        assertEquals(0, allocator.bytesPooled());
        second.release();
    }

    @Test
    void exceedingTheLimitNamesRequestAndLimit() {
        final OffHeapBuffer big = allocator.allocate(1 << 19);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> allocator.allocate((1 << 19) + 1));
        assertTrue(ex.getMessage().contains("requested size=524289"), ex.getMessage());
        assertTrue(ex.getMessage().contains("limit=1048576"), ex.getMessage());
        assertEquals(1 << 19, allocator.bytesOutstanding());
        big.release();
    }

    @Test
    void closeWithLeakNamesOutstandingBytes() {
        final BufferAllocator leaky = new BufferAllocator();
        final OffHeapBuffer leaked = leaky.allocate(100);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, leaky::close);
        assertTrue(ex.getMessage().contains("outstanding bytes=128"), ex.getMessage());
        leaked.release();
        assertEquals(0, leaky.bytesOutstanding());
        assertThrows(IllegalStateException.class, () -> leaky.allocate(1));
    }

    @Test
    void useAfterReleaseAndDoubleReleaseThrow() {
        final OffHeapBuffer buffer = allocator.allocate(64);
        buffer.retain();
        buffer.release();
        buffer.putInt(0, 7);
        buffer.release();
        assertTrue(buffer.isReleased());
        assertThrows(IllegalStateException.class, () -> buffer.getInt(0));
        assertThrows(IllegalStateException.class, () -> buffer.putLong(0, 1L));
        assertThrows(IllegalStateException.class, buffer::buffer);
        assertThrows(IllegalStateException.class, buffer::release);
        assertThrows(IllegalStateException.class, buffer::retain);
    }

    @Test
    void outOfBoundsAccessThrows() {
        final OffHeapBuffer buffer = allocator.allocate(64);
        final IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(60));
        assertTrue(ex.getMessage().contains("index=60 length=8 capacity=64"), ex.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putByte(-1, (byte) 0));
        buffer.release();
    }

    @Test
    void rejectsSizesOutsideTheClasses() {
        assertThrows(IllegalArgumentException.class, () -> allocator.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> allocator.allocate((1L << 30) + 1));
    }

    @Test
    void concurrentAllocateAndReleaseKeepExactCounts() throws InterruptedException {
        final int threads = 4;
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        final OffHeapBuffer buffer = allocator.allocate(64L << (i % 6));
                        buffer.putLong(0, i);
                        buffer.release();
                    }
                } catch (final Throwable ex) {
                    failure.compareAndSet(null, ex);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (final Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, allocator.buffersOutstanding());
    }
}
