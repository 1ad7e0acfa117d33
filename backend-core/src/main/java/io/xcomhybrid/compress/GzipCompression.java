package io.xcomhybrid.compress;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.zip.Deflater;

/**
 * {@code gzip}, suffix {@code .gz}: RFC 1952, as Python's {@code gzip.GzipFile} writes and reads.
 *
 * <p>Writes one member at {@link #DEFAULT_LEVEL} 6, zlib's and the gzip tool's default: Python's {@code GzipFile}
 * uses 9, which is two to three times slower for about one percent smaller output, and readers do not care.
 * The header carries no name and an mtime of 0.
 *
 * <p>Reads every member of a concatenated stream (what parallel compressors such as pigz or
 * {@link ParallelGzipCompression} write, and what Python reads) and any optional header field Python writes
 * (FNAME, mtime). Trailing data that is not another member is an error, as in Python.
 */
public final class GzipCompression
        extends StreamingCompression
{
    public static final int DEFAULT_LEVEL = 6;

    private final int level;

    public GzipCompression()
    {
        this(DEFAULT_LEVEL);
    }

    /** @param level deflate level 1 (fastest) to 9 (smallest) */
    public GzipCompression(int level)
    {
        super("gzip", ".gz");
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("gzip level must be between 1 and 9: " + level);
        }
        this.level = level;
    }

    @Override
    public Optional<Compression> parallel(Executor executor, int parallelism)
    {
        return Optional.of(new ParallelGzipCompression(executor, parallelism, ParallelGzipCompression.DEFAULT_BLOCK_SIZE, level));
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        return new GzipCompressorOutputStream(out, parameters(level));
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        return new GzipCompressorInputStream(in, true);
    }

    static GzipParameters parameters(int level)
    {
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(level);
        parameters.setBufferSize(BUFFER_SIZE);
        return parameters;
    }
}
