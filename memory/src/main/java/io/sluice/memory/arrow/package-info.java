/**
 * Arrow IPC in and out: Sluice batches written as Arrow IPC streams and files, and Arrow IPC read into Sluice batches,
 * for every Sluice column type. The framing is Sluice's own ({@link io.sluice.memory.arrow.ArrowIpcDescriptor}); only
 * the flatbuffer metadata tables come from {@code arrow-format}. Body buffers go from the off-heap vectors to the
 * channel in one gathered write, and come back from a file straight into 64-byte aligned off-heap buffers.
 */
package io.sluice.memory.arrow;
