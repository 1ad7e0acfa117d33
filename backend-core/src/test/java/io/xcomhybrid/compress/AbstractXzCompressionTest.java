package io.xcomhybrid.compress;

import java.io.IOException;
import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The codecs writing the XZ container ({@code xz} and {@code lzma}): xz(1) and Python's {@code lzma} module read both. */
abstract class AbstractXzCompressionTest
        extends AbstractCompressionTest
        implements ToolInteropTests, PythonInteropTests
{
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

    /** Asserts that a value written by {@code xz --format=lzma} reads back, and returns that value. */
    protected byte[] assertReadsLegacyLzmaFromTool(long seed)
            throws IOException, InterruptedException
    {
        byte[] data = jsonLines(500_000, seed);
        assertThat(decompress(compression(), run(List.of("xz", "--format=lzma", "-c"), data))).isEqualTo(data);
        return data;
    }
}
