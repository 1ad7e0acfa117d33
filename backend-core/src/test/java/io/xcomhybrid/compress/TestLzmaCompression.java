package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code lzma} is LZMAFile's default, the XZ container, under the {@code .lzma} suffix. */
class TestLzmaCompression
        extends AbstractXzCompressionTest
{
    @Override
    public Compression compression()
    {
        return XzCompression.lzma();
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
        assertReadsLegacyLzmaFromTool(50);
    }
}
