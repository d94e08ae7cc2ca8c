package io.sluice.engine.stream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.stream.checkpoint.CheckpointException;
import io.sluice.engine.stream.checkpoint.Checkpointed;
import io.sluice.engine.stream.checkpoint.WriteAheadLog;
import io.sluice.engine.stream.source.ReplayableSource;
import io.sluice.memory.Batch;
import io.sluice.memory.BatchBuilder;
import io.sluice.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link StreamingContext#start()} does with an existing checkpoint folder before any thread starts: restore the
 * operators from the newest snapshot, seek the replayable sources past the newest logged offset, and read the batches
 * to replay. A failure is a {@link CheckpointException} naming the folder, and leaves no batch held.
 */
final class Restart {
    private static final Logger LOG = LoggerFactory.getLogger(Restart.class);

    private Restart() {
    }

    /**
     * What start() runs with: the opened log (null without a checkpoint folder), the batches to replay, and the first new
     * batch time.
     */
    record Opened(WriteAheadLog wal, List<MicroBatch> replay, long firstBatchTime) {
        /** No checkpoint folder: nothing to replay, new batches from {@code nextBoundary}. */
        static Opened fresh(final long nextBoundary) {
            return new Opened(null, List.of(), nextBoundary);
        }
    }

    /**
     * Opens the checkpoint folder, restores the operators, seeks the sources and reads the batches to replay. New batch
     * times start at {@code nextBoundary} or one interval after the newest logged batch time, whichever is later.
     */
    static Opened open(final Path folder, final long intervalMillis, final List<StreamInput> frozen, final BufferAllocator allocator,
                       final List<Checkpointed> checkpointed, final long rememberMillis, final long nextBoundary) {
        final WriteAheadLog wal = WriteAheadLog.open(folder, intervalMillis, frozen, allocator,
            checkpointed.stream().map(Checkpointed::checkpointName).toList(), rememberMillis);
        restore(wal, checkpointed, folder);
        seek(wal, frozen, folder);
        final List<MicroBatch> replay = readReplay(wal, frozen);
        long lastLogged = Math.max(wal.lastCompleted(), wal.snapshotTime());
        if (!replay.isEmpty()) {
            lastLogged = Math.max(lastLogged, replay.get(replay.size() - 1).batchTimeMillis());
        }
        final long first = lastLogged == Long.MIN_VALUE ? nextBoundary : Math.max(nextBoundary, lastLogged + intervalMillis);
        return new Opened(wal, replay, first);
    }

    /** Restores every operator from the newest complete snapshot, if there is one. */
    static void restore(final WriteAheadLog wal, final List<Checkpointed> checkpointed, final Path checkpointFolder) {
        final long snapshotTime = wal.snapshotTime();
        if (snapshotTime == Long.MIN_VALUE) {
            return;
        }
        for (final Checkpointed operator : checkpointed) {
            final Path dir = wal.snapshotFolder(operator.checkpointName());
            try {
                operator.restore(snapshotTime, dir);
            } catch (final IOException | RuntimeException ex) {
                throw new CheckpointException(checkpointFolder, "operator '" + operator.checkpointName() + "' cannot restore snapshot "
                    + dir + " of batch time=" + snapshotTime + ": " + ex, ex);
            }
        }
    }

    /** Positions every replayable source after the newest logged offset. */
    static void seek(final WriteAheadLog wal, final List<StreamInput> frozen, final Path checkpointFolder) {
        final String[] offsets = wal.newestOffsets();
        if (offsets == null) {
            return;
        }
        for (final StreamInput input : frozen) {
            final String offset = offsets[input.index()];
            if (offset.isEmpty()) {
                continue;
            }
            if (input.source() instanceof ReplayableSource replayable) {
                try {
                    replayable.seek(offset);
                } catch (final IllegalArgumentException ex) {
                    throw new CheckpointException(checkpointFolder, "input '" + input.name() + "' rejects logged offset='" + offset
                        + "': " + ex.getMessage(), ex);
                }
            } else {
                LOG.warn("input '{}' was logged with offset='{}' but its source is not replayable now: it cannot seek", input.name(),
                    offset);
            }
        }
    }

    /** Reads the batches to replay (logged data, or empty); on failure releases what it read and rethrows. */
    static List<MicroBatch> readReplay(final WriteAheadLog wal, final List<StreamInput> frozen) {
        final List<MicroBatch> replay = new ArrayList<>();
        final long completed = Math.max(wal.lastCompleted(), wal.snapshotTime());
        try {
            for (final long time : wal.replayTimes()) {
                final Batch[] batches;
                if (wal.hasData(time)) {
                    batches = wal.read(time, frozen.get(0).allocator());
                } else {
                    batches = new Batch[frozen.size()];
                    for (final StreamInput input : frozen) {
                        batches[input.index()] = BatchBuilder.empty(input.allocator(), input.schema());
                    }
                }
                final long[] bytes = new long[batches.length];
                for (final StreamInput input : frozen) {
                    bytes[input.index()] = batches[input.index()].allocatedBytes();
                    input.holdReplayed(bytes[input.index()], batches[input.index()].rowCount());
                }
                replay.add(new MicroBatch(time, frozen, batches, bytes, true, time <= completed));
            }
            return replay;
        } catch (final RuntimeException ex) {
            replay.forEach(MicroBatch::release);
            throw ex;
        }
    }
}
