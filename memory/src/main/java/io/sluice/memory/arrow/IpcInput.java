package io.sluice.memory.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.ReadableByteChannel;

import io.sluice.memory.BufferAllocator;
import io.sluice.memory.OffHeapBuffer;

/**
 * Where the reader gets bytes: a file read at any position, or a channel read forwards. Every read names its offset
 * and fails with an {@link ArrowFormatException} when the input ends first, never a short or out-of-bounds read.
 */
abstract class IpcInput {
    final String source;

    IpcInput(final String source) {
        this.source = source;
    }

    /** Input size in bytes, or -1 for a channel of unknown length. */
    abstract long size();

    /** Fills {@code dst} with the bytes at {@code position}; throws naming the offset if the input ends first. */
    abstract void readFully(long position, ByteBuffer dst);

    /** The body of {@code length} bytes at {@code position}, to copy buffers out of; the caller closes it. */
    abstract Body body(long position, long length, BufferAllocator allocator);

    ArrowFormatException truncated(final long position, final long wanted, final long size) {
        return new ArrowFormatException(source, position, "truncated: " + wanted + " bytes wanted at offset=" + position
            + " but the input ends at " + size);
    }

    /** A record batch body: copies its byte ranges into off-heap buffers. */
    interface Body extends AutoCloseable {
        /** Copies body bytes {@code [from, from + length)} to {@code dst} at index 0. */
        void copy(long from, int length, OffHeapBuffer dst);

        @Override
        void close();
    }

    /** A file (or any seekable channel): reads at any position, bodies read straight into the destination buffers. */
    static final class FileInput extends IpcInput {
        private final SeekableByteChannel channel;
        private final long size;

        FileInput(final String source, final SeekableByteChannel channel) throws IOException {
            super(source);
            this.channel = channel;
            this.size = channel.size();
        }

        @Override
        long size() {
            return size;
        }

        @Override
        void readFully(final long position, final ByteBuffer dst) {
            if (position < 0 || position > size - dst.remaining()) {
                throw truncated(position, dst.remaining(), size);
            }
            try {
                channel.position(position);
                while (dst.hasRemaining()) {
                    if (channel.read(dst) < 0) {
                        throw truncated(channel.position(), dst.remaining(), channel.position());
                    }
                }
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot read arrow input " + source + " at offset=" + position, ex);
            }
        }

        @Override
        Body body(final long position, final long length, final BufferAllocator allocator) {
            if (position < 0 || length < 0 || position > size - length) {
                throw truncated(position, length, size);
            }
            return new Body() {
                @Override
                public void copy(final long from, final int n, final OffHeapBuffer dst) {
                    readFully(position + from, dst.byteBuffer().limit(n));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A channel read forwards: skips to each position, buffers a body whole (one off-heap copy) before splitting it. */
    static final class ChannelInput extends IpcInput {
        private static final long FIRST_BODY_CHUNK = 1 << 20;
        private final ReadableByteChannel channel;
        private final ByteBuffer skip = ByteBuffer.allocate(8192);
        private long position;

        ChannelInput(final String source, final ReadableByteChannel channel) {
            super(source);
            this.channel = channel;
        }

        @Override
        long size() {
            return -1;
        }

        @Override
        void readFully(final long at, final ByteBuffer dst) {
            seek(at);
            try {
                while (dst.hasRemaining()) {
                    final int n = channel.read(dst);
                    if (n < 0) {
                        throw truncated(position, dst.remaining(), position);
                    }
                    position += n;
                }
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot read arrow input " + source + " at offset=" + position, ex);
            }
        }

        private void seek(final long at) {
            if (at < position) {
                throw new IllegalStateException("arrow input " + source + " is read forwards: offset=" + at + " is behind " + position);
            }
            while (position < at) {
                skip.clear().limit((int) Math.min(skip.capacity(), at - position));
                readFully(position, skip);
            }
        }

        @Override
        Body body(final long at, final long length, final BufferAllocator allocator) {
            if (length > BufferAllocator.MAX_SIZE_CLASS) {
                throw new ArrowFormatException(source, at, "record batch body length=" + length + " exceeds the largest buffer "
                    + BufferAllocator.MAX_SIZE_CLASS);
            }
            // Grown as bytes arrive (doubling), so a corrupt length never allocates more than twice what the input holds.
            OffHeapBuffer filled = allocator.allocate(Math.min(length, FIRST_BODY_CHUNK));
            long read = 0;
            try {
                while (read < length) {
                    if (read == filled.capacity()) {
                        final OffHeapBuffer bigger = allocator.allocate(Math.min(length, 2L * filled.capacity()));
                        bigger.buffer().putBytes(0, filled.buffer(), 0, (int) read);
                        filled.release();
                        filled = bigger;
                    }
                    final int n = (int) Math.min(length - read, filled.capacity() - read);
                    readFully(at + read, filled.byteBuffer().limit((int) read + n).position((int) read));
                    read += n;
                }
            } catch (final RuntimeException ex) {
                filled.release();
                throw ex;
            }
            final OffHeapBuffer whole = filled;
            return new Body() {
                @Override
                public void copy(final long from, final int n, final OffHeapBuffer dst) {
                    dst.buffer().putBytes(0, whole.buffer(), (int) from, n);
                }

                @Override
                public void close() {
                    whole.release();
                }
            };
        }
    }
}
