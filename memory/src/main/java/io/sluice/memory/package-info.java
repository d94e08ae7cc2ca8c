/**
 * Bytes and columns off the Java heap: the allocator, column vectors, batches, hash partitioning and batch files.
 *
 * <h2>Ownership and reference counting</h2>
 * A {@link io.sluice.memory.BufferAllocator} owns every byte it hands out: it counts the bytes outstanding, enforces
 * its limit, and {@link io.sluice.memory.BufferAllocator#close()} throws, naming the bytes, if anything is still
 * outstanding, so every test that closes its allocator is also a leak test. A {@link io.sluice.memory.Batch} (schema,
 * one vector per field, a row count; immutable once built) is reference counted from one: whoever holds a reference
 * releases it exactly once ({@code release()} or try-with-resources); {@code retain()} adds a holder; the last
 * release returns the buffers to the allocator. A method that takes a batch says whether it takes over the
 * caller's reference or only reads it. {@link io.sluice.memory.Batch#slice(int, int)} is zero-copy and keeps its
 * parent retained until the slice is released. Builders ({@link io.sluice.memory.BatchBuilder}) are the only
 * writers; readers see read-only vector views.
 *
 * <h2>Bounds checks</h2>
 * On by default: row ranges, buffer bounds, use after release and double release throw an exception naming the
 * value and the limit, never crash the JVM. {@code -Dsluice.memory.boundsChecks=false} turns them off for
 * benchmarks; the property is read once into {@link io.sluice.memory.BoundsChecks#ENABLED}, a {@code static final}
 * the JIT folds away. Tests pin it on.
 *
 * <h2>Formats</h2>
 * Batch files (checkpoints, spill) are laid out as {@link io.sluice.memory.BatchFileDescriptor} describes; a torn or
 * corrupt file gives a {@link io.sluice.memory.BatchFileException} naming the file and the offset.
 * {@link io.sluice.memory.HashPartitioner} splits a batch by key columns into one batch per partition.
 * This package knows nothing of scheduling or streams.
 */
package io.sluice.memory;
