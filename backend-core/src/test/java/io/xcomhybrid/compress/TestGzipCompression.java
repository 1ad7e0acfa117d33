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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGzipCompression
        extends AbstractCompressionTest
        implements GzipInteropTests
{
    @Override
    public Compression compression()
    {
        return new GzipCompression();
    }

    @Test
    void testPythonHeaderFieldsAreRead()
            throws Exception
    {
        byte[] data = jsonLines(50_000, 20);
        byte[] compressed = python("""
                import sys, gzip
                w = gzip.GzipFile(filename='value.json', fileobj=sys.stdout.buffer, mode='wb', mtime=1700000000)
                w.write(sys.stdin.buffer.read())
                w.close()
                """, data);
        assertThat(compressed[3] & 0x08).as("FNAME flag").isNotZero();
        assertThat(decompress(compression(), compressed)).isEqualTo(data);
    }

    @Test
    void testConcatenatedMembers()
            throws Exception
    {
        byte[] first = jsonLines(300_000, 21);
        byte[] second = jsonLines(200_000, 22);
        byte[] third = "{\"tail\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] ours = compress(compression(), first);
        byte[] tools = run(List.of("gzip", "-c", "-9"), second);
        byte[] pythons = python("import sys, gzip; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read()))", third);
        byte[] stream = concat(ours, tools, pythons, compress(compression(), new byte[0]));

        byte[] expected = concat(first, second, third);
        assertThat(decompress(compression(), stream)).isEqualTo(expected);
        // the references agree that this is one gzip stream
        assertThat(run(List.of("gzip", "-d", "-c"), stream)).isEqualTo(expected);
        assertThat(python("import sys, gzip; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))", stream)).isEqualTo(expected);
    }

    @Test
    void testTrailingGarbageFails()
            throws Exception
    {
        byte[] compressed = compress(compression(), jsonLines(10_000, 23));
        assertInvalid(concat(compressed, "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void testLevels()
            throws Exception
    {
        byte[] data = jsonLines(1_000_000, 24);
        byte[] fast = compress(new GzipCompression(1), data);
        byte[] small = compress(new GzipCompression(9), data);
        assertThat(small.length).isLessThan(fast.length);
        assertThat(decompress(compression(), fast)).isEqualTo(data);
        assertThat(decompress(compression(), small)).isEqualTo(data);
        assertThatThrownBy(() -> new GzipCompression(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 9");
        assertThatThrownBy(() -> new GzipCompression(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
