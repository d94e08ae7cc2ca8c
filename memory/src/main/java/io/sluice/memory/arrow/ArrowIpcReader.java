package io.sluice.memory.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.BufferAllocator;
import io.sluice.memory.Schema;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;

/**
 * Reads Arrow IPC files and streams (layout in {@link ArrowIpcDescriptor}) into Sluice batches.
 *
 * <p>All or nothing: every input is checked before anything is returned (magic, footer, every message's framing and
 * metadata, every buffer's offset and length against its body, the body against the input, UTF8 offsets, null counts),
 * and any problem releases what was read and throws an {@link ArrowFormatException} naming the input and the byte
 * offset. Lengths are checked before they are used, so corrupt input never causes a read outside the input or the
 * metadata. A stream must end with the end-of-stream marker (so a truncated stream is detected). Stateless.
 */
public final class ArrowIpcReader {
    private ArrowIpcReader() {
    }

    /** Reads {@code file}, in the file format when it starts with the Arrow magic, else in the stream format. */
    public static ArrowTable read(final Path file, final BufferAllocator allocator) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, file.toString(), allocator);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read arrow file " + file, ex);
        }
    }

    /**
     * Reads {@code channel} from position 0 to its size, in the file format when it starts with the Arrow magic, else in
     * the stream format; {@code name} names it in errors. The channel stays the caller's to close.
     */
    public static ArrowTable read(final SeekableByteChannel channel, final String name, final BufferAllocator allocator) {
        try {
            final IpcInput input = new IpcInput.FileInput(name, channel);
            return isFileFormat(input) ? readFile(input, allocator) : readStream(input, allocator);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read arrow input " + name, ex);
        }
    }

    /** Reads an Arrow IPC stream from {@code channel} up to its end-of-stream marker; {@code name} names it in errors. */
    public static ArrowTable readStream(final ReadableByteChannel channel, final String name, final BufferAllocator allocator) {
        return readStream(new IpcInput.ChannelInput(name, channel), allocator);
    }

    /** The schema of {@code file} (either format), read from its first message or its footer without reading batches. */
    public static Schema readSchema(final Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final IpcInput input = new IpcInput.FileInput(file.toString(), channel);
            final long start = isFileFormat(input) ? ArrowIpcDescriptor.FILE_HEADER_LENGTH : 0;
            final MessageFrame frame = MessageFrame.read(input, start);
            if (frame == null || frame.headerType != MessageHeader.Schema) {
                throw new ArrowFormatException(input.source, start, "first message is not a schema");
            }
            return frame.schema();
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read arrow file " + file, ex);
        }
    }

    private static boolean isFileFormat(final IpcInput input) {
        if (input.size() < ArrowIpcDescriptor.FILE_MAGIC.length) {
            return false;
        }
        final byte[] magic = new byte[ArrowIpcDescriptor.FILE_MAGIC.length];
        input.readFully(0, ByteBuffer.wrap(magic));
        return Arrays.equals(magic, ArrowIpcDescriptor.FILE_MAGIC);
    }

    private static ArrowTable readStream(final IpcInput input, final BufferAllocator allocator) {
        final MessageFrame first = MessageFrame.read(input, 0);
        if (first == null || first.headerType != MessageHeader.Schema) {
            throw new ArrowFormatException(input.source, 0, "an arrow stream starts with a schema message");
        }
        final Schema schema = first.schema();
        final RecordBatchLoader loader = new RecordBatchLoader(input.source, schema, allocator);
        final List<Batch> batches = new ArrayList<>();
        try {
            long at = first.end();
            while (true) {
                final MessageFrame frame = MessageFrame.read(input, at);
                if (frame == null) {
                    at += ArrowIpcDescriptor.PREFIX_LENGTH;
                    break;
                }
                batches.add(frame.loadBatch(loader, input));
                at = frame.end();
            }
            if (input.size() >= 0 && at != input.size()) {
                throw new ArrowFormatException(input.source, at, (input.size() - at) + " bytes after the end-of-stream marker");
            }
            return new ArrowTable(schema, batches);
        } catch (final RuntimeException ex) {
            releaseAll(batches);
            throw ex;
        }
    }

    private static ArrowTable readFile(final IpcInput input, final BufferAllocator allocator) {
        final String source = input.source;
        final long size = input.size();
        final int trailer = ArrowIpcDescriptor.FILE_TRAILER_LENGTH;
        if (size < ArrowIpcDescriptor.FILE_HEADER_LENGTH + trailer) {
            throw new ArrowFormatException(source, size, "truncated: size=" + size + " is below the smallest arrow file");
        }
        final ByteBuffer tail = ByteBuffer.allocate(trailer).order(ByteOrder.LITTLE_ENDIAN);
        input.readFully(size - trailer, tail);
        final byte[] magic = Arrays.copyOfRange(tail.array(), Integer.BYTES, trailer);
        if (!Arrays.equals(magic, ArrowIpcDescriptor.FILE_MAGIC)) {
            throw new ArrowFormatException(source, size - magic.length, "no arrow magic at the end (torn or truncated file)");
        }
        final int footerLength = tail.getInt(0);
        final long footerAt = size - trailer - (long) footerLength;
        if (footerLength <= 0 || footerAt < ArrowIpcDescriptor.FILE_HEADER_LENGTH) {
            throw new ArrowFormatException(source, size - trailer, "footer length=" + footerLength + " does not fit file size=" + size);
        }
        final ByteBuffer footerBytes = ByteBuffer.allocate(footerLength).order(ByteOrder.LITTLE_ENDIAN);
        input.readFully(footerAt, footerBytes);
        footerBytes.flip();
        final Footer footer;
        final Schema schema;
        final long[] blocks;
        try {
            footer = Footer.getRootAsFooter(footerBytes);
            if (footer.schema() == null) {
                throw new ArrowFormatException(source, footerAt, "footer has no schema");
            }
            schema = ArrowSchemas.read(footer.schema(), source, footerAt);
            if (footer.dictionariesLength() != 0) {
                throw new ArrowFormatException(source, footerAt, "dictionary batches are not supported: " + footer.dictionariesLength());
            }
            blocks = blocks(footer, source, footerAt);
        } catch (final ArrowFormatException ex) {
            throw ex;
        } catch (final RuntimeException ex) {
            throw new ArrowFormatException(source, footerAt, "corrupt footer flatbuffer: " + ex, ex);
        }
        final MessageFrame first = MessageFrame.read(input, ArrowIpcDescriptor.FILE_HEADER_LENGTH);
        if (first == null || first.headerType != MessageHeader.Schema || !first.schema().equals(schema)) {
            throw new ArrowFormatException(source, ArrowIpcDescriptor.FILE_HEADER_LENGTH, "first message is not the footer's schema "
                + schema);
        }
        final RecordBatchLoader loader = new RecordBatchLoader(source, schema, allocator);
        final List<Batch> batches = new ArrayList<>(blocks.length / 3);
        try {
            for (int i = 0; i < blocks.length; i += 3) {
                final long at = blocks[i];
                if (at < first.end() || at > footerAt - blocks[i + 1] - blocks[i + 2]) {
                    throw new ArrowFormatException(source, footerAt, "block " + i / 3 + " offset=" + at + " metadata=" + blocks[i + 1]
                        + " body=" + blocks[i + 2] + " lies outside the record batches [" + first.end() + ", " + footerAt + ")");
                }
                final MessageFrame frame = MessageFrame.read(input, at);
                if (frame == null || frame.framedLength() != blocks[i + 1] || frame.bodyLength != blocks[i + 2]) {
                    throw new ArrowFormatException(source, at, "message at block " + i / 3 + " does not match the footer's metadata="
                        + blocks[i + 1] + " body=" + blocks[i + 2]);
                }
                batches.add(frame.loadBatch(loader, input));
            }
            return new ArrowTable(schema, batches);
        } catch (final RuntimeException ex) {
            releaseAll(batches);
            throw ex;
        }
    }

    private static long[] blocks(final Footer footer, final String source, final long footerAt) {
        final int count = footer.recordBatchesLength();
        if (count < 0 || count > footer.getByteBuffer().limit() / 24) {
            throw new ArrowFormatException(source, footerAt, "footer lists " + count + " record batches, more than it can hold");
        }
        final long[] blocks = new long[count * 3];
        final Block block = new Block();
        for (int i = 0; i < count; i++) {
            footer.recordBatches(block, i);
            blocks[i * 3] = block.offset();
            blocks[i * 3 + 1] = block.metaDataLength();
            blocks[i * 3 + 2] = block.bodyLength();
            if (blocks[i * 3 + 1] < ArrowIpcDescriptor.PREFIX_LENGTH || blocks[i * 3 + 2] < 0) {
                throw new ArrowFormatException(source, footerAt, "block " + i + " metadata length=" + blocks[i * 3 + 1]
                    + " body length=" + blocks[i * 3 + 2] + " is invalid");
            }
        }
        return blocks;
    }

    private static void releaseAll(final List<Batch> batches) {
        for (final Batch batch : batches) {
            batch.release();
        }
    }

    /** One encapsulated message: where it starts, its parsed metadata and where its body lies. */
    private static final class MessageFrame {
        final String source;
        final long start;
        final int metadataLength;
        final Message message;
        final byte headerType;
        final long bodyLength;

        private MessageFrame(final String source, final long start, final int metadataLength, final Message message) {
            this.source = source;
            this.start = start;
            this.metadataLength = metadataLength;
            this.message = message;
            this.headerType = message.headerType();
            this.bodyLength = message.bodyLength();
        }

        /** The message at {@code at}, or null at an end-of-stream marker. */
        static MessageFrame read(final IpcInput input, final long at) {
            final ByteBuffer prefix = ByteBuffer.allocate(ArrowIpcDescriptor.PREFIX_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            input.readFully(at, prefix);
            final int continuation = prefix.getInt(0);
            final int length = prefix.getInt(Integer.BYTES);
            if (continuation != ArrowIpcDescriptor.CONTINUATION) {
                throw new ArrowFormatException(input.source, at, "expected the continuation marker 0xFFFFFFFF, found 0x"
                    + Integer.toHexString(continuation));
            }
            if (length == 0) {
                return null;
            }
            final long metadataAt = at + ArrowIpcDescriptor.PREFIX_LENGTH;
            if (length < 0 || length > ArrowIpcDescriptor.MAX_METADATA_LENGTH
                || input.size() >= 0 && length > input.size() - metadataAt) {
                throw new ArrowFormatException(input.source, at + Integer.BYTES, "metadata length=" + length
                    + " is negative, too large or past the end of the input (size=" + input.size() + ")");
            }
            final ByteBuffer metadata = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            input.readFully(metadataAt, metadata);
            metadata.flip();
            try {
                final Message message = Message.getRootAsMessage(metadata);
                final short version = message.version();
                if (version != MetadataVersion.V4 && version != MetadataVersion.V5) {
                    throw new ArrowFormatException(input.source, metadataAt, "unsupported metadata version=" + version
                        + " (supported: V4, V5)");
                }
                final long body = message.bodyLength();
                if (body < 0 || input.size() >= 0 && body > input.size() - metadataAt - length) {
                    throw new ArrowFormatException(input.source, metadataAt, "body length=" + body
                        + " is negative or past the end of the input (size=" + input.size() + ")");
                }
                return new MessageFrame(input.source, at, length, message);
            } catch (final ArrowFormatException ex) {
                throw ex;
            } catch (final RuntimeException ex) {
                // Flatbuffer accessors follow offsets lazily: a corrupt one fails with a bounds or decoding exception.
                throw new ArrowFormatException(input.source, metadataAt, "corrupt message flatbuffer: " + ex, ex);
            }
        }

        long metadataAt() {
            return start + ArrowIpcDescriptor.PREFIX_LENGTH;
        }

        long framedLength() {
            return ArrowIpcDescriptor.PREFIX_LENGTH + metadataLength;
        }

        long end() {
            return metadataAt() + metadataLength + bodyLength;
        }

        Schema schema() {
            try {
                final org.apache.arrow.flatbuf.Schema schema =
                    (org.apache.arrow.flatbuf.Schema) message.header(new org.apache.arrow.flatbuf.Schema());
                if (schema == null) {
                    throw new ArrowFormatException(source, metadataAt(), "schema message without a schema");
                }
                return ArrowSchemas.read(schema, source, metadataAt());
            } catch (final ArrowFormatException ex) {
                throw ex;
            } catch (final RuntimeException ex) {
                throw new ArrowFormatException(source, metadataAt(), "corrupt schema flatbuffer: " + ex, ex);
            }
        }

        Batch loadBatch(final RecordBatchLoader loader, final IpcInput input) {
            final byte type = headerType;
            if (type != MessageHeader.RecordBatch) {
                final String name = type >= 0 && type < MessageHeader.names.length ? MessageHeader.names[type] : "code " + type;
                throw new ArrowFormatException(source, metadataAt(), "expected a record batch message, found " + name
                    + (type == MessageHeader.DictionaryBatch ? " (dictionaries are not supported)" : ""));
            }
            return loader.load(message, metadataAt(), input, metadataAt() + metadataLength, bodyLength);
        }
    }
}
