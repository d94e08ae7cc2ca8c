package io.sluice.engine.stream.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The size and CRC32C of a whole file, as a checkpoint manifest records it: what binds a file's contents to the entry
 * that names it, so a file copied from another folder, an older copy or two swapped files are noticed on restart.
 */
record FileDigest(long size, long crc) {
    private static final int CHUNK = 16 * 1024;

    /** Reads {@code file} once (read, not mapped: a file truncated meanwhile gives a short count, never a fault). */
    static FileDigest of(final Path file) {
        final CRC32C crc = new CRC32C();
        final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long size = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n = channel.read(chunk); n >= 0; n = channel.read(chunk)) {
                chunk.flip();
                crc.update(chunk);
                chunk.clear();
                size += n;
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read " + file + " for its checksum: " + ex, ex);
        }
        return new FileDigest(size, crc.getValue());
    }

    /** Null if {@code file} has this digest, else what differs ({@code size=.. crc=..}, expected and found). */
    String mismatch(final Path file) {
        final FileDigest found = of(file);
        if (found.equals(this)) {
            return null;
        }
        return "has size=" + found.size + " crc32c=" + Long.toHexString(found.crc) + " but its manifest lists size=" + size
            + " crc32c=" + Long.toHexString(crc);
    }
}
