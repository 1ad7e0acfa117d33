package io.xcomhybrid.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Reads {@code source} on another thread, ahead of the reader, so that the source's work (store, codec, digest)
 * and the reader's (JSON parse) run at the same time. At most {@code maxChunks} chunks of {@code chunkSize}
 * bytes exist per stream. A failure of the source is rethrown to the reader unchanged (same exception), after the
 * bytes read before it. {@link #close()} stops the read-ahead, waits for the source thread and closes the source.
 *
 * <p>The first {@code read} fills the first chunk on the reader's thread (the reader would wait for it anyway), and
 * only a source longer than one chunk gets the other thread, which then reads the rest: a small object costs no
 * hand-over. A reader that only copies calls {@link #transferTo} first and gets the source copied on its own thread:
 * a copy costs less than the hand-over between threads.
 */
final class ReadAheadInputStream
        extends InputStream
{
    private static final Chunk END = new Chunk(new byte[0], 0);

    private static final int COPY_BUFFER_SIZE = 64 * 1024;

    private final InputStream source;
    private final Executor executor;
    private final int chunkSize;
    private final int maxChunks;
    private final BlockingQueue<Chunk> filled = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> empty = new LinkedBlockingQueue<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean closed;
    private int allocated;
    // whether fill() runs (or ran) on the executor; only then does close() wait for it
    private boolean threadStarted;

    private boolean started;
    private Chunk current;
    private int position;
    private boolean atEnd;

    private record Chunk(byte[] bytes, int length) {}

    ReadAheadInputStream(InputStream source, Executor executor, int chunkSize, int maxChunks)
    {
        this.source = requireNonNull(source, "source is null");
        this.executor = requireNonNull(executor, "executor is null");
        if (chunkSize < 1 || maxChunks < 2) {
            throw new IllegalArgumentException("chunkSize must be positive and maxChunks at least 2: " + chunkSize + ", " + maxChunks);
        }
        this.chunkSize = chunkSize;
        this.maxChunks = maxChunks;
    }

    private void start()
            throws IOException
    {
        if (started) {
            return;
        }
        started = true;
        allocated++;
        byte[] buffer = new byte[chunkSize];
        int length;
        try {
            length = readChunk(buffer);
        }
        catch (Throwable e) {
            failure = e;
            filled.add(END);
            return;
        }
        if (length < buffer.length) {
            filled.add(END);
            return;
        }
        try {
            executor.execute(this::fill);
        }
        catch (RejectedExecutionException e) {
            failure = new IOException("No thread to read on (the backend is closed?)", e);
            filled.add(END);
            return;
        }
        threadStarted = true;
    }

    /** Fills {@code buffer} from the source, up to the source's end, and hands what it read to the reader. */
    private int readChunk(byte[] buffer)
            throws IOException
    {
        int length = 0;
        try {
            while (length < buffer.length) {
                int n = source.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        }
        finally {
            // the bytes read before a failure reach the reader before the failure
            if (length > 0) {
                filled.add(new Chunk(buffer, length));
            }
        }
        return length;
    }

    /** The source thread: reads whole chunks until the end, a failure or close. */
    private void fill()
    {
        try {
            while (!closed) {
                byte[] buffer = nextBuffer();
                if (buffer == null) {
                    return;
                }
                if (readChunk(buffer) < buffer.length) {
                    return;
                }
            }
        }
        catch (Throwable e) {
            failure = e;
        }
        finally {
            filled.add(END);
            done.countDown();
        }
    }

    private byte[] nextBuffer()
            throws InterruptedException
    {
        byte[] buffer = empty.poll();
        if (buffer == null && allocated < maxChunks) {
            allocated++;
            return new byte[chunkSize];
        }
        if (buffer == null) {
            // the reader returns each chunk it finished, and close() hands over an empty one, so this cannot wait forever
            buffer = empty.take();
        }
        return buffer.length == 0 ? null : buffer;
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (length == 0) {
            return 0;
        }
        start();
        if (current == null || position == current.length()) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.bytes(), position, bytes, offset, n);
        position += n;
        return n;
    }

    private boolean nextChunk()
            throws IOException
    {
        if (current != null) {
            empty.add(current.bytes());
            current = null;
        }
        if (atEnd) {
            return false;
        }
        Chunk next;
        try {
            next = filled.take();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading ahead");
        }
        if (next == END) {
            atEnd = true;
            Throwable cause = failure;
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            return false;
        }
        current = next;
        position = 0;
        return true;
    }

    @Override
    public long transferTo(OutputStream out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        if (closed) {
            throw new IOException("Stream closed");
        }
        long copied = 0;
        if (!started) {
            byte[] buffer = new byte[COPY_BUFFER_SIZE];
            for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
                out.write(buffer, 0, n);
                copied += n;
            }
            return copied;
        }
        while (current != null && position < current.length() || nextChunk()) {
            out.write(current.bytes(), position, current.length() - position);
            copied += current.length() - position;
            position = current.length();
        }
        return copied;
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        if (!threadStarted) {
            source.close();
            return;
        }
        // wakes the source thread if it waits for a free chunk
        empty.add(new byte[0]);
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            }
            catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
