package io.xcomhybrid.compress;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;

/**
 * {@code zip}, suffix {@code .zip}: a ZIP archive holding the value as its one member, as fsspec's {@code unzip}
 * writes ({@code ZipFile(f, "w").open("file", "w")}) and reads ({@code ZipFile(f).namelist()[0]}).
 *
 * <p><b>Writing</b> uses method DEFLATED (level 6) with a data descriptor (general-purpose flag bit 3) after the
 * member named {@code file}. Python writes STORED, which needs the CRC and size in the local header before the data
 * unless a data descriptor follows; commons-compress writes STORED only when it can seek back or when the whole
 * value is known first, so a STORED member would cost memory or a temporary file. DEFLATED streams with bounded
 * memory, compresses, and Python's {@code zipfile} reads it through the central directory. Like Python without
 * {@code force_zip64}, a member of 4 GiB or more fails when the stream is closed.
 *
 * <p><b>Reading</b> takes the first member, whatever its name, as {@code namelist()[0]} does. STORED members
 * followed by a data descriptor (what Python writes to S3, GCS and other non-seekable sinks) are streamed by
 * {@link StoredEntryInputStream}, which finds the end of the data by its descriptor: commons-compress's
 * {@code allowStoredEntriesWithDataDescriptor} reads the whole member into memory first, and
 * {@code java.util.zip.ZipInputStream} rejects such members. Every other member (DEFLATED, or STORED with sizes in
 * the local header, as Python writes to local files) goes through commons-compress's {@link ZipArchiveInputStream}.
 * The CRC-32 of the member is verified in both cases.
 */
public final class ZipCompression
        extends StreamingCompression
{
    /** The member name fsspec writes. */
    public static final String MEMBER_NAME = "file";

    private static final int LOCAL_FILE_HEADER = 0x04034b50;
    private static final int CENTRAL_DIRECTORY_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_DATA_DESCRIPTOR = 1 << 3;

    public ZipCompression()
    {
        super("zip", ".zip");
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);
        zip.setMethod(ZipEntry.DEFLATED);
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        ZipArchiveEntry entry = new ZipArchiveEntry(MEMBER_NAME);
        entry.setTime(System.currentTimeMillis());
        zip.putArchiveEntry(entry);
        return new FilterOutputStream(zip)
        {
            @Override
            public void write(byte[] bytes, int offset, int length)
                    throws IOException
            {
                out.write(bytes, offset, length);
            }

            @Override
            public void close()
                    throws IOException
            {
                zip.closeArchiveEntry();
                zip.close();
            }
        };
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        byte[] header = new byte[StoredEntryInputStream.LOCAL_FILE_HEADER_LENGTH];
        in.mark(header.length);
        int length = in.readNBytes(header, 0, header.length);
        in.reset();
        int signature = length >= 4 ? StoredEntryInputStream.int32(header, 0) : 0;
        if (signature == CENTRAL_DIRECTORY_HEADER || signature == END_OF_CENTRAL_DIRECTORY) {
            throw new InvalidCompressedDataException("Invalid zip data: the archive has no member");
        }
        if (signature != LOCAL_FILE_HEADER || length < header.length) {
            throw new InvalidCompressedDataException("Invalid zip data: not a ZIP archive (no local file header at offset 0)");
        }
        int flags = StoredEntryInputStream.int16(header, 6);
        int method = StoredEntryInputStream.int16(header, 8);
        if ((flags & FLAG_ENCRYPTED) != 0) {
            throw new InvalidCompressedDataException("Invalid zip data: the member is encrypted");
        }
        if (method == ZipEntry.STORED && (flags & FLAG_DATA_DESCRIPTOR) != 0) {
            return new StoredEntryInputStream(in);
        }
        return new CheckedMemberInputStream(in);
    }

    /** The first member through commons-compress, with its CRC-32 checked at the end. */
    private static final class CheckedMemberInputStream
            extends InputStream
    {
        private final ZipArchiveInputStream zip;
        private final ZipArchiveEntry entry;
        private final CheckedInputStream data;
        private boolean verified;

        CheckedMemberInputStream(InputStream in)
                throws IOException
        {
            this.zip = new ZipArchiveInputStream(in, StandardCharsets.UTF_8.name(), true, false);
            this.entry = zip.getNextEntry();
            if (entry == null) {
                throw new InvalidCompressedDataException("Invalid zip data: the archive has no member");
            }
            if (!zip.canReadEntryData(entry)) {
                throw new InvalidCompressedDataException("Invalid zip data: unsupported compression method %s of member '%s'".formatted(entry.getMethod(), entry.getName()));
            }
            this.data = new CheckedInputStream(zip, new CRC32());
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
            int n = data.read(bytes, offset, length);
            if (n < 0 && !verified) {
                verified = true;
                // commons-compress reads a data descriptor, and so learns the CRC, only when moving to the next entry
                zip.getNextEntry();
                if (entry.getCrc() == -1) {
                    throw new InvalidCompressedDataException("Invalid zip data: no CRC-32 for member '%s'".formatted(entry.getName()));
                }
                if (entry.getCrc() != data.getChecksum().getValue()) {
                    throw new InvalidCompressedDataException("Invalid zip data: CRC-32 mismatch in member '%s'".formatted(entry.getName()));
                }
            }
            return n;
        }

        @Override
        public void close()
                throws IOException
        {
            zip.close();
        }
    }
}
