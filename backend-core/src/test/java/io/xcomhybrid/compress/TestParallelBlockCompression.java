package io.xcomhybrid.compress;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.maxQueuedWhileWriting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The block machinery of the parallel lz4 and snappy codecs: ordering, bounds, failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestParallelBlockCompression
{
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(3, 3, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());

    @AfterAll
    void tearDown()
    {
        executor.shutdownNow();
    }

    /** Blocks "compressed" as themselves, failing at block {@code failAt} (counting from 0), or never when negative. */
    private static final class Failing
            extends ParallelBlockCompression
    {
        private final AtomicInteger blocks = new AtomicInteger();
        private final int failAt;

        Failing(Executor executor, int failAt)
        {
            super(new SnappyCompression(), executor, 2, 1024);
            this.failAt = failAt;
        }

        @Override
        byte[] header()
        {
            return new byte[] {'H'};
        }

        @Override
        byte[] compressBlock(byte[] data, int length)
        {
            if (blocks.getAndIncrement() == failAt) {
                throw new IllegalStateException("block broke");
            }
            byte[] copy = new byte[length];
            System.arraycopy(data, 0, copy, 0, length);
            return copy;
        }

        @Override
        byte[] trailer()
        {
            return new byte[] {'T'};
        }
    }

    @Test
    void testHeaderBlocksInOrderTrailer()
            throws Exception
    {
        byte[] data = jsonLines(50 * 1024 + 3, 60);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new Failing(executor, -1).compress(sink)) {
            // uneven writes across block boundaries
            for (int offset = 0; offset < data.length; offset += 777) {
                out.write(data, offset, Math.min(777, data.length - offset));
            }
        }
        byte[] written = sink.toByteArray();
        assertThat(written[0]).isEqualTo((byte) 'H');
        assertThat(written[written.length - 1]).isEqualTo((byte) 'T');
        assertThat(java.util.Arrays.copyOfRange(written, 1, written.length - 1)).isEqualTo(data);
    }

    @Test
    void testEmptyValueIsHeaderAndTrailer()
            throws Exception
    {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new Failing(executor, -1).compress(sink).close();
        assertThat(sink.toByteArray()).containsExactly('H', 'T');
    }

    @Test
    void testBlockFailureSurfacesAndLeavesSinkOpen()
    {
        AbstractCompressionTest.TrackingOutputStream sink = new AbstractCompressionTest.TrackingOutputStream();
        assertThatThrownBy(() -> {
            try (OutputStream out = new Failing(executor, 3).compress(sink)) {
                out.write(jsonLines(20 * 1024, 61));
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("Compressing a snappy block failed").hasMessageContaining("block broke");
        assertThat(sink.closed).isFalse();
    }

    @Test
    void testRejectedBlockFailsWithoutClosingSink()
    {
        AbstractCompressionTest.TrackingOutputStream sink = new AbstractCompressionTest.TrackingOutputStream();
        assertThatThrownBy(() -> {
            try (OutputStream out = new Failing(task -> {
                throw new RejectedExecutionException("shut down");
            }, -1).compress(sink)) {
                out.write(new byte[10_000]);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("rejected");
        assertThat(sink.closed).isFalse();
    }

    @Test
    void testAbandonedStreamLeavesNoTaskRunning()
            throws Exception
    {
        // a push that fails elsewhere never closes its codec: its blocks in flight finish and nothing more runs
        // (counted around the pool: its active count misses a task that a worker has taken but not yet started)
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Executor counting = task -> {
            submitted.incrementAndGet();
            executor.execute(() -> {
                try {
                    task.run();
                }
                finally {
                    finished.incrementAndGet();
                }
            });
        };
        OutputStream out = new Failing(counting, -1).compress(new ByteArrayOutputStream());
        out.write(jsonLines(100 * 1024, 62));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (finished.get() < submitted.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int settled = submitted.get();
        Thread.sleep(100);
        assertThat(submitted.get()).isPositive().isEqualTo(settled);
        assertThat(finished.get()).isEqualTo(settled);
    }

    @Test
    void testBlocksInFlightAreBounded()
            throws Exception
    {
        // tasks wait in a queue until released, so the writer must stop after 2 * parallelism blocks
        BlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();
        byte[] data = jsonLines(1024 * 50, 63);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int maxQueued = maxQueuedWhileWriting(new Failing(queued::add, -1), queued, data, sink, 4);
        assertThat(maxQueued).isLessThanOrEqualTo(4);
        byte[] written = sink.toByteArray();
        assertThat(java.util.Arrays.copyOfRange(written, 1, written.length - 1)).isEqualTo(data);
    }
}
