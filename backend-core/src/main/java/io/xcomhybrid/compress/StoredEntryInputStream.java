package io.xcomhybrid.compress;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * The data of a STORED zip member whose sizes and CRC follow it in a data descriptor, read from the member's local
 * file header on, with bounded memory. The data ends at the first descriptor signature {@code PK\7\b} whose CRC-32
 * and sizes (32-bit, or 64-bit as Zip64 writes them) equal those of the bytes before it, so signature bytes inside
 * the data do not end it early. Descriptors without a signature (allowed by the ZIP specification, but written
 * neither by Python nor by Java) are not recognised and end in an error.
 */
final class StoredEntryInputStream
        extends InputStream
{
    static final int LOCAL_FILE_HEADER_LENGTH = 30;

    private static final int DATA_DESCRIPTOR = 0x08074b50;
    private static final int DESCRIPTOR_LENGTH = 16;
    private static final int ZIP64_DESCRIPTOR_LENGTH = 24;

    private final InputStream in;
    private final byte[] buffer = new byte[StreamingCompression.BUFFER_SIZE];
    private final CRC32 crc = new CRC32();
    // buffer[position, confirmed) is member data not yet returned; buffer[confirmed, limit) is not yet classified
    private int position;
    private int confirmed;
    private int limit;
    private long size;
    private boolean headerSkipped;
    private boolean sourceExhausted;
    private boolean memberEnded;

    StoredEntryInputStream(InputStream in)
    {
        this.in = in;
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (!headerSkipped) {
            skipLocalFileHeader();
            headerSkipped = true;
        }
        while (position == confirmed) {
            if (memberEnded) {
                return -1;
            }
            advance();
        }
        int n = Math.min(length, confirmed - position);
        System.arraycopy(buffer, position, bytes, offset, n);
        position += n;
        return n;
    }

    private void skipLocalFileHeader()
            throws IOException
    {
        byte[] header = in.readNBytes(LOCAL_FILE_HEADER_LENGTH);
        if (header.length < LOCAL_FILE_HEADER_LENGTH) {
            throw new InvalidCompressedDataException("Invalid zip data: truncated local file header");
        }
        in.skipNBytes(int16(header, 26) + int16(header, 28));
    }

    /** Classifies more buffered bytes as member data, or finds the descriptor, or reads more from the source. */
    private void advance()
            throws IOException
    {
        // everything confirmed was consumed: keep only the unclassified tail
        System.arraycopy(buffer, confirmed, buffer, 0, limit - confirmed);
        limit -= confirmed;
        position = 0;
        confirmed = 0;

        int candidate = indexOfSignature();
        if (candidate < 0) {
            // the last three bytes may begin a signature
            int safe = Math.max(0, limit - 3);
            if (safe > 0) {
                confirm(safe);
            }
            else {
                fill();
            }
            return;
        }
        if (candidate > 0) {
            confirm(candidate);
            return;
        }
        if (limit < ZIP64_DESCRIPTOR_LENGTH && !sourceExhausted) {
            fill();
            return;
        }
        if (isDescriptor()) {
            memberEnded = true;
            return;
        }
        // signature bytes inside the data
        confirm(1);
    }

    private int indexOfSignature()
    {
        for (int i = 0; i + 4 <= limit; i++) {
            if (buffer[i] == 'P' && int32(buffer, i) == DATA_DESCRIPTOR) {
                return i;
            }
        }
        return -1;
    }

    private boolean isDescriptor()
    {
        long expectedCrc = crc.getValue();
        if (limit >= DESCRIPTOR_LENGTH
                && uint32(buffer, 4) == expectedCrc
                && uint32(buffer, 8) == size
                && uint32(buffer, 12) == size) {
            return true;
        }
        return limit >= ZIP64_DESCRIPTOR_LENGTH
                && uint32(buffer, 4) == expectedCrc
                && int64(buffer, 8) == size
                && int64(buffer, 16) == size;
    }

    private void confirm(int end)
    {
        crc.update(buffer, confirmed, end - confirmed);
        size += end - confirmed;
        confirmed = end;
    }

    private void fill()
            throws IOException
    {
        if (sourceExhausted) {
            throw new InvalidCompressedDataException("Invalid zip data: the STORED member ends without a data descriptor (truncated archive?)");
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            sourceExhausted = true;
        }
        else {
            limit += n;
        }
    }

    @Override
    public void close()
            throws IOException
    {
        in.close();
    }

    static int int16(byte[] bytes, int offset)
    {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    static int int32(byte[] bytes, int offset)
    {
        return int16(bytes, offset) | int16(bytes, offset + 2) << 16;
    }

    private static long uint32(byte[] bytes, int offset)
    {
        return int32(bytes, offset) & 0xFFFFFFFFL;
    }

    private static long int64(byte[] bytes, int offset)
    {
        return uint32(bytes, offset) | (long) int32(bytes, offset + 4) << 32;
    }
}
