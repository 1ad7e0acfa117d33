package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code lzma} is LZMAFile's default, the XZ container, under the {@code .lzma} suffix. */
class TestLzmaCompression
        extends AbstractCompressionTest
        implements ToolInteropTests, PythonInteropTests
{
    @Override
    public Compression compression()
    {
        return XzCompression.lzma();
    }

    @Override
    public String tool()
    {
        return "xz";
    }

    @Override
    public String pythonWriter()
    {
        return "lzma.LZMAFile(f, mode='wb')";
    }

    @Override
    public String pythonReader()
    {
        return "lzma.LZMAFile(f, mode='rb')";
    }

    @Override
    protected int largeSize()
    {
        return 2 * 1024 * 1024;
    }

    @Override
    public int interopSize()
    {
        return 1_000_000;
    }

    @Test
    void testWritesXzContainerUnderLzmaSuffix()
            throws Exception
    {
        assertThat(compression().suffix()).isEqualTo(".lzma");
        assertThat(compress(compression(), new byte[] {1, 2, 3})).startsWith(0xFD, '7', 'z', 'X', 'Z', 0);
    }

    @Test
    void testReadsLegacyLzmaFormat()
            throws Exception
    {
        byte[] data = jsonLines(500_000, 50);
        assertThat(decompress(compression(), run(List.of("xz", "--format=lzma", "-c"), data))).isEqualTo(data);
    }
}
