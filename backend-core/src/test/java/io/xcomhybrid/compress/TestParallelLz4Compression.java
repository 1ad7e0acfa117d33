package io.xcomhybrid.compress;

import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.run;
import static io.xcomhybrid.compress.ParallelLz4Compression.BLOCK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestParallelLz4Compression
        extends AbstractCompressionTest
        implements ToolInteropTests
{
    private final ExecutorService executor = Executors.newFixedThreadPool(3);

    @AfterAll
    void tearDown()
    {
        executor.shutdownNow();
    }

    @Override
    public Compression compression()
    {
        return new ParallelLz4Compression(executor, 3);
    }

    @Override
    public String tool()
    {
        return "lz4";
    }

    /** Values that end before, on and after block boundaries, and one that does not compress. */
    private static List<byte[]> boundaryValues()
    {
        List<byte[]> values = new ArrayList<>();
        for (int size : new int[] {0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 3 * BLOCK_SIZE + 5, 10 * BLOCK_SIZE}) {
            values.add(jsonLines(size, size));
        }
        byte[] noise = new byte[2 * BLOCK_SIZE + 100];
        new Random(40).nextBytes(noise);
        values.add(noise);
        values.add(concat(jsonLines(BLOCK_SIZE + 7, 41), noise));
        return values;
    }

    @Test
    void testByteForByteWhatLz4JavaWritesWithBlockChecksums()
            throws Exception
    {
        for (byte[] data : boundaryValues()) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (OutputStream out = new LZ4FrameOutputStream(expected, BLOCKSIZE.SIZE_256KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM)) {
                out.write(data);
            }
            assertThat(compress(compression(), data)).as("%s bytes", data.length).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void testSameBytesWhateverTheThreads()
            throws Exception
    {
        byte[] data = jsonLines(20 * BLOCK_SIZE + 3, 42);
        byte[] callerThread = compress(new ParallelLz4Compression(Runnable::run, 1), data);
        assertThat(compress(new ParallelLz4Compression(executor, 2), data)).isEqualTo(callerThread);
        assertThat(compress(compression(), data)).isEqualTo(callerThread);
    }

    @Test
    void testOneThreadCodecAndCommonsCompressRead()
            throws Exception
    {
        for (byte[] data : boundaryValues()) {
            byte[] compressed = compress(compression(), data);
            assertThat(decompress(new Lz4Compression(), compressed)).isEqualTo(data);
            // an independent reader, which also checks the block checksums
            try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(compressed), true)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void testCorruptBlockFailsItsChecksum()
            throws Exception
    {
        // a stored (incompressible) block: only the block checksum can tell that its bytes changed
        byte[] noise = new byte[BLOCK_SIZE];
        new Random(43).nextBytes(noise);
        byte[] compressed = compress(compression(), noise);
        compressed[1000] ^= 1;
        try {
            decompress(new Lz4Compression(), compressed);
            throw new AssertionError("corrupt block was read");
        }
        catch (InvalidCompressedDataException expected) {
            assertThat(expected).hasMessageContaining("lz4");
        }
    }

    @Test
    void testPythonLz4FrameReads()
            throws Exception
    {
        // lz4.frame is what Airflow (fsspec) reads lz4 objects with; it is installed in the Airflow virtualenvs
        String python = System.getenv("XCOM_TEST_AIRFLOW2_PYTHON");
        assumeTrue(python != null, "XCOM_TEST_AIRFLOW2_PYTHON is not set");
        String script = """
                import sys, io, lz4.frame
                sys.stdout.buffer.write(lz4.frame.open(io.BytesIO(sys.stdin.buffer.read()), 'rb').read())
                """;
        for (byte[] data : boundaryValues()) {
            assertThat(run(List.of(python, "-c", script), compress(compression(), data))).as("%s bytes", data.length).isEqualTo(data);
        }
    }

    @Test
    void testToString()
            throws IOException
    {
        assertThat(compression().toString()).isEqualTo("lz4 (parallel 3, blocks of 262144 bytes)");
        assertThat(compression().name()).isEqualTo("lz4");
        assertThat(compression().suffix()).isEqualTo(".lz4");
    }
}
