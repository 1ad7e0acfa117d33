package io.xcomhybrid.compress;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code bz2}, suffix {@code .bz2}: bzip2 as Python's {@code bz2.BZ2File} writes it, with 900 KiB blocks (level 9,
 * the default of both Python and the bzip2 tool; the level only sets the block size). Reads concatenated streams,
 * as {@code BZ2File} does. bzip2 is by far the slowest codec here (about 9 MB/s to compress).
 */
public final class Bzip2Compression
        extends StreamingCompression
{
    public Bzip2Compression()
    {
        super("bz2", ".bz2");
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        return new BZip2CompressorOutputStream(out, BZip2CompressorOutputStream.MAX_BLOCKSIZE);
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        return new BZip2CompressorInputStream(in, true);
    }
}
