package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import static io.xcomhybrid.compress.CompressionTesting.assertReadsConcatenatedStreams;
import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.python;
import static org.assertj.core.api.Assertions.assertThat;

class TestXzCompression
        extends AbstractXzCompressionTest
{
    @Override
    public Compression compression()
    {
        return XzCompression.xz();
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
        assertReadsConcatenatedStreams(compression(), "xz", 40);
    }

    @Test
    void testReadsLegacyLzmaFormatLikeFormatAuto()
            throws Exception
    {
        byte[] data = assertReadsLegacyLzmaFromTool(42);
        byte[] python = python("""
                import sys, lzma
                w = lzma.LZMAFile(sys.stdout.buffer, mode='wb', format=lzma.FORMAT_ALONE)
                w.write(sys.stdin.buffer.read())
                w.close()
                """, data);
        assertThat(decompress(compression(), python)).isEqualTo(data);
    }
}
