package io.xcomhybrid.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPipelinedOutputStream
{
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> new Thread(runnable, "target-thread"));

    @AfterEach
    void tearDown()
    {
        executor.shutdownNow();
    }

    @Test
    void deliversEveryByteInOrderOnTheOtherThread()
            throws IOException
    {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream target = new OutputStream()
        {
            @Override
            public void write(int b)
            {
                throw new AssertionError("chunks arrive whole");
            }

            @Override
            public void write(byte[] b, int off, int len)
            {
                threads.add(Thread.currentThread().getName());
                received.write(b, off, len);
            }
        };
        byte[] data = new byte[1_000_003];
        new Random(1).nextBytes(data);
        PipelinedOutputStream out = new PipelinedOutputStream(target, executor, "test object", 4096, 3);
        Random sizes = new Random(2);
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(data.length - offset, sizes.nextInt(10_000));
            if (n == 1) {
                out.write(data[offset]);
            }
            else {
                out.write(data, offset, n);
            }
            offset += n;
        }
        out.finish();
        assertThat(received.toByteArray()).isEqualTo(data);
        assertThat(threads).containsExactly("target-thread");
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("test object");
    }

    @Test
    void writerWaitsWhenTheTargetIsSlow()
            throws Exception
    {
        int chunkSize = 1024;
        int maxChunks = 3;
        CountDownLatch release = new CountDownLatch(1);
        OutputStream blocked = new OutputStream()
        {
            @Override
            public void write(int b)
            {
            }

            @Override
            public void write(byte[] b, int off, int len)
            {
                try {
                    release.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        PipelinedOutputStream out = new PipelinedOutputStream(blocked, executor, "test object", chunkSize, maxChunks);
        AtomicLong accepted = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[chunkSize]);
                    accepted.addAndGet(chunkSize);
                }
                out.finish();
            }
            catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        while (writer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        // one chunk in the target, the others queued: nothing more is buffered
        assertThat(accepted.get()).isLessThanOrEqualTo((long) maxChunks * chunkSize);
        release.countDown();
        writer.join();
        assertThat(accepted.get()).isEqualTo(100L * chunkSize);
    }

    @Test
    void targetFailureReachesTheWriterNamingTheObject()
            throws IOException
    {
        OutputStream failing = new OutputStream()
        {
            @Override
            public void write(int b)
            {
            }

            @Override
            public void write(byte[] b, int off, int len)
                    throws IOException
            {
                throw new IOException("disk full");
            }
        };
        PipelinedOutputStream out = new PipelinedOutputStream(failing, executor, "file:///x/y.gz (key)", 1024, 2);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                out.write(new byte[1024]);
            }
            out.finish();
        })
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot write file:///x/y.gz (key): disk full")
                .hasRootCauseMessage("disk full");
        // the target thread is done and the caller may now discard the target
        out.cancel();
    }

    @Test
    void cancelStopsDeliveryAndWaitsForTheTargetThread()
            throws Exception
    {
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        OutputStream slow = new OutputStream()
        {
            @Override
            public void write(int b)
            {
            }

            @Override
            public void write(byte[] b, int off, int len)
            {
                inWrite.countDown();
                try {
                    release.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                received.addAndGet(len);
            }
        };
        PipelinedOutputStream out = new PipelinedOutputStream(slow, executor, "test object", 1024, 3);
        out.write(new byte[3 * 1024]);
        inWrite.await();
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        Thread canceller = new Thread(() -> {
            out.cancel();
            returned.set(true);
        });
        canceller.start();
        while (canceller.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        // cancel() must not return while the target is still being written
        assertThat(returned.get()).isFalse();
        release.countDown();
        canceller.join();
        assertThat(returned.get()).isTrue();
        // the chunk being written finished; the two queued chunks were dropped
        assertThat(received.get()).isEqualTo(1024);
    }

    @Test
    void anErrorOfTheTargetSurvivesTryWithResources()
    {
        OutOfMemoryError error = new OutOfMemoryError("test: no heap");
        OutputStream failing = new OutputStream()
        {
            @Override
            public void write(int b)
            {
                throw error;
            }

            @Override
            public void write(byte[] b, int off, int len)
            {
                throw error;
            }
        };
        // the write that sees the error throws it; close() then reports it again, and must not hand the same
        // instance to addSuppressed (which throws IllegalArgumentException "Self-suppression not permitted")
        assertThatThrownBy(() -> {
            try (PipelinedOutputStream out = new PipelinedOutputStream(failing, executor, "test object", 16, 2)) {
                for (int i = 0; i < 10_000; i++) {
                    out.write(new byte[16]);
                }
            }
        }).isSameAs(error)
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).singleElement()
                        .isInstanceOf(IOException.class)
                        .satisfies(closeFailure -> assertThat(closeFailure.getCause()).isSameAs(error)));
    }
}
