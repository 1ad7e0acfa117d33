package io.xcomhybrid.compress;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Opens the format's decoder lazily and tells failures of the source (passed on unchanged) from invalid data
 * (turned into {@link InvalidCompressedDataException} naming the format), whatever exception type the codec
 * library used.
 */
final class DecodingInputStream
        extends InputStream
{
    interface Decoder
    {
        InputStream open(InputStream in)
                throws IOException;
    }

    private final String format;
    private final TrackingInputStream source;
    private final Decoder decoder;
    private InputStream decoded;
    private boolean closed;

    DecodingInputStream(String format, InputStream source, Decoder decoder)
    {
        this.format = format;
        this.source = new TrackingInputStream(source);
        this.decoder = decoder;
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("Decompression stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        try {
            if (decoded == null) {
                decoded = decoder.open(nonEmpty(new BufferedInputStream(source, StreamingCompression.BUFFER_SIZE)));
            }
            return decoded.read(bytes, offset, length);
        }
        catch (IOException | RuntimeException e) {
            if (source.failed() || e instanceof InvalidCompressedDataException) {
                throw e;
            }
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidCompressedDataException("Corrupt or truncated " + format + " data: " + detail, e);
        }
    }

    /** Every format has a header even for an empty value, so an empty input is a truncated one (zstd would accept it). */
    private InputStream nonEmpty(InputStream in)
            throws IOException
    {
        in.mark(1);
        if (in.read() < 0) {
            throw new InvalidCompressedDataException("Corrupt or truncated " + format + " data: the input is empty");
        }
        in.reset();
        return in;
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (decoded != null) {
                decoded.close();
            }
        }
        finally {
            source.close();
        }
    }

    private static final class TrackingInputStream
            extends FilterInputStream
    {
        private boolean failed;

        TrackingInputStream(InputStream in)
        {
            super(in);
        }

        boolean failed()
        {
            return failed;
        }

        @Override
        public int read()
                throws IOException
        {
            try {
                return in.read();
            }
            catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length)
                throws IOException
        {
            try {
                return in.read(bytes, offset, length);
            }
            catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n)
                throws IOException
        {
            try {
                return in.skip(n);
            }
            catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int available()
                throws IOException
        {
            try {
                return in.available();
            }
            catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close()
                throws IOException
        {
            // idempotent even when the source is not: the decoder and DecodingInputStream both close it
            if (in != null) {
                InputStream closing = in;
                in = null;
                closing.close();
            }
        }
    }
}
