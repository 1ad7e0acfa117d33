package io.xcomhybrid.compress;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Base of the codecs: adds the buffering, close and error-translation contract of {@link Compression} around a
 * format's plain encoder and decoder streams.
 */
abstract class StreamingCompression
        implements Compression
{
    static final int BUFFER_SIZE = 64 * 1024;

    private final String name;
    private final String suffix;

    StreamingCompression(String name, String suffix)
    {
        this.name = requireNonNull(name, "name is null");
        this.suffix = requireNonNull(suffix, "suffix is null");
    }

    @Override
    public final String name()
    {
        return name;
    }

    @Override
    public final String suffix()
    {
        return suffix;
    }

    @Override
    public final OutputStream compress(OutputStream out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        OutputStream encoder = encoder(new BufferedOutputStream(new CloseShieldOutputStream(out), BUFFER_SIZE));
        return new EncodingOutputStream(new BufferedOutputStream(encoder, BUFFER_SIZE), out);
    }

    @Override
    public final InputStream decompress(InputStream in)
    {
        requireNonNull(in, "in is null");
        return new BufferedInputStream(new DecodingInputStream(name, in, this::decoder), BUFFER_SIZE);
    }

    /**
     * The format's encoder over {@code out}. Closing it must finish the format and close {@code out} (which only
     * flushes: the sink itself is closed after the encoder closed normally).
     */
    abstract OutputStream encoder(OutputStream out)
            throws IOException;

    /**
     * The format's decoder over {@code in}, which is buffered and supports {@link InputStream#mark(int)} for
     * peeking at a header. Closing it must close {@code in}.
     */
    abstract InputStream decoder(InputStream in)
            throws IOException;

    @Override
    public String toString()
    {
        return name;
    }
}
