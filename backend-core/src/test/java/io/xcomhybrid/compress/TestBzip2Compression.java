package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

class TestBzip2Compression
        extends AbstractCompressionTest
        implements ToolInteropTests, PythonInteropTests
{
    @Override
    public Compression compression()
    {
        return new Bzip2Compression();
    }

    @Override
    public String tool()
    {
        return "bzip2";
    }

    @Override
    public String pythonWriter()
    {
        return "bz2.BZ2File(f, mode='wb')";
    }

    @Override
    public String pythonReader()
    {
        return "bz2.BZ2File(f, mode='rb')";
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
    void testConcatenatedStreams()
            throws Exception
    {
        byte[] first = jsonLines(100_000, 30);
        byte[] second = jsonLines(50_000, 31);
        byte[] stream = concat(compress(compression(), first), run(List.of("bzip2", "-c"), second));
        assertThat(decompress(compression(), stream)).isEqualTo(concat(first, second));
    }
}
