package io.xcomhybrid.s3;

import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * Streams one new object to S3, in the manner of Trino's {@code S3OutputStream}: bytes collect in a buffer of one
 * part; an object of at most one part is stored with a single PutObject on {@link #close()}; a larger one becomes a
 * multipart upload whose parts are sent on the store's executor while the next part fills, with at most
 * {@code uploadParallelism} parts in flight, so memory stays below {@code (parallelism + 1) * part size}.
 *
 * <p>Both PutObject and CompleteMultipartUpload carry {@code If-None-Match: *} (unless conditional writes are
 * disabled), so the server refuses to replace an existing object and nothing becomes visible before close. Any
 * failure aborts the multipart upload before the exception reaches the caller; failures while aborting are attached
 * as suppressed. If that abort itself failed (server unreachable), {@link #abort()} tries again.
 *
 * <p>Metadata from {@link #setMetadata} is stored as S3 user metadata only with a single PutObject: a multipart
 * upload declares its metadata when it starts, before the content (and so the metadata) is known. So
 * {@link #storesMetadata()} turns false when the first part is sent, and the writer stops computing the digest it
 * would have recorded.
 *
 * <p>Not thread safe, like any {@code OutputStream}.
 */
final class S3ObjectSink
        extends ObjectSink
{
    private final S3Client client;
    private final ExecutorService executor;
    private final Location location;
    private final S3StoreConfig config;
    private final S3ConnectionSettings settings;
    private final int partSize;

    private byte[] buffer = new byte[0];
    private int bufferSize;
    private final Deque<byte[]> spareBuffers = new ArrayDeque<>();

    private String uploadId;
    // read by the writer's digest, which may run on another thread than the one that sends parts
    private volatile boolean multipart;
    private int nextPartNumber = 1;
    private final Deque<Future<CompletedPart>> inFlight = new ArrayDeque<>();
    private final List<CompletedPart> completedParts = new ArrayList<>();

    private Map<String, String> metadata = Map.of();
    private boolean closed;
    private boolean failed;
    // the upload the server may still hold because aborting it failed; abort() retries it
    private String unabortedUploadId;

    S3ObjectSink(S3Client client, ExecutorService executor, Location location, S3StoreConfig config, S3ConnectionSettings settings)
    {
        this.client = requireNonNull(client, "client is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.location = requireNonNull(location, "location is null");
        this.config = requireNonNull(config, "config is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.partSize = Math.toIntExact(config.partSize());
    }

    @Override
    public void write(int b)
            throws IOException
    {
        ensureOpen();
        if (bufferSize == partSize) {
            runOrAbort(() -> flushPart(false));
        }
        ensureCapacity(bufferSize + 1);
        buffer[bufferSize++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        ensureOpen();
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            // a full part is sent only once more bytes arrive, so an object of exactly one part is a single PutObject
            if (bufferSize == partSize) {
                runOrAbort(() -> flushPart(false));
            }
            int chunk = Math.min(length, partSize - bufferSize);
            ensureCapacity(bufferSize + chunk);
            System.arraycopy(bytes, offset, buffer, bufferSize, chunk);
            bufferSize += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    @Override
    public void setMetadata(Map<String, String> metadata)
    {
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public boolean storesMetadata()
    {
        return !multipart;
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        if (uploadId == null) {
            putObject();
            return;
        }
        runOrAbort(() -> {
            if (bufferSize > 0) {
                flushPart(true);
            }
            while (!inFlight.isEmpty()) {
                completedParts.add(await(inFlight.removeFirst()));
            }
            completeMultipartUpload();
        });
    }

    @Override
    public void abort()
            throws IOException
    {
        if (closed && unabortedUploadId == null) {
            return;
        }
        closed = true;
        buffer = null;
        if (uploadId != null) {
            abortUpload();
        }
        else if (unabortedUploadId != null) {
            uploadId = unabortedUploadId;
            abortUpload();
        }
    }

    private void ensureOpen()
            throws IOException
    {
        if (closed) {
            throw new IOException("Stream for " + location + " is " + (failed ? "failed and aborted" : "closed"));
        }
    }

    private void ensureCapacity(int needed)
    {
        if (needed <= buffer.length) {
            return;
        }
        // grow gradually so a small value never allocates a whole part
        int capacity = (int) Math.min(partSize, Math.max((long) needed, Math.max(8192L, buffer.length * 2L)));
        byte[] grown = new byte[capacity];
        System.arraycopy(buffer, 0, grown, 0, bufferSize);
        buffer = grown;
    }

    private void putObject()
            throws IOException
    {
        byte[] data = buffer;
        int length = bufferSize;
        buffer = null;
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(location.key())
                .contentLength((long) length)
                .checksumAlgorithm(config.checksumAlgorithm())
                .metadata(metadata);
        if (config.conditionalWrites()) {
            request.ifNoneMatch("*");
        }
        config.serverSideEncryption().ifPresent(request::serverSideEncryption);
        config.sseKmsKeyId().ifPresent(request::ssekmsKeyId);
        config.storageClass().ifPresent(request::storageClass);
        config.objectTags().ifPresent(request::tagging);
        try {
            client.putObject(request.build(), RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                    "application/octet-stream"));
        }
        catch (SdkException e) {
            failed = true;
            throw S3Errors.translate("create", location, settings, e);
        }
    }

    private void flushPart(boolean last)
            throws IOException
    {
        if (uploadId == null) {
            multipart = true;
            createMultipartUpload();
        }
        while (inFlight.size() >= config.uploadParallelism()) {
            completedParts.add(await(inFlight.removeFirst()));
        }
        byte[] data = buffer;
        int length = bufferSize;
        int partNumber = nextPartNumber++;
        String id = uploadId;
        inFlight.addLast(executor.submit(() -> {
            try {
                UploadPartResponse response = client.uploadPart(
                        request -> request.bucket(location.bucket()).key(location.key()).uploadId(id).partNumber(partNumber)
                                .contentLength((long) length).checksumAlgorithm(config.checksumAlgorithm()),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length, "application/octet-stream"));
                return completedPart(partNumber, response);
            }
            catch (SdkException e) {
                throw S3Errors.translate("upload part " + partNumber + " of", location, settings, e);
            }
            finally {
                releaseBuffer(data);
            }
        }));
        buffer = last ? null : takeBuffer();
        bufferSize = 0;
    }

    private void createMultipartUpload()
            throws IOException
    {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(location.bucket())
                .key(location.key())
                .checksumAlgorithm(config.checksumAlgorithm());
        config.serverSideEncryption().ifPresent(request::serverSideEncryption);
        config.sseKmsKeyId().ifPresent(request::ssekmsKeyId);
        config.storageClass().ifPresent(request::storageClass);
        config.objectTags().ifPresent(request::tagging);
        try {
            uploadId = client.createMultipartUpload(request.build()).uploadId();
        }
        catch (SdkException e) {
            throw S3Errors.translate("start a multipart upload of", location, settings, e);
        }
    }

    private void completeMultipartUpload()
            throws IOException
    {
        try {
            client.completeMultipartUpload(request -> {
                request.bucket(location.bucket())
                        .key(location.key())
                        .uploadId(uploadId)
                        .multipartUpload(upload -> upload.parts(completedParts));
                if (config.conditionalWrites()) {
                    request.ifNoneMatch("*");
                }
            });
        }
        catch (SdkException e) {
            throw S3Errors.translate("complete the multipart upload of", location, settings, e);
        }
        uploadId = null;
    }

    private CompletedPart completedPart(int partNumber, UploadPartResponse response)
    {
        CompletedPart.Builder part = CompletedPart.builder().partNumber(partNumber).eTag(response.eTag());
        ChecksumAlgorithm algorithm = config.checksumAlgorithm();
        switch (algorithm) {
            case CRC32 -> part.checksumCRC32(response.checksumCRC32());
            case CRC32_C -> part.checksumCRC32C(response.checksumCRC32C());
            case SHA1 -> part.checksumSHA1(response.checksumSHA1());
            case SHA256 -> part.checksumSHA256(response.checksumSHA256());
            case CRC64_NVME -> part.checksumCRC64NVME(response.checksumCRC64NVME());
            default -> throw new IllegalStateException("Unsupported checksum algorithm: " + algorithm);
        }
        return part.build();
    }

    private synchronized void releaseBuffer(byte[] data)
    {
        if (data.length == partSize && spareBuffers.size() < config.uploadParallelism()) {
            spareBuffers.push(data);
        }
    }

    private synchronized byte[] takeBuffer()
    {
        byte[] spare = spareBuffers.poll();
        return spare != null ? spare : new byte[partSize];
    }

    private static CompletedPart await(Future<CompletedPart> future)
            throws IOException
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while uploading a part");
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private interface IoAction
    {
        void run()
                throws IOException;
    }

    /** Runs a step of a multipart upload; on any failure stops the other parts and aborts the upload. */
    private void runOrAbort(IoAction action)
            throws IOException
    {
        try {
            action.run();
        }
        catch (IOException | RuntimeException | Error e) {
            failed = true;
            closed = true;
            buffer = null;
            if (uploadId != null) {
                try {
                    abortUpload();
                }
                catch (IOException | RuntimeException abortFailure) {
                    e.addSuppressed(abortFailure);
                }
            }
            throw e;
        }
    }

    private void abortUpload()
            throws IOException
    {
        // Interrupting a running part makes the SDK give it up; a part that still lands after the abort is rejected
        // by the server (NoSuchUpload), so nothing is left behind.
        for (Future<CompletedPart> future : inFlight) {
            future.cancel(true);
        }
        inFlight.clear();
        String id = uploadId;
        uploadId = null;
        try {
            client.abortMultipartUpload(request -> request.bucket(location.bucket()).key(location.key()).uploadId(id));
            unabortedUploadId = null;
        }
        catch (SdkException e) {
            if (e instanceof NoSuchUploadException) {
                unabortedUploadId = null;
                return;
            }
            unabortedUploadId = id;
            throw S3Errors.translate("abort the multipart upload " + id + " of", location, settings, e);
        }
    }
}
