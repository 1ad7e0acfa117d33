package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of {@link Compression}, run against every codec: round trips and the close and error contract.
 * Codecs with a command-line tool or a Python standard-library module also implement {@link ToolInteropTests} or
 * {@link PythonInteropTests}.
 */
public abstract class AbstractCompressionTest
{
    public abstract Compression compression();

    /** Whether the decoder reads the stream to its last byte, so that losing that byte is detected. */
    protected boolean readsToTheEnd()
    {
        return true;
    }

    /** Size of the multi-megabyte round trip; slow pure-Java codecs use less. */
    protected int largeSize()
    {
        return 8 * 1024 * 1024;
    }

    /** Size of the values exchanged with the tool and Python (see {@link ToolInteropTests}, {@link PythonInteropTests}). */
    public int interopSize()
    {
        return 3_000_000;
    }

    @Test
    public void testRegistered()
    {
        Compression compression = compression();
        assertThat(Compressions.forName(compression.name()).suffix()).isEqualTo(compression.suffix());
        assertThat(Compressions.forPath("s3://conn@bucket/xcom/dag/run/task/key" + compression.suffix()).name())
                .isEqualTo(compression.name());
        assertThat(Compressions.all()).extracting(Compression::name).contains(compression.name());
    }

    @Test
    public void testRoundTripEmpty()
            throws IOException
    {
        byte[] compressed = compress(compression(), new byte[0]);
        assertThat(compressed).isNotEmpty();
        assertThat(decompress(compression(), compressed)).isEmpty();
    }

    @Test
    public void testRoundTripSmall()
            throws IOException
    {
        byte[] data = "{\"value\": [1, 2, 3], \"text\": \"h\\u00e9llo\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(decompress(compression(), compress(compression(), data))).isEqualTo(data);
    }

    @Test
    public void testRoundTripLarge()
            throws IOException
    {
        byte[] data = jsonLines(largeSize(), 1);
        byte[] compressed = compress(compression(), data);
        assertThat(compressed.length).isLessThan(data.length / 2);
        assertThat(decompress(compression(), compressed)).isEqualTo(data);
    }

    @Test
    public void testRoundTripIncompressible()
            throws IOException
    {
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        assertThat(decompress(compression(), compress(compression(), data))).isEqualTo(data);
    }

