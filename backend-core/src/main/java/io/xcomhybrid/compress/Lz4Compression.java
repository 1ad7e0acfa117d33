package io.xcomhybrid.compress;

import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code lz4}, suffix {@code .lz4}: the LZ4 frame format ({@code lz4.frame.open} in Python, the lz4 tool). Airflow
 * writes lz4 only when the Python {@code lz4} package is installed.
 *
 * <p>Writes independent 256 KiB blocks and a content checksum with lz4-java (native library with a Java fallback).
 * Not the lz4 tool's 4 MiB blocks: a block is compressed only when it is full, so with 4 MiB a value of a few MiB was
 * compressed all at once at close, after the JSON encoder had finished, instead of alongside it on the pipeline
 * thread, and every stream allocated two 4 MiB buffers. commons-compress's pure-Java LZ4 compressor is not used: it compresses JSON at well
 * under 1 MB/s.
 *
 * <p>Reads frames of independent blocks (ours, the lz4 tool's) with lz4-java, and frames of linked blocks (Python's
 * default: linked 64 KiB blocks), which lz4-java cannot read, with commons-compress (pure Java, slower). The choice
 * is made on the first frame's header; both read block and content checksums and concatenated and skippable frames,
 * but a stream whose first frame has independent blocks and a later frame linked blocks is rejected.
 */
public final class Lz4Compression
        extends StreamingCompression
{
    private static final int FRAME_MAGIC = 0x184D2204;
    private static final int FLG_BLOCK_INDEPENDENCE = 0x20;

    public Lz4Compression()
    {
        super("lz4", ".lz4");
    }

    @Override
    public Optional<Compression> parallel(Executor executor, int parallelism)
    {
        return Optional.of(new ParallelLz4Compression(executor, parallelism));
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        return new LZ4FrameOutputStream(out, BLOCKSIZE.SIZE_256KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM);
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        byte[] header = new byte[5];
        in.mark(header.length);
        int length = in.readNBytes(header, 0, header.length);
        in.reset();
        boolean independent = length == header.length
                && StoredEntryInputStream.int32(header, 0) == FRAME_MAGIC
                && (header[4] & FLG_BLOCK_INDEPENDENCE) != 0;
        if (independent) {
            return new LZ4FrameInputStream(in);
        }
        return new FramedLZ4CompressorInputStream(in, true);
    }
}
