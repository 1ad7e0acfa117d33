package io.xcomhybrid.s3;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.store.Location;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * The store alone: the AWS SDK v2 calls the library makes, on bytes already compressed in memory, with the very
 * client {@link S3ObjectStoreFactory} builds for the same connection and {@code [xcom_hybrid]} options (this class
 * sits in the library's package to reach that package-private factory method). It is the benchmark's ceiling for
 * the S3 leg of a push or pull:
 * <ul>
 *   <li>{@link #putObject}: one PutObject (CRC32 checksum, {@code If-None-Match: *}, as the library sends);</li>
 *   <li>{@link #putMultipart}: CreateMultipartUpload, UploadPart of {@code s3_part_size} parts with
 *   {@code s3_upload_parallelism} in flight, CompleteMultipartUpload: the library's path for objects over one part;</li>
 *   <li>{@link #getObject}: one streaming GetObject, read to the end;</li>
 *   <li>{@link #getRanged}: ranged GETs of one part each, {@code s3_download_parallelism} in flight: the library's
 *   path for objects over two parts.</li>
 * </ul>
 * Not part of the library; the benchmark main owns and closes it.
 */
public final class S3Ceiling
        implements AutoCloseable
{
    private final S3Client client;
    private final S3StoreConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "s3-ceiling");
        thread.setDaemon(true);
        return thread;
    });

    /** The client of the store that serves {@code base} (an {@code s3://conn_id@bucket/prefix} location) under {@code config}. */
    public S3Ceiling(AirflowConfig config, Location base)
    {
        requireNonNull(config, "config is null");
        this.config = S3StoreConfig.from(config);
        S3ConnectionSettings settings = S3ConnectionSettings.from(base.connId(), base.connId().flatMap(config::connection));
        this.client = S3ObjectStoreFactory.createClient(settings, this.config, resources);
    }

    public S3Client client()
    {
        return client;
    }

    public long partSize()
    {
        return config.partSize();
    }

    public void createBucketIfMissing(String bucket)
    {
        if (client.listBuckets().buckets().stream().noneMatch(existing -> existing.name().equals(bucket))) {
            client.createBucket(request -> request.bucket(bucket));
        }
    }

    public void putObject(Location location, byte[] data)
    {
        client.putObject(request -> request.bucket(location.bucket()).key(location.key()).contentLength((long) data.length)
                        .checksumAlgorithm(config.checksumAlgorithm()).ifNoneMatch(config.conditionalWrites() ? "*" : null),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data), data.length, "application/octet-stream"));
    }

    public void putMultipart(Location location, byte[] data)
    {
        String uploadId = client.createMultipartUpload(request -> request.bucket(location.bucket()).key(location.key())
                .checksumAlgorithm(config.checksumAlgorithm())).uploadId();
        int partSize = Math.toIntExact(config.partSize());
        List<CompletedPart> parts = new ArrayList<>();
        Deque<Future<CompletedPart>> inFlight = new ArrayDeque<>();
        try {
            int partNumber = 1;
            for (int offset = 0; offset < data.length; offset += partSize, partNumber++) {
                while (inFlight.size() >= config.uploadParallelism()) {
                    parts.add(inFlight.removeFirst().get());
                }
                int start = offset;
                int length = Math.min(partSize, data.length - offset);
                int number = partNumber;
                inFlight.addLast(executor.submit(() -> {
                    UploadPartResponse response = client.uploadPart(request -> request.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                                    .partNumber(number).contentLength((long) length).checksumAlgorithm(config.checksumAlgorithm()),
                            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, start, length), length, "application/octet-stream"));
                    return CompletedPart.builder().partNumber(number).eTag(response.eTag()).checksumCRC32(response.checksumCRC32()).build();
                }));
            }
            while (!inFlight.isEmpty()) {
                parts.add(inFlight.removeFirst().get());
            }
            client.completeMultipartUpload(request -> request.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)).ifNoneMatch(config.conditionalWrites() ? "*" : null));
        }
        catch (InterruptedException | ExecutionException | RuntimeException e) {
            client.abortMultipartUpload(request -> request.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
            throw new IllegalStateException("SDK multipart upload to " + location + " failed: " + e.getMessage(), e);
        }
    }

    /** @return bytes read */
    public long getObject(Location location)
    {
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(request -> request.bucket(location.bucket()).key(location.key()))) {
            return drain(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("GetObject of " + location + " failed", e);
        }
    }

    /** @return bytes read */
    public long getRanged(Location location, long size)
    {
        long partSize = config.partSize();
        Deque<Future<Long>> inFlight = new ArrayDeque<>();
        long total = 0;
        try {
            for (long offset = 0; offset < size; offset += partSize) {
                while (inFlight.size() >= config.downloadParallelism()) {
                    total += inFlight.removeFirst().get();
                }
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + partSize) - 1);
                inFlight.addLast(executor.submit(() -> {
                    // a part is read into a buffer of one part, as the library does
                    try (ResponseInputStream<GetObjectResponse> in = client.getObject(request -> request.bucket(location.bucket()).key(location.key()).range(range))) {
                        return (long) in.readAllBytes().length;
                    }
                }));
            }
            while (!inFlight.isEmpty()) {
                total += inFlight.removeFirst().get();
            }
            return total;
        }
        catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("ranged GET of " + location + " failed: " + e.getMessage(), e);
        }
    }

    public void delete(Location location)
    {
        client.deleteObject(request -> request.bucket(location.bucket()).key(location.key()));
    }

    public boolean exists(Location location)
    {
        try {
            client.headObject(request -> request.bucket(location.bucket()).key(location.key()));
            return true;
        }
        catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        }
        catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static long drain(InputStream in)
            throws IOException
    {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
        }
        return total;
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
        S3ObjectStore.closeAll(resources);
    }
}
