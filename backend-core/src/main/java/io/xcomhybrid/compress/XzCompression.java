package io.xcomhybrid.compress;

import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMAUtils;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code xz} (suffix {@code .xz}) and {@code lzma} (suffix {@code .lzma}): fsspec opens both with Python's
 * {@code lzma.LZMAFile}, so both write the XZ container (CRC64 check) and both read as {@code FORMAT_AUTO} does:
 * the XZ container, concatenated XZ streams included, or the legacy {@code .lzma} ("LZMA_Alone") format.
 *
 * <p>{@code lzma} works in Airflow only with a recent fsspec: older releases (2022.11 for example) register no
 * suffix for it, so Airflow raises {@code ValueError} when configured with it and reads {@code .lzma} objects as
 * uncompressed.
 *
 * <p>Writes at preset {@link #DEFAULT_PRESET} 6, the default of Python and the xz tool (8 MiB dictionary, about
 * 94 MiB of encoder memory per open stream; lower presets use less memory and are faster).
 */
public final class XzCompression
        extends StreamingCompression
{
    public static final int DEFAULT_PRESET = 6;

    private final int preset;

    private XzCompression(String name, String suffix, int preset)
    {
        super(name, suffix);
        if (preset < 0 || preset > 9) {
            throw new IllegalArgumentException(name + " preset must be between 0 and 9: " + preset);
        }
        this.preset = preset;
    }

    public static XzCompression xz()
    {
        return xz(DEFAULT_PRESET);
    }

    public static XzCompression xz(int preset)
    {
        return new XzCompression("xz", ".xz", preset);
    }

    public static XzCompression lzma()
    {
        return lzma(DEFAULT_PRESET);
    }

    public static XzCompression lzma(int preset)
    {
        return new XzCompression("lzma", ".lzma", preset);
    }

    @Override
    OutputStream encoder(OutputStream out)
            throws IOException
    {
        return new XZCompressorOutputStream(out, preset);
    }

    @Override
    InputStream decoder(InputStream in)
            throws IOException
    {
        byte[] magic = new byte[6];
        in.mark(magic.length);
        int length = in.readNBytes(magic, 0, magic.length);
        in.reset();
        if (XZUtils.matches(magic, length)) {
            return new XZCompressorInputStream(in, true);
        }
        if (LZMAUtils.matches(magic, length)) {
            return new LZMACompressorInputStream(in);
        }
        throw new InvalidCompressedDataException("Corrupt or truncated " + name() + " data: neither the XZ nor the legacy LZMA format");
    }
}
