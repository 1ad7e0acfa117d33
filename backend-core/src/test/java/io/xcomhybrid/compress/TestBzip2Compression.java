package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import static io.xcomhybrid.compress.CompressionTesting.assertReadsConcatenatedStreams;

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
        assertReadsConcatenatedStreams(compression(), "bzip2", 30);
    }
}
