package io.xcomhybrid.compress;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.ParallelSnappyCompression.BLOCK_SIZE;
import static io.xcomhybrid.compress.ParallelSnappyCompression.CHUNK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestParallelSnappyCompression
        extends AbstractCompressionTest
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
        return new ParallelSnappyCompression(executor, 3);
    }

    @Test
    void testByteForByteWhatSnappyCompressionWrites()
            throws Exception
    {
        // SnappyCompression's output is checked against the spec and python-snappy's (TestSnappyCompression)
        List<byte[]> values = new ArrayList<>();
        for (int size : new int[] {0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 5 * BLOCK_SIZE + 17}) {
            values.add(jsonLines(size, size));
        }
        byte[] noise = new byte[BLOCK_SIZE + 3 * CHUNK_SIZE / 2];
        new Random(50).nextBytes(noise);
        values.add(noise);
        // chunks that compress by less than 15 percent are stored raw, mixed with compressed ones in a block
        values.add(concat(jsonLines(CHUNK_SIZE + 10, 51), noise, jsonLines(CHUNK_SIZE, 52)));
        for (byte[] data : values) {
            byte[] compressed = compress(compression(), data);
            assertThat(compressed).as("%s bytes", data.length).isEqualTo(compress(new SnappyCompression(), data));
            assertThat(decompress(new SnappyCompression(), compressed)).isEqualTo(data);
        }
    }

    @Test
    void testSameBytesWhateverTheThreads()
            throws Exception
    {
        byte[] data = jsonLines(20 * BLOCK_SIZE + 3, 53);
        byte[] callerThread = compress(new ParallelSnappyCompression(Runnable::run, 1), data);
        assertThat(compress(new ParallelSnappyCompression(executor, 2), data)).isEqualTo(callerThread);
        assertThat(compress(compression(), data)).isEqualTo(callerThread);
    }

    @Test
    void testToString()
    {
        assertThat(compression().toString()).isEqualTo("snappy (parallel 3, blocks of 262144 bytes)");
        assertThat(compression().suffix()).isEqualTo(".snappy");
    }
}
