package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.python;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

class TestXzCompression
        extends AbstractCompressionTest
        implements ToolInteropTests, PythonInteropTests
{
    @Override
    public Compression compression()
    {
        return XzCompression.xz();
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
    void testWritesXzContainer()
            throws Exception
    {
        assertThat(compress(compression(), new byte[] {1, 2, 3})).startsWith(0xFD, '7', 'z', 'X', 'Z', 0);
    }

    @Test
    void testConcatenatedStreams()
            throws Exception
    {
        byte[] first = jsonLines(100_000, 40);
        byte[] second = jsonLines(50_000, 41);
        byte[] stream = concat(compress(compression(), first), run(List.of("xz", "-c"), second));
        assertThat(decompress(compression(), stream)).isEqualTo(concat(first, second));
    }

    @Test
    void testReadsLegacyLzmaFormatLikeFormatAuto()
            throws Exception
    {
        byte[] data = jsonLines(500_000, 42);
        assertThat(decompress(compression(), run(List.of("xz", "--format=lzma", "-c"), data))).isEqualTo(data);
        byte[] python = python("""
                import sys, lzma
                w = lzma.LZMAFile(sys.stdout.buffer, mode='wb', format=lzma.FORMAT_ALONE)
                w.write(sys.stdin.buffer.read())
                w.close()
                """, data);
        assertThat(decompress(compression(), python)).isEqualTo(data);
    }
}
