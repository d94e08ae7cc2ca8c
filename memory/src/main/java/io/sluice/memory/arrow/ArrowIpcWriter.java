package io.sluice.memory.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import com.google.flatbuffers.FlatBufferBuilder;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;

/**
 * Writes batches of one schema as Arrow IPC (layout in {@link ArrowIpcDescriptor}), either as a file
 * ({@link #file(Path, Schema)}: written under {@code <name>.tmp}, footer added and renamed atomically over the name by
 * {@link #close()}; after a failed write, close() deletes the temporary file instead) or as a stream onto a channel
 * the caller owns ({@link #stream}: close() writes the end-of-stream marker and leaves the channel open). Each batch's
 * body goes out in one gathering write of views of its off-heap buffers. Single-threaded.
 */
public final class ArrowIpcWriter implements AutoCloseable {
    private static final int FILE_HEADER_PAD = ArrowIpcDescriptor.FILE_HEADER_LENGTH - ArrowIpcDescriptor.FILE_MAGIC.length;

    private final Schema schema;
    private final WritableByteChannel channel;
    private final Path file;
    private final Path temp;
    private final FlatBufferBuilder builder = new FlatBufferBuilder(1024);
    private final RecordBatchEncoder encoder = new RecordBatchEncoder();
    private long[] blocks = new long[24];
    private long position;
    private int batchCount;
    private boolean failed;
    private boolean closed;

    private ArrowIpcWriter(final Schema schema, final WritableByteChannel channel, final Path file, final Path temp) {
        this.schema = schema;
        this.channel = channel;
        this.file = file;
        this.temp = temp;
    }

