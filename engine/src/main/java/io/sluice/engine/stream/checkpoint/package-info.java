/**
 * Recovery state of a stream: the write-ahead log of received micro-batches
 * ({@link io.sluice.engine.stream.checkpoint.WriteAheadLog}), the snapshots of stateful operators
 * ({@link io.sluice.engine.stream.checkpoint.SnapshotStore}, {@link io.sluice.engine.stream.checkpoint.Checkpointed}),
 * the identity that refuses a foreign folder ({@link io.sluice.engine.stream.checkpoint.StreamIdentity}), and the
 * folder layout in one place ({@link io.sluice.engine.stream.checkpoint.WalDescriptor}). Every file is a batch file
 * (Chronicle mapped, CRC-checked); every file that becomes visible is first written under a temporary name and then
 * renamed. A corrupt, foreign or mismatched folder gives a
 * {@link io.sluice.engine.stream.checkpoint.CheckpointException} naming the file. The context drives these classes
 * (internal API); an operator with state implements {@code Checkpointed}.
 */
package io.sluice.engine.stream.checkpoint;
