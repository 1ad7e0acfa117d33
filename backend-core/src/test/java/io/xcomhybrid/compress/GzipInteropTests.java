package io.xcomhybrid.compress;

/** Interoperability of a gzip writer with gzip(1) and Python's {@code gzip} module, which fsspec uses. */
public interface GzipInteropTests
        extends ToolInteropTests, PythonInteropTests
{
    @Override
    default String tool()
    {
        return "gzip";
    }

    @Override
    default String pythonWriter()
    {
        // fsspec: GzipFile(fileobj=f, mode="wb"); the pipe's name "<stdout>" lands in the FNAME header field
        return "gzip.GzipFile(fileobj=f, mode='wb')";
    }

    @Override
    default String pythonReader()
    {
        return "gzip.GzipFile(fileobj=f, mode='rb')";
    }
}
