package io.xcomhybrid.compress;

import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code snappy}, suffix {@code .snappy}: the Snappy framing format that python-snappy's {@code StreamCompressor}
 * writes (stream identifier chunk {@code ff 06 00 00 "sNaPpY"}, then compressed or raw chunks of at most 64 KiB
 * with a masked CRC-32C of the uncompressed data), through snappy-java's framed streams and its bundled native
 * library. Checksums are verified on read.
 *
 * <p><b>Not interoperable with Airflow.</b> fsspec registers snappy with no file extension, so Airflow raises
 * {@code ValueError} when configured with {@code snappy} and reads an object named {@code *.snappy} as
 * uncompressed. The {@code .snappy} suffix is this library's own convention: only xcom-hybrid readers decompress
 * what it writes.
 */
public final class SnappyCompression
        extends StreamingCompression
{
    public SnappyCompression()
    {
        super("snappy", ".snappy");
    }

    @Override
    public Optional<Compression> parallel(Executor executor, int parallelism)
    {
        return Optional.of(new ParallelSnappyCompression(executor, parallelism));
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        return new SnappyFramedOutputStream(out);
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        return new SnappyFramedInputStream(in, true);
    }
}
