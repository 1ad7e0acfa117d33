package io.xcomhybrid.s3;

import io.xcomhybrid.store.Location;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * Reads a large object with parallel ranged GETs. The first part streams from the plain GET that opened the object
 * (which also gave its size, ETag and metadata) while the following parts are fetched ahead, {@code parallelism} at a
 * time, each into a buffer of one part, so memory stays below {@code (parallelism + 1) * part size}. Every ranged GET
 * carries {@code If-Match} with the ETag of the first response, so an object replaced during the read fails the read
 * instead of mixing two versions.
 */
final class S3RangedInputStream
        extends InputStream
{
    private final S3Client client;
    private final ExecutorService executor;
    private final Location location;
    private final S3ConnectionSettings settings;
    private final String eTag;
    private final long size;
    private final int partSize;
    private final int parallelism;

    private ResponseInputStream<GetObjectResponse> first;
    private long firstRemaining;
    private final Deque<Future<byte[]>> ahead = new ArrayDeque<>();
    private long nextRangeStart;
    private byte[] current;
    private int currentOffset;
    private boolean closed;

    S3RangedInputStream(S3Client client, ExecutorService executor, Location location, S3ConnectionSettings settings,
            ResponseInputStream<GetObjectResponse> first, int partSize, int parallelism)
    {
        this.client = requireNonNull(client, "client is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.location = requireNonNull(location, "location is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.first = requireNonNull(first, "first is null");
        this.eTag = first.response().eTag();
        this.size = first.response().contentLength();
        this.partSize = partSize;
        this.parallelism = parallelism;
        this.firstRemaining = Math.min(size, partSize);
        this.nextRangeStart = firstRemaining;
        fetchAhead();
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            throw new IOException("Stream for " + location + " is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (first != null) {
            int n;
            try {
                n = first.read(buffer, offset, (int) Math.min(length, firstRemaining));
            }
            catch (IOException e) {
                throw new IOException("Failed to read " + location + ": " + e.getMessage(), e);
            }
            if (n < 0) {
                throw new EOFException("Object " + location + " ended after " + (Math.min(size, partSize) - firstRemaining) + " of " + size + " bytes");
            }
            firstRemaining -= n;
            if (firstRemaining == 0) {
                // the rest of this response is fetched by ranges: drop the connection rather than drain it
                first.abort();
                first = null;
            }
            return n;
        }
        while (current == null || currentOffset == current.length) {
            if (ahead.isEmpty()) {
                return -1;
            }
            current = await(ahead.removeFirst());
            currentOffset = 0;
            fetchAhead();
        }
        int n = Math.min(length, current.length - currentOffset);
        System.arraycopy(current, currentOffset, buffer, offset, n);
        currentOffset += n;
        return n;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        if (first != null) {
            first.abort();
            first = null;
        }
        for (Future<byte[]> future : ahead) {
            future.cancel(true);
        }
        ahead.clear();
        current = null;
    }

    private void fetchAhead()
    {
        while (ahead.size() < parallelism && nextRangeStart < size) {
            long start = nextRangeStart;
            int length = (int) Math.min(partSize, size - start);
            nextRangeStart += length;
            ahead.addLast(executor.submit(() -> fetchRange(start, length)));
        }
    }

    private byte[] fetchRange(long start, int length)
            throws IOException
    {
        String range = "bytes=" + start + "-" + (start + length - 1);
        try (ResponseInputStream<GetObjectResponse> response = client.getObject(request -> request
                .bucket(location.bucket())
                .key(location.key())
                .range(range)
                .ifMatch(eTag))) {
            // straight into one array of the part's size: readNBytes(int) would collect chunks and copy them, holding
            // twice the part per fetch and breaking the (parallelism + 1) * part size bound
            byte[] data = new byte[length];
            if (response.readNBytes(data, 0, length) != length) {
                throw new EOFException("Object " + location + " ended inside " + range + " (size " + size + ")");
            }
            return data;
        }
        catch (SdkException e) {
            IOException failure = S3Errors.translate("read " + range + " of", location, settings, e);
            if (failure instanceof FileAlreadyExistsException) {
                // If-Match failed: a 412 here means the object changed, not that it exists
                throw new IOException("Object " + location + " changed while it was being read", e);
            }
            throw failure;
        }
    }

    private byte[] await(Future<byte[]> future)
            throws IOException
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("Interrupted while reading " + location);
        }
        catch (CancellationException e) {
            throw new IOException("Read of " + location + " was cancelled", e);
        }
        catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("Failed to read " + location + ": " + e.getCause(), e.getCause());
        }
    }
}
