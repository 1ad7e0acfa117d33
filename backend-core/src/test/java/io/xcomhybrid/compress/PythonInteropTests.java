package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.python;
import static org.assertj.core.api.Assertions.assertThat;

/** Interoperability with the Python standard-library module fsspec uses for the format, both ways. */
public interface PythonInteropTests
{
    Compression compression();

    int interopSize();

    /** A Python expression opening the format for reading from binary file object {@code f}, as fsspec does. */
    String pythonReader();

    /** A Python expression opening the format for writing over binary file object {@code f}, as fsspec does. */
    String pythonWriter();

    @Test
    default void testPythonReadsOurs()
            throws Exception
    {
        byte[] data = jsonLines(interopSize(), 11);
        String script = """
                import sys, io, gzip, bz2, lzma, zipfile
                f = io.BytesIO(sys.stdin.buffer.read())
                sys.stdout.buffer.write((%s).read())
                """.formatted(pythonReader());
        assertThat(python(script, compress(compression(), data))).isEqualTo(data);
        assertThat(python(script, compress(compression(), new byte[0]))).isEmpty();
    }

    @Test
    default void testWeReadPython()
            throws Exception
    {
        byte[] data = jsonLines(interopSize(), 12);
        // the pipe makes sys.stdout.buffer non-seekable, as object-store writers are
        String script = """
                import sys, gzip, bz2, lzma, zipfile
                data = sys.stdin.buffer.read()
                f = sys.stdout.buffer
                w = %s
                w.write(data)
                w.close()
                f.flush()
                """.formatted(pythonWriter());
        assertThat(decompress(compression(), python(script, data))).isEqualTo(data);
        assertThat(decompress(compression(), python(script, new byte[0]))).isEmpty();
    }
}
