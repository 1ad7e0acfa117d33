package io.xcomhybrid.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * A format whose stream is a header, blocks compressed independently of each other, and a trailer, compressed on
 * several threads: the value is cut into blocks of {@code blockSize} bytes (a format may make the first ones
 * smaller: {@link #nextBlockSize}), each block is compressed on the executor, and the results are written in order.
 * The output depends only on the input and the block sizes, not on the threads or their timing. Reading is the
 * single-threaded codec's.
 *
 * <p>Memory per open stream is bounded: at most {@code 2 * parallelism} blocks are in flight, each holding its input
 * and its compressed output; input blocks are reused. The executor is the caller's and is shared by all streams; this
 * class never shuts it down. A block that failed to compress fails the write or close that collects it; a stream
 * that is abandoned (not closed) leaves at most its blocks in flight to finish on the executor.
 */
abstract class ParallelBlockCompression
        extends StreamingCompression
{
    private final StreamingCompression reader;
    private final Executor executor;
    private final int parallelism;
    private final int blockSize;

    /**
     * @param reader the single-threaded codec of the same format, which reads what this class writes
     * @param executor runs the block compressions; should have about {@code parallelism} threads
     * @param parallelism blocks compressed at the same time by one stream
     */
    ParallelBlockCompression(StreamingCompression reader, Executor executor, int parallelism, int blockSize)
    {
        super(reader.name(), reader.suffix());
        this.reader = reader;
        this.executor = requireNonNull(executor, "executor is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.parallelism = parallelism;
        this.blockSize = blockSize;
    }

    /** Bytes that begin the stream, before the first block. */
    abstract byte[] header();

    /** {@code data[0..length)} compressed as one block of the format; called on the executor's threads. */
    abstract byte[] compressBlock(byte[] data, int length);

    /** Bytes that end the stream, after the last block. */
    abstract byte[] trailer();

    /** Uncompressed bytes of the next block, once {@code submitted} bytes are in earlier blocks; at most {@link #blockSize()}. */
    int nextBlockSize(long submitted)
    {
        return blockSize;
    }

    /** Whether an empty value is written as one empty block (a format with no header of its own needs one). */
    boolean emptyValueHasBlock()
    {
        return false;
    }

    @Override
    final OutputStream encoder(OutputStream out)
    {
        return new ParallelBlockOutputStream(out);
    }

    @Override
    final InputStream decoder(InputStream in)
            throws IOException
    {
        return reader.decoder(in);
    }

    int parallelism()
    {
        return parallelism;
    }

    int blockSize()
    {
        return blockSize;
    }

    private record Pending(byte[] input, CompletableFuture<byte[]> output) {}

    private final class ParallelBlockOutputStream
            extends OutputStream
    {
        private final OutputStream out;
        private final Deque<Pending> pending = new ArrayDeque<>();
        private final Deque<byte[]> free = new ArrayDeque<>();
        private byte[] block;
        private int blockLength;
        private int count;
        private long submitted;
        private boolean started;
        private boolean closed;

        ParallelBlockOutputStream(OutputStream out)
        {
            this.out = out;
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
            ensureOpen();
            while (length > 0) {
                if (block == null) {
                    newBlock();
                }
                int n = Math.min(length, blockLength - count);
                System.arraycopy(bytes, offset, block, count, n);
                count += n;
                offset += n;
                length -= n;
                if (count == blockLength) {
                    submitBlock();
                }
            }
        }

        private void newBlock()
        {
            blockLength = nextBlockSize(submitted);
            // arrays of smaller first blocks are dropped once blocks grow
            while (!free.isEmpty() && free.peekFirst().length < blockLength) {
                free.removeFirst();
            }
            block = free.isEmpty() ? new byte[blockLength] : free.removeFirst();
        }

        private void submitBlock()
                throws IOException
        {
            while (pending.size() >= 2 * parallelism) {
                writeOldest();
            }
            byte[] data = block;
            int length = count;
            CompletableFuture<byte[]> output;
            try {
                output = CompletableFuture.supplyAsync(() -> compressBlock(data, length), executor);
            }
            catch (RejectedExecutionException e) {
                throw new IOException("Parallel %s executor rejected a block".formatted(name()), e);
            }
            pending.add(new Pending(data, output));
            submitted += length;
            block = null;
            count = 0;
            // blocks already compressed go out now rather than when the window is full, so the sink (an S3
            // multipart upload) gets bytes as early as possible
            while (!pending.isEmpty() && pending.peekFirst().output().isDone()) {
                writeOldest();
            }
        }

        private void writeOldest()
                throws IOException
        {
            Pending oldest = pending.removeFirst();
            byte[] compressed;
            try {
                compressed = oldest.output().get();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting for a %s block".formatted(name()));
            }
            catch (ExecutionException | CancellationException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IOException("Compressing a %s block failed: %s".formatted(name(), cause), cause);
            }
            free.add(oldest.input());
            writeHeaderOnce();
            out.write(compressed);
        }

        private void writeHeaderOnce()
                throws IOException
        {
            if (!started) {
                started = true;
                out.write(header());
            }
        }

        private void ensureOpen()
                throws IOException
        {
            if (closed) {
                throw new IOException("Compression stream is closed");
            }
        }

        @Override
        public void close()
                throws IOException
        {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (count > 0 || (submitted == 0 && emptyValueHasBlock())) {
                    if (block == null) {
                        newBlock();
                    }
                    submitBlock();
                }
                while (!pending.isEmpty()) {
                    writeOldest();
                }
                writeHeaderOnce();
                out.write(trailer());
            }
            catch (IOException | RuntimeException e) {
                pending.forEach(blockInFlight -> blockInFlight.output().cancel(false));
                pending.clear();
                throw e;
            }
            out.close();
        }
    }
}
