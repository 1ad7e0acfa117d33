package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Interoperability with the format's command-line tool, run as {@code tool -c} and {@code tool -d -c}. */
public interface ToolInteropTests
{
    Compression compression();

    String tool();

    int interopSize();

    @Test
    default void testToolReadsOurs()
            throws Exception
    {
        byte[] data = jsonLines(interopSize(), 9);
        assertThat(run(List.of(tool(), "-d", "-c"), compress(compression(), data))).isEqualTo(data);
        assertThat(run(List.of(tool(), "-d", "-c"), compress(compression(), new byte[0]))).isEmpty();
    }

    @Test
    default void testWeReadTool()
            throws Exception
    {
        byte[] data = jsonLines(interopSize(), 10);
        assertThat(decompress(compression(), run(List.of(tool(), "-c"), data))).isEqualTo(data);
        assertThat(decompress(compression(), run(List.of(tool(), "-c"), new byte[0]))).isEmpty();
    }
}