    /** Starts an Arrow IPC file for {@code schema} at {@code file} (replacing it on close). */
    public static ArrowIpcWriter file(final Path file, final Schema schema) {
        checkPlatform();
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        final FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot create arrow file " + temp, ex);
        }
        final ArrowIpcWriter writer = new ArrowIpcWriter(schema, channel, file, temp);
        writer.start(ByteBuffer.allocate(ArrowIpcDescriptor.FILE_HEADER_LENGTH).put(ArrowIpcDescriptor.FILE_MAGIC)
            .put(new byte[FILE_HEADER_PAD]).flip());
        return writer;
    }

    /** Starts an Arrow IPC stream for {@code schema} on {@code channel}, which stays the caller's to close. */
    public static ArrowIpcWriter stream(final WritableByteChannel channel, final Schema schema) {
        checkPlatform();
        final ArrowIpcWriter writer = new ArrowIpcWriter(schema, channel, null, null);
        writer.start(ByteBuffer.allocate(0));
        return writer;
    }

    private static void checkPlatform() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("arrow IPC is written little-endian; native order is " + ByteOrder.nativeOrder());
        }
    }

    private void start(final ByteBuffer header) {
        try {
            builder.clear();
            final int schemaOffset = ArrowSchemas.write(builder, schema);
            writeMessage(header, MessageHeader.Schema, schemaOffset, 0, List.of());
        } catch (final RuntimeException ex) {
            failed = true;
            close();
            throw ex;
        }
    }

    public Schema schema() {
        return schema;
    }

    public int batchCount() {
        return batchCount;
    }

    /** Appends {@code batch} (of this writer's schema; slices and empty batches are fine) as one record batch. */
    public void write(final Batch batch) {
        if (closed || failed) {
            throw new IllegalStateException("arrow writer for " + target() + " is " + (closed ? "closed" : "failed"));
        }
        if (!batch.schema().equals(schema)) {
            throw new IllegalArgumentException("batch schema " + batch.schema() + " differs from the arrow writer's schema " + schema);
        }
        try {
            encoder.encode(batch);
            builder.clear();
            final int recordBatch = encoder.writeMetadata(builder, batch.rowCount());
            final long start = position;
            final int metadataLength = writeMessage(ByteBuffer.allocate(0), MessageHeader.RecordBatch, recordBatch,
                encoder.bodyLength(), encoder.pieces());
            addBlock(start, metadataLength, encoder.bodyLength());
            batchCount++;
        } catch (final RuntimeException ex) {
            failed = true;
            throw ex;
        }
    }

    private void addBlock(final long offset, final int metadataLength, final long bodyLength) {
        if (batchCount * 3 == blocks.length) {
            blocks = Arrays.copyOf(blocks, blocks.length * 2);
        }
        blocks[batchCount * 3] = offset;
        blocks[batchCount * 3 + 1] = metadataLength;
        blocks[batchCount * 3 + 2] = bodyLength;
    }

    /**
     * Finishes a Message around {@code header} and writes {@code before}, the framed message and the body pieces in
     * one gathering write. Returns the framed metadata length (prefix and padding included).
     */
    private int writeMessage(final ByteBuffer before, final byte headerType, final int header, final long bodyLength,
                             final List<ByteBuffer> body) {
        Message.startMessage(builder);
        Message.addVersion(builder, MetadataVersion.V5);
        Message.addHeaderType(builder, headerType);
        Message.addHeader(builder, header);
        Message.addBodyLength(builder, bodyLength);
        builder.finish(Message.endMessage(builder));
        final ByteBuffer metadata = builder.dataBuffer();
        final int framed = (int) ArrowIpcDescriptor.padded(ArrowIpcDescriptor.PREFIX_LENGTH + metadata.remaining());
        final ByteBuffer frame = ByteBuffer.allocate(before.remaining() + framed).order(ByteOrder.LITTLE_ENDIAN);
        frame.put(before);
        frame.putInt(ArrowIpcDescriptor.CONTINUATION).putInt(framed - ArrowIpcDescriptor.PREFIX_LENGTH).put(metadata);
        frame.clear();
        final ByteBuffer[] all = new ByteBuffer[1 + body.size()];
        all[0] = frame;
        for (int i = 0; i < body.size(); i++) {
            all[i + 1] = body.get(i);
        }
        position += before.capacity();
        writeFully(all);
        position += framed + bodyLength;
        return framed;
    }

    private void writeFully(final ByteBuffer[] buffers) {
        try {
            if (channel instanceof GatheringByteChannel) {
                final GatheringByteChannel gathering = (GatheringByteChannel) channel;
                int first = 0;
                while (first < buffers.length) {
                    gathering.write(buffers, first, buffers.length - first);
                    while (first < buffers.length && !buffers[first].hasRemaining()) {
                        first++;
                    }
                }
            } else {
                for (final ByteBuffer buffer : buffers) {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot write arrow " + target() + " at offset=" + position, ex);
        }
    }

    private String target() {
        return file != null ? file.toString() : "stream";
    }

    private void writeEnd() {
        final ByteBuffer end = ByteBuffer.allocate(ArrowIpcDescriptor.PREFIX_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(ArrowIpcDescriptor.CONTINUATION).putInt(0).flip();
        writeFully(new ByteBuffer[] {end});
        position += ArrowIpcDescriptor.PREFIX_LENGTH;
        if (file == null) {
            return;
        }
        builder.clear();
        final int schemaOffset = ArrowSchemas.write(builder, schema);
        Footer.startDictionariesVector(builder, 0);
        final int dictionaries = builder.endVector();
        Footer.startRecordBatchesVector(builder, batchCount);
        for (int i = batchCount - 1; i >= 0; i--) {
            Block.createBlock(builder, blocks[i * 3], (int) blocks[i * 3 + 1], blocks[i * 3 + 2]);
        }
        final int recordBatches = builder.endVector();
        Footer.startFooter(builder);
        Footer.addVersion(builder, MetadataVersion.V5);
        Footer.addSchema(builder, schemaOffset);
        Footer.addDictionaries(builder, dictionaries);
        Footer.addRecordBatches(builder, recordBatches);
        builder.finish(Footer.endFooter(builder));
        final ByteBuffer footer = builder.dataBuffer();
        final ByteBuffer trailer = ByteBuffer.allocate(footer.remaining() + ArrowIpcDescriptor.FILE_TRAILER_LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt(footer.remaining(), footer.remaining());
        trailer.put(footer).position(trailer.position() + Integer.BYTES).put(ArrowIpcDescriptor.FILE_MAGIC).flip();
        writeFully(new ByteBuffer[] {trailer});
        position += trailer.capacity();
    }

    /**
     * Writes the end-of-stream marker (and, for a file, the footer), then for a file forces it to disk and renames it
     * to its name. After a failed write a file is deleted instead. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                writeEnd();
            }
        } catch (final RuntimeException ex) {
            failed = true;
            throw ex;
        } finally {
            if (file != null) {
                finishFile();
            }
        }
    }

    private void finishFile() {
        try {
            final FileChannel fileChannel = (FileChannel) channel;
            try (fileChannel) {
                if (!failed) {
                    fileChannel.force(true);
                }
            }
            if (failed) {
                Files.deleteIfExists(temp);
            } else {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot finish arrow file " + file, ex);
        }
    }
}
