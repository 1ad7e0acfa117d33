package io.xcomhybrid.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestReadAheadInputStream
{
    private final AtomicReference<Thread> sourceThread = new AtomicReference<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "source-thread");
        sourceThread.set(thread);
        return thread;
    });

    @AfterEach
    void tearDown()
    {
        executor.shutdownNow();
    }

    @Test
    void readsEveryByteInOrder()
            throws IOException
    {
        byte[] data = new byte[1_000_003];
        new Random(1).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), executor, 4096, 3)) {
            Random sizes = new Random(2);
            byte[] buffer = new byte[10_000];
            while (true) {
                if (sizes.nextInt(10) == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                    continue;
                }
                int n = in.read(buffer, 0, 1 + sizes.nextInt(buffer.length - 1));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void sourceFailureReachesTheReaderUnchangedAfterTheBytesBeforeIt()
            throws IOException
    {
        IOException failure = new IOException("Integrity check failed for file:///x.gz");
        InputStream failing = failingAfter(10_000, Integer.MAX_VALUE, failure);
        try (InputStream in = new ReadAheadInputStream(failing, executor, 1024, 2)) {
            long read = 0;
            byte[] buffer = new byte[777];
            IOException thrown = null;
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    read += n;
                }
            }
            catch (IOException e) {
                thrown = e;
            }
            assertThat(read).isEqualTo(10_000);
            assertThat(thrown).isSameAs(failure);
        }
    }

    @Test
    void readsAtMostAFewChunksAheadAndCloseStopsAndClosesTheSource()
            throws Exception
    {
        AtomicLong produced = new AtomicLong();
        AtomicBoolean sourceClosed = new AtomicBoolean();
        InputStream endless = new InputStream()
        {
            @Override
            public int read()
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len)
            {
                produced.addAndGet(len);
                return len;
            }

            @Override
            public void close()
            {
                sourceClosed.set(true);
            }
        };
        InputStream in = new ReadAheadInputStream(endless, executor, 1024, 3);
        assertThat(in.read(new byte[100])).isEqualTo(100);
        while (sourceThread.get() == null || sourceThread.get().getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertThat(produced.get()).isLessThanOrEqualTo(3 * 1024);
        in.close();
        assertThat(sourceClosed).isTrue();
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }
    @Test
    void transferToCopiesOnTheCallersThreadUnlessReadingStarted()
            throws IOException
    {
        byte[] data = new byte[300_001];
        new Random(3).nextBytes(data);
        java.util.Set<String> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        class Recording
                extends ByteArrayInputStream
        {
            Recording()
            {
                super(data);
            }

            @Override
            public synchronized int read(byte[] b, int off, int len)
            {
                readers.add(Thread.currentThread().getName());
                return super.read(b, off, len);
            }
        }
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        try (InputStream in = new ReadAheadInputStream(new Recording(), executor, 4096, 3)) {
            assertThat(in.transferTo(copied)).isEqualTo(data.length);
        }
        assertThat(copied.toByteArray()).isEqualTo(data);
        assertThat(readers).containsExactly(Thread.currentThread().getName());

        // once reading started, the first chunk came from the reader's thread and the rest is read ahead
        readers.clear();
        copied.reset();
        try (InputStream in = new ReadAheadInputStream(new Recording(), executor, 4096, 3)) {
            copied.write(in.read());
            assertThat(in.transferTo(copied)).isEqualTo(data.length - 1);
        }
        assertThat(copied.toByteArray()).isEqualTo(data);
        assertThat(readers).containsExactlyInAnyOrder(Thread.currentThread().getName(), "source-thread");
    }

    @Test
    void sourceWithinOneChunkIsReadOnTheReadersThreadWithoutAnotherThread()
            throws IOException
    {
        byte[] data = new byte[4096];
        new Random(4).nextBytes(data);
        java.util.Set<String> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean sourceClosed = new AtomicBoolean();
        InputStream source = new ByteArrayInputStream(data)
        {
            @Override
            public synchronized int read(byte[] b, int off, int len)
            {
                readers.add(Thread.currentThread().getName());
                return super.read(b, off, len);
            }

            @Override
            public void close()
            {
                sourceClosed.set(true);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ReadAheadInputStream(source, executor, 4097, 3)) {
            byte[] buffer = new byte[1000];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        }
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(readers).containsExactly(Thread.currentThread().getName());
        assertThat(sourceThread.get()).isNull();
        assertThat(sourceClosed).isTrue();
    }

    @Test
    void failureWithinTheFirstChunkReachesTheReaderAfterTheBytesBeforeIt()
            throws IOException
    {
        IOException failure = new IOException("Cannot read file:///x.lz4: truncated");
        InputStream failing = failingAfter(500, 100, failure);
        try (InputStream in = new ReadAheadInputStream(failing, executor, 1024, 2)) {
            byte[] buffer = new byte[2000];
            assertThat(in.read(buffer)).isEqualTo(500);
            assertThatThrownBy(() -> in.read(buffer)).isSameAs(failure);
        }
        assertThat(sourceThread.get()).isNull();
    }

    /** A source of {@code bytes} zero bytes, at most {@code perRead} per read, that then throws {@code failure}. */
    private static InputStream failingAfter(int bytes, int perRead, IOException failure)
    {
        return new InputStream()
        {
            private int remaining = bytes;

            @Override
            public int read()
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len)
                    throws IOException
            {
                if (remaining == 0) {
                    throw failure;
                }
                int n = Math.min(len, Math.min(perRead, remaining));
                remaining -= n;
                return n;
            }
        };
    }
}