    @Test
    public void testCloseFinishesFormatAndClosesSink()
            throws IOException
    {
        TrackingOutputStream sink = new TrackingOutputStream();
        OutputStream out = compression().compress(sink);
        out.write("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(sink.closed).isFalse();
        out.close();
        assertThat(sink.closed).isTrue();
        out.close();
        assertThat(sink.closeCount).isEqualTo(1);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
        assertThat(decompress(compression(), sink.toByteArray())).asString(StandardCharsets.UTF_8).isEqualTo("abc");
    }

    @Test
    public void testFailedFinishLeavesSinkOpen()
            throws IOException
    {
        TrackingOutputStream sink = new TrackingOutputStream();
        OutputStream out = compression().compress(sink);
        out.write(jsonLines(10_000, 3));
        sink.failWrites = true;
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("sink write failed");
        // the caller can still abort the sink instead of committing a truncated object
        assertThat(sink.closed).isFalse();
    }

    @Test
    public void testCloseDecompressionClosesSource()
            throws IOException
    {
        byte[] compressed = compress(compression(), jsonLines(100_000, 4));
        TrackingInputStream source = new TrackingInputStream(compressed);
        InputStream in = compression().decompress(source);
        assertThat(in.read()).isEqualTo('{');
        in.close();
        assertThat(source.closed).isTrue();

        TrackingInputStream unread = new TrackingInputStream(compressed);
        compression().decompress(unread).close();
        assertThat(unread.closed).isTrue();
        assertThat(unread.bytesRead).isZero();
    }

    @Test
    public void testCorruptDataFailsNamingTheFormat()
            throws IOException
    {
        byte[] compressed = compress(compression(), jsonLines(200_000, 5));
        for (int offset : new int[] {compressed.length / 3, compressed.length / 2}) {
            byte[] corrupt = compressed.clone();
            for (int i = offset; i < offset + 8; i++) {
                corrupt[i] ^= 0x5A;
            }
            assertInvalid(corrupt);
        }
    }

    @Test
    public void testTruncatedDataFailsNamingTheFormat()
            throws IOException
    {
        byte[] compressed = compress(compression(), jsonLines(200_000, 6));
        assertInvalid(Arrays.copyOf(compressed, compressed.length / 2));
        if (readsToTheEnd()) {
            assertInvalid(Arrays.copyOf(compressed, compressed.length - 1));
        }
        assertInvalid(Arrays.copyOf(compressed, 3));
    }

    @Test
    public void testEmptyObjectFails()
    {
        // no writer produces a 0-byte object (an empty value still has a header), so it is a truncated one
        assertInvalid(new byte[0]);
    }

    @Test
    public void testNotCompressedDataFailsNamingTheFormat()
    {
        assertInvalid("{\"plain\": \"json, not compressed\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void testSourceFailurePassesThroughUnchanged()
            throws IOException
    {
        byte[] compressed = compress(compression(), jsonLines(300_000, 8));
        IOException failure = new IOException("connection reset by object store");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(compressed, 0, compressed.length / 2))
        {
            @Override
            public int read(byte[] bytes, int offset, int length)
                    throws IOException
            {
                int n = super.read(bytes, offset, length);
                if (n < 0) {
                    throw failure;
                }
                return n;
            }

            @Override
            public int read()
                    throws IOException
            {
                int b = super.read();
                if (b < 0) {
                    throw failure;
                }
                return b;
            }
        };
        Throwable thrown = catchThrowable(() -> {
            try (InputStream in = compression().decompress(failing)) {
                in.readAllBytes();
            }
        });
        assertThat(thrown).isNotInstanceOf(InvalidCompressedDataException.class);
        assertThat(rootCause(thrown)).isSameAs(failure);
    }

    protected void assertInvalid(byte[] bytes)
    {
        Throwable thrown = catchThrowable(() -> decompress(compression(), bytes));
        assertThat(thrown)
                .as("decompressing invalid %s data", compression().name())
                .isInstanceOf(InvalidCompressedDataException.class)
                .hasMessageContaining(compression().name());
    }

    private static Throwable rootCause(Throwable throwable)
    {
        List<Throwable> seen = new ArrayList<>();
        while (throwable.getCause() != null && !seen.contains(throwable.getCause())) {
            seen.add(throwable);
            throwable = throwable.getCause();
        }
        return throwable;
    }

    static final class TrackingOutputStream
            extends OutputStream
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean closed;
        int closeCount;
        boolean failWrites;

        @Override
        public void write(int b)
                throws IOException
        {
            checkFailure();
            bytes.write(b);
        }

        @Override
        public void write(byte[] data, int offset, int length)
                throws IOException
        {
            checkFailure();
            bytes.write(data, offset, length);
        }

        private void checkFailure()
                throws IOException
        {
            if (failWrites) {
                throw new IOException("sink write failed");
            }
        }

        @Override
        public void close()
        {
            closed = true;
            closeCount++;
        }

        byte[] toByteArray()
        {
            return bytes.toByteArray();
        }
    }

    static final class TrackingInputStream
            extends ByteArrayInputStream
    {
        boolean closed;
        long bytesRead;

        TrackingInputStream(byte[] bytes)
        {
            super(bytes);
        }

        @Override
        public synchronized int read()
        {
            int b = super.read();
            bytesRead += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public synchronized int read(byte[] bytes, int offset, int length)
        {
            int n = super.read(bytes, offset, length);
            bytesRead += Math.max(n, 0);
            return n;
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }
}
