package io.xcomhybrid.compress;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.maxQueuedWhileWriting;
import static io.xcomhybrid.compress.CompressionTesting.python;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestParallelGzipCompression
        extends AbstractCompressionTest
        implements GzipInteropTests
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
        // small blocks, so that every test crosses many member boundaries
        return new ParallelGzipCompression(executor, 3, 64 * 1024, GzipCompression.DEFAULT_LEVEL);
    }

    @Test
    void testWritesFourMembersForTheFirstBlockThenOneMemberPerBlock()
            throws Exception
    {
        byte[] data = jsonLines(64 * 1024 * 10 + 5, 90);
        byte[] compressed = compress(compression(), data);
        String script = """
                import sys, zlib
                data = sys.stdin.buffer.read()
                members = 0
                while data:
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    d.decompress(data)
                    assert d.eof
                    data = d.unused_data
                    members += 1
                sys.stdout.write(str(members))
                """;
        // 64 KiB blocks: the first 64 KiB in four 16 KiB members, then 9 full blocks and the last 5 bytes
        assertThat(new String(python(script, compressed), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("14");
        assertThat(decompress(new GzipCompression(), compressed)).isEqualTo(data);
    }

    @Test
    void testMemberIsByteForByteWhatGzipCompressionWrites()
            throws Exception
    {
        // the member is deflated on direct buffers; header, stream and trailer must equal the one-thread codec's
        byte[] json = jsonLines(300_000, 90);
        byte[] random = new byte[70_000];
        new java.util.Random(7).nextBytes(random);
        for (byte[] data : new byte[][] {json, random, new byte[0]}) {
            for (int level : new int[] {1, 6, 9}) {
                assertThat(ParallelGzipCompression.compressMember(data, data.length, level))
                        .as("level %s, %s bytes", level, data.length)
                        .isEqualTo(compress(new GzipCompression(level), data));
            }
        }
    }

    @Test
    void testBlocksInFlightAreBounded()
            throws Exception
    {
        // tasks wait in a queue until released, so the writer must stop after 2 * parallelism blocks
        BlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();
        int parallelism = 2;
        ParallelGzipCompression held = new ParallelGzipCompression(queued::add, parallelism, 4096, 1);
        byte[] data = jsonLines(4096 * 50, 92);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int maxQueued = maxQueuedWhileWriting(held, queued, data, sink, 2 * parallelism);
        assertThat(maxQueued).isLessThanOrEqualTo(2 * parallelism);
        assertThat(decompress(new GzipCompression(), sink.toByteArray())).isEqualTo(data);
    }

    @Test
    void testRejectedBlockFailsWithoutClosingSink()
    {
        ParallelGzipCompression rejecting = new ParallelGzipCompression(task -> {
            throw new RejectedExecutionException("shut down");
        }, 2, 1024, 6);
        TrackingOutputStream sink = new TrackingOutputStream();
        assertThatThrownBy(() -> {
            try (OutputStream out = rejecting.compress(sink)) {
                out.write(new byte[10_000]);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("rejected");
        assertThat(sink.closed).isFalse();
    }

    @Test
    void testCallerThreadExecutor()
            throws Exception
    {
        byte[] data = jsonLines(500_000, 91);
        ParallelGzipCompression direct = new ParallelGzipCompression(Runnable::run, 1, 4096, 1);
        assertThat(decompress(new GzipCompression(), compress(direct, data))).isEqualTo(data);
    }

    @Test
    void testValidation()
    {
        assertThatThrownBy(() -> new ParallelGzipCompression(executor, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParallelGzipCompression(executor, 2, 10, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParallelGzipCompression(executor, 2, 1 << 20, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(compression().name(), compression().suffix())).containsExactly("gzip", ".gz");
    }
}
