package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

class TestZstdCompression
        extends AbstractCompressionTest
        implements ToolInteropTests
{
    @Override
    public Compression compression()
    {
        return new ZstdCompression();
    }

    @Override
    public String tool()
    {
        return "zstd";
    }

    @Test
    void testPythonZstandardVectors()
            throws Exception
    {
        Vectors.assertAllRead(compression(), ".zst");
    }

    @Test
    void testConcatenatedFrames()
            throws Exception
    {
        byte[] first = jsonLines(100_000, 60);
        byte[] second = jsonLines(50_000, 61);
        byte[] stream = concat(compress(compression(), first), run(List.of("zstd", "-c", "-q"), second));
        assertThat(decompress(compression(), stream)).isEqualTo(concat(first, second));
    }

    @Test
    void testWritesOneFrameWithChecksum()
            throws Exception
    {
        // zstd -l lists frames; fsspec's zstandard stream_reader stops after the first one
        byte[] compressed = compress(compression(), jsonLines(3_000_000, 62));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("value", ".zst");
        try {
            java.nio.file.Files.write(file, compressed);
            String listing = new String(run(List.of("zstd", "-l", "-v", file.toString()), new byte[0]), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(listing).containsPattern("# Zstandard Frames: *1\\b").contains("Check: XXH64");
        }
        finally {
            java.nio.file.Files.delete(file);
        }
    }
}
