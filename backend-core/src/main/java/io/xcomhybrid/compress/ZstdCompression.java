package io.xcomhybrid.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code zstd}, suffix {@code .zst}: one Zstandard frame with a content checksum, written at
 * {@link #DEFAULT_LEVEL} 3 (the zstd default; level 1 compresses about twice as fast, larger). Writing one frame
 * matters: fsspec reads through {@code zstandard}'s {@code stream_reader}, which stops after the first frame.
 * Reads concatenated and skippable frames. Uses the native library bundled in zstd-jni.
 */
public final class ZstdCompression
        extends StreamingCompression
{
    public static final int DEFAULT_LEVEL = 3;

    private final int level;

    public ZstdCompression()
    {
        this(DEFAULT_LEVEL);
    }

    public ZstdCompression(int level)
    {
        super("zstd", ".zst");
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level must be between %s and %s: %s".formatted(Zstd.minCompressionLevel(), Zstd.maxCompressionLevel(), level));
        }
        this.level = level;
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
        zstd.setChecksum(true);
        return zstd;
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        return new ZstdInputStreamNoFinalizer(in);
    }
}
