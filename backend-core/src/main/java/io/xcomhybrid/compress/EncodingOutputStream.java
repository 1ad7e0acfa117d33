package io.xcomhybrid.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The stream {@link Compression#compress(OutputStream)} returns. {@link #flush()} does not force a block
 * boundary (that would only cost compression ratio); the data reaches the sink as buffers fill and on close.
 */
final class EncodingOutputStream
        extends OutputStream
{
    private final OutputStream encoder;
    private final OutputStream sink;
    private boolean closed;

    EncodingOutputStream(OutputStream encoder, OutputStream sink)
    {
        this.encoder = encoder;
        this.sink = sink;
    }

    @Override
    public void write(int b)
            throws IOException
    {
        ensureOpen();
        encoder.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        encoder.write(bytes, offset, length);
    }

    @Override
    public void flush()
            throws IOException
    {
        ensureOpen();
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        // the sink is closed (committed) only when the format was finished completely
        encoder.close();
        sink.close();
    }

    private void ensureOpen()
            throws IOException
    {
        if (closed) {
            throw new IOException("Compression stream is closed");
        }
    }
}
