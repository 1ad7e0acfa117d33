package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

class TestLz4Compression
        extends AbstractCompressionTest
        implements ToolInteropTests
{
    @Override
    public Compression compression()
    {
        return new Lz4Compression();
    }

    @Override
    public String tool()
    {
        return "lz4";
    }

    @Test
    void testPythonLz4Vectors()
            throws Exception
    {
        // lz4.frame.open (linked 64 KiB blocks, as fsspec writes), block and content checksums, two frames
        Vectors.assertAllRead(compression(), ".lz4");
    }

    @Test
    void testWritesFrameFormat()
            throws Exception
    {
        assertThat(compress(compression(), new byte[] {1})).startsWith(0x04, 0x22, 0x4D, 0x18);
    }

    @Test
    void testReadsToolLinkedBlocksAndConcatenatedFrames()
            throws Exception
    {
        byte[] first = jsonLines(1_000_000, 70);
        byte[] second = jsonLines(100_000, 71);
        byte[] linked = run(List.of("lz4", "-c", "-q", "-BD", "-B4", "--content-size"), first);
        assertThat(decompress(compression(), linked)).isEqualTo(first);
        assertThat(decompress(compression(), concat(linked, compress(compression(), second)))).isEqualTo(concat(first, second));
    }
}
