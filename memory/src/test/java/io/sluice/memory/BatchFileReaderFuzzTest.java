package io.sluice.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for {@link BatchFileReader}: any input either reads back or gives a {@link BatchFileException}, and
 * leaves no off-heap byte outstanding; anything else (another exception, an Error, a crash) is a finding.
 *
 * <p>The default test run replays the committed inputs under
 * {@code src/test/resources/io/sluice/memory/BatchFileReaderFuzzTestInputs/<method>/} (regression mode);
 * {@code scripts/fuzz} fuzzes for a set time and any crash input it writes there becomes a regression case.
 */
class BatchFileReaderFuzzTest {
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("fuzz", ".batches");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The raw bytes as a batch file: mostly exercises the CRC checks. */
    @FuzzTest(maxDuration = "5m")
    void rawBytes(final byte[] input) throws IOException {
        read(input);
    }

    /**
     * The bytes with every CRC the layout lets us find recomputed, so mutations reach the counts, lengths, offsets
     * and text behind the checksums (how a 1.7 KB file with valid CRCs once asked for an array of 2^31 entries).
     */
    @FuzzTest(maxDuration = "5m")
    void bytesWithValidCrcs(final byte[] input) throws IOException {
        read(repairCrcs(input));
    }

    private static void read(final byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try (BufferAllocator allocator = new BufferAllocator(64L << 20, 0)) {
            try (BatchFileReader reader = BatchFileReader.open(file)) {
                final List<Batch> batches = reader.readAll(allocator);
                for (final Batch batch : batches) {
                    touch(batch);
                    batch.release();
                }
            } catch (final BatchFileException expected) {
                // Bad input, named: what the reader promises.
                assertEquals(0, allocator.bytesOutstanding(), "a rejected file leaves nothing allocated");
            } catch (final IllegalStateException limit) {
                // The 64 MiB allocator refused a large but well-formed file: fine, as long as nothing leaked.
                if (!limit.getMessage().startsWith("allocation exceeds limit")) {
                    throw limit;
                }
                assertEquals(0, allocator.bytesOutstanding(), "a refused file leaves nothing allocated");
            }
        } catch (final UncheckedIOException ex) {
            throw new AssertionError("a file on local disk should not give an I/O error", ex);
        }
    }

    /** Reads every value through the checked accessors, so a bad offset that slipped through would throw here. */
    private static void touch(final Batch batch) {
        for (int c = 0; c < batch.columnCount(); c++) {
            final ColumnVector vector = batch.vector(c);
            for (int row = 0; row < batch.rowCount(); row++) {
                if (vector.isNull(row)) {
                    continue;
                }
                switch (vector.type()) {
                    case UTF8:
                        ((Utf8Vector) vector).getString(row);
                        break;
                    case INT64:
                        ((Int64Vector) vector).get(row);
                        break;
                    default:
                        break;
                }
            }
        }
    }

    /** Recomputes the header, record, column and footer CRCs where the (possibly garbled) lengths allow. */
    static byte[] repairCrcs(final byte[] input) {
        final byte[] bytes = input.clone();
        final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int size = bytes.length;
        if (size < BatchFileDescriptor.SCHEMA_OFFSET + BatchFileDescriptor.FOOTER_LENGTH) {
            return bytes;
        }
        final int schemaLength = buf.getInt(BatchFileDescriptor.SCHEMA_LENGTH_OFFSET);
        final int footer = size - BatchFileDescriptor.FOOTER_LENGTH;
        if (schemaLength >= 0 && schemaLength <= footer - BatchFileDescriptor.SCHEMA_OFFSET) {
            final CRC32C crc = new CRC32C();
            crc.update(bytes, 0, BatchFileDescriptor.HEADER_CRC_OFFSET);
            crc.update(bytes, BatchFileDescriptor.SCHEMA_OFFSET, schemaLength);
            buf.putInt(BatchFileDescriptor.HEADER_CRC_OFFSET, (int) crc.getValue());
            repairRecords(buf, BatchFileDescriptor.SCHEMA_OFFSET + schemaLength, footer,
                Math.max(0, buf.getInt(BatchFileDescriptor.FIELD_COUNT_OFFSET)));
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, footer, BatchFileDescriptor.FOOTER_CRC_OFFSET);
        buf.putInt(footer + BatchFileDescriptor.FOOTER_CRC_OFFSET, (int) crc.getValue());
        return bytes;
    }

    private static void repairRecords(final ByteBuffer buf, final int recordsStart, final int footer, final int fields) {
        final byte[] bytes = buf.array();
        final long headerLength = BatchFileDescriptor.RECORD_COLUMNS_OFFSET + (long) fields * BatchFileDescriptor.COLUMN_ENTRY_LENGTH;
        long record = recordsStart;
        while (record + headerLength + Integer.BYTES <= footer) {
            final int at = (int) record;
            long column = at + headerLength + Integer.BYTES;
            for (int c = 0; c < fields; c++) {
                final int entry = at + BatchFileDescriptor.RECORD_COLUMNS_OFFSET + c * BatchFileDescriptor.COLUMN_ENTRY_LENGTH;
                final long length = (long) buf.getInt(entry + BatchFileDescriptor.COLUMN_VALIDITY_LENGTH_OFFSET)
                    + buf.getInt(entry + BatchFileDescriptor.COLUMN_OFFSETS_LENGTH_OFFSET)
                    + buf.getInt(entry + BatchFileDescriptor.COLUMN_DATA_LENGTH_OFFSET);
                if (length < 0 || column + length > footer) {
                    break;
                }
                final CRC32C crc = new CRC32C();
                crc.update(bytes, (int) column, (int) length);
                buf.putInt(entry + BatchFileDescriptor.COLUMN_CRC_OFFSET, (int) crc.getValue());
                column += length;
            }
            final CRC32C crc = new CRC32C();
            crc.update(bytes, at, (int) headerLength);
            buf.putInt(at + (int) headerLength, (int) crc.getValue());
            final long payloadLength = buf.getLong(at + BatchFileDescriptor.RECORD_PAYLOAD_LENGTH_OFFSET);
            if (payloadLength < 0) {
                return;
            }
            record = at + headerLength + Integer.BYTES + payloadLength;
        }
    }
}
