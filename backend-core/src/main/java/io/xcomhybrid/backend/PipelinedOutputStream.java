package io.xcomhybrid.backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Moves the bytes written to it to another thread, which writes them to the target, so that the writer (the JSON
 * encoder) and the target (digest, codec, store) work at the same time. Bytes travel in chunks of
 * {@code chunkSize}; at most {@code maxChunks} exist per stream, so a slow target blocks the writer instead of
 * letting memory grow.
 *
 * <p>{@link #finish()} waits until the target has received every byte; only then may the caller touch the target
 * again (to commit it). A failure of the target surfaces on the writer's next write or on {@code finish()}, naming
 * {@code description}; after it the target receives nothing more. {@link #cancel()} stops the transfer and waits
 * for the target thread, so the caller can discard the target without racing a write. Exactly one of
 * {@code finish()} and {@code cancel()} must be called, or the target thread waits forever.
 *
 * <p>One writer thread; {@link #close()} is {@link #finish()} and leaves the target open.
 */
final class PipelinedOutputStream
        extends OutputStream
{
    static final int DEFAULT_CHUNK_SIZE = 256 * 1024;
    static final int DEFAULT_MAX_CHUNKS = 4;

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final OutputStream target;
    private final String description;
    private final int chunkSize;
    private final int maxChunks;
    private final BlockingQueue<Chunk> filled = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> empty;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable failure;
    private boolean errorThrown;
    private volatile boolean cancelled;

    private int allocated;
    private byte[] current;
    private int count;
    private boolean ended;

    private record Chunk(byte[] bytes, int length) {}

    PipelinedOutputStream(OutputStream target, Executor executor, String description)
            throws IOException
    {
        this(target, executor, description, DEFAULT_CHUNK_SIZE, DEFAULT_MAX_CHUNKS);
    }

    PipelinedOutputStream(OutputStream target, Executor executor, String description, int chunkSize, int maxChunks)
            throws IOException
    {
        this.target = requireNonNull(target, "target is null");
        this.description = requireNonNull(description, "description is null");
        if (chunkSize < 1 || maxChunks < 2) {
            throw new IllegalArgumentException("chunkSize must be positive and maxChunks at least 2: " + chunkSize + ", " + maxChunks);
        }
        this.chunkSize = chunkSize;
        this.maxChunks = maxChunks;
        this.empty = new ArrayBlockingQueue<>(maxChunks);
        try {
            executor.execute(this::drain);
        }
        catch (RejectedExecutionException e) {
            throw new IOException("Cannot write " + description + ": no thread to compress on (the backend is closed?)", e);
        }
    }

    /** The target thread: writes chunks in order until the end, and after a failure keeps recycling them unwritten. */
    private void drain()
    {
        try {
            while (true) {
                Chunk chunk = filled.take();
                if (chunk == END) {
                    return;
                }
                if (failure == null && !cancelled) {
                    try {
                        target.write(chunk.bytes(), 0, chunk.length());
                    }
                    catch (Throwable e) {
                        failure = e;
                    }
                }
                empty.add(chunk.bytes());
            }
        }
        catch (InterruptedException e) {
            // only an executor shut down with shutdownNow() interrupts; the writer sees the failure
            failure = new InterruptedIOException("Interrupted while writing " + description);
        }
        finally {
            done.countDown();
        }
    }

    @Override
    public void write(int b)
            throws IOException
    {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureWritable();
        while (length > 0) {
            if (current == null) {
                current = nextBuffer();
            }
            int n = Math.min(length, chunkSize - count);
            System.arraycopy(bytes, offset, current, count, n);
            count += n;
            offset += n;
            length -= n;
            if (count == chunkSize) {
                hand();
            }
        }
    }

    private byte[] nextBuffer()
            throws IOException
    {
        byte[] buffer = empty.poll();
        if (buffer != null) {
            return buffer;
        }
        if (allocated < maxChunks) {
            allocated++;
            return new byte[chunkSize];
        }
        try {
            // the target thread returns every chunk, written or not, so this cannot wait forever
            return empty.take();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while writing " + description);
        }
    }

    private void hand()
            throws IOException
    {
        ensureWritable();
        filled.add(new Chunk(current, count));
        current = null;
        count = 0;
    }

    private void ensureWritable()
            throws IOException
    {
        if (ended) {
            throw new IOException("Stream to " + description + " is finished");
        }
        throwIfFailed();
    }

    private void throwIfFailed()
            throws IOException
    {
        Throwable cause = failure;
        if (cause == null) {
            return;
        }
        if (cause instanceof Error error && !errorThrown) {
            // thrown once as it is; a second throw of the same instance (close() in a try-with-resources after the
            // failed write) would make the JVM add it to itself as suppressed, which fails and hides it
            errorThrown = true;
            throw error;
        }
        String message = String.valueOf(cause.getMessage());
        throw new IOException(message.contains(description) ? message : "Cannot write " + description + ": " + message, cause);
    }

    /** Hands over what is left and waits until the target has written everything. */
    void finish()
            throws IOException
    {
        if (ended) {
            throwIfFailed();
            return;
        }
        if (count > 0) {
            hand();
        }
        ended = true;
        filled.add(END);
        try {
            done.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
            awaitUninterruptibly();
            throw new InterruptedIOException("Interrupted while writing " + description);
        }
        throwIfFailed();
    }

    /** Stops the transfer (the target gets no more bytes) and waits until the target thread no longer uses it. */
    void cancel()
    {
        cancelled = true;
        if (!ended) {
            ended = true;
            filled.add(END);
        }
        awaitUninterruptibly();
    }

    private void awaitUninterruptibly()
    {
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
    }

    @Override
    public void close()
            throws IOException
    {
        finish();
    }
}
