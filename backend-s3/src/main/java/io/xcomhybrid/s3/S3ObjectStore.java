package io.xcomhybrid.s3;

import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectEntry;
import io.xcomhybrid.store.ObjectIterator;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Objects in S3 (or an S3-compatible server) through one connection. Owns its {@link S3Client} and the thread pool
 * that uploads and fetches parts for all of its open sinks and sources, and closes them once.
 */
public final class S3ObjectStore
        implements ObjectStore
{
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
    // the DeleteObjects API takes at most 1000 keys per request
    static final int DELETE_BATCH_SIZE = 1000;
    // a clear of 100,000 XComs is 100 requests; a few in flight keep the server busy without flooding it
    static final int DELETE_PARALLELISM = 4;
    private static final AtomicInteger STORE_IDS = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create();

    private final S3Client client;
    private final S3ConnectionSettings settings;
    private final S3StoreConfig config;
    private final ExecutorService executor;
    private final OwnedResources owned;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    S3ObjectStore(S3Client client, S3ConnectionSettings settings, S3StoreConfig config, List<AutoCloseable> resources)
    {
        this.client = requireNonNull(client, "client is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.config = requireNonNull(config, "config is null");
        this.executor = Executors.newCachedThreadPool(daemonThreads("xcom-s3-" + STORE_IDS.incrementAndGet() + "-"));
        this.owned = new OwnedResources(executor, resources, settings.describe());
        this.cleanable = CLEANER.register(this, owned);
    }

    /** The SDK client, for tests that check the server directly (e.g. for leftover multipart uploads). */
    S3Client client()
    {
        return client;
    }

    S3StoreConfig config()
    {
        return config;
    }

    @Override
    public ObjectSink create(Location location)
    {
        ensureOpen();
        requireObjectKey(location);
        return new S3ObjectSink(client, executor, location, config, settings);
    }

    @Override
    public ObjectSource open(Location location)
            throws IOException
    {
        ensureOpen();
        requireObjectKey(location);
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = client.getObject(request -> request.bucket(location.bucket()).key(location.key()));
        }
        catch (NoSuchKeyException e) {
            throw new FileNotFoundException("Object not found: " + location);
        }
        catch (SdkException e) {
            throw S3Errors.translate("open", location, settings, e);
        }
        if (config.downloadParallelism() > 1 && response.response().contentLength() > 2 * config.partSize()) {
            return new ObjectSource(location,
                    new S3RangedInputStream(client, executor, location, settings, response, Math.toIntExact(config.partSize()), config.downloadParallelism()),
                    response.response().metadata());
        }
        return new S3ObjectSource(location, response);
    }

    @Override
    public boolean exists(Location location)
            throws IOException
    {
        ensureOpen();
        requireObjectKey(location);
        try {
            client.headObject(request -> request.bucket(location.bucket()).key(location.key()));
            return true;
        }
        catch (S3Exception e) {
            // a HEAD response has no body, so a missing key and a missing bucket both arrive as a bare 404
            if (e.statusCode() == 404) {
                return false;
            }
            throw S3Errors.translate("check existence of", location, settings, e);
        }
        catch (SdkException e) {
            throw S3Errors.translate("check existence of", location, settings, e);
        }
    }

    @Override
    public void delete(Location location)
            throws IOException
    {
        ensureOpen();
        requireObjectKey(location);
        try {
            client.deleteObject(request -> request.bucket(location.bucket()).key(location.key()));
        }
        catch (SdkException e) {
            throw S3Errors.translate("delete", location, settings, e);
        }
    }

    /**
     * Sends one DeleteObjects request per bucket and 1000 keys, up to {@value #DELETE_PARALLELISM} of them at a time on
     * the store's executor. Objects already gone count as deleted. On a failure no further request is started; the
     * ones in flight finish, and the first failure is thrown with the others suppressed.
     */
    @Override
    public void deleteAll(Collection<Location> locations)
            throws IOException
    {
        ensureOpen();
        Map<String, List<Location>> byBucket = new LinkedHashMap<>();
        for (Location location : locations) {
            requireObjectKey(location);
            byBucket.computeIfAbsent(location.bucket(), bucket -> new ArrayList<>()).add(location);
        }
        List<Map.Entry<String, List<Location>>> batches = new ArrayList<>();
        for (Map.Entry<String, List<Location>> bucket : byBucket.entrySet()) {
            List<Location> all = bucket.getValue();
            for (int start = 0; start < all.size(); start += DELETE_BATCH_SIZE) {
                batches.add(Map.entry(bucket.getKey(), all.subList(start, Math.min(all.size(), start + DELETE_BATCH_SIZE))));
            }
        }
        if (batches.size() == 1) {
            deleteBatch(batches.get(0).getKey(), batches.get(0).getValue());
            return;
        }
        // each worker takes the next batch until none is left or one has failed
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(DELETE_PARALLELISM, batches.size()); i++) {
            workers.add(executor.submit(() -> {
                for (int batch = next.getAndIncrement(); batch < batches.size() && !failed.get(); batch = next.getAndIncrement()) {
                    try {
                        deleteBatch(batches.get(batch).getKey(), batches.get(batch).getValue());
                    }
                    catch (IOException | RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                }
                return null;
            }));
        }
        awaitAll(workers, "delete " + locations.size() + " objects starting with " + batches.get(0).getValue().get(0).withoutConnId());
    }

    private static void awaitAll(List<Future<?>> workers, String operation)
            throws IOException
    {
        IOException failure = null;
        for (Future<?> worker : workers) {
            try {
                worker.get();
            }
            catch (InterruptedException e) {
                workers.forEach(running -> running.cancel(true));
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("Interrupted during " + operation);
                interrupted.initCause(e);
                throw interrupted;
            }
            catch (ExecutionException e) {
                IOException cause = e.getCause() instanceof IOException io ? io : new IOException("Failed to " + operation + ": " + e.getCause().getMessage(), e.getCause());
                if (failure == null) {
                    failure = cause;
                }
                else if (failure != cause) {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void deleteBatch(String bucket, List<Location> batch)
            throws IOException
    {
        List<ObjectIdentifier> keys = batch.stream().map(location -> ObjectIdentifier.builder().key(location.key()).build()).toList();
        DeleteObjectsResponse response;
        try {
            response = client.deleteObjects(request -> request.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build()));
        }
        catch (SdkException e) {
            throw S3Errors.translate("delete " + batch.size() + " objects starting with", batch.get(0), settings, e);
        }
        List<S3Error> errors = response.errors().stream().filter(error -> !"NoSuchKey".equals(error.code())).toList();
        if (!errors.isEmpty()) {
            S3Error first = errors.get(0);
            Location failed = batch.get(0).withoutConnId();
            for (Location location : batch) {
                if (location.key().equals(first.key())) {
                    failed = location;
                    break;
                }
            }
            throw new IOException("Failed to delete " + errors.size() + " of " + batch.size() + " objects, first " + failed + ": "
                    + first.code() + " " + first.message());
        }
    }

    /** Lists with ListObjectsV2, one page of up to 1000 keys at a time, below {@code prefix + "/"}. */
    @Override
    public ObjectIterator list(Location prefix)
            throws IOException
    {
        ensureOpen();
        String keyPrefix = prefix.key().isEmpty() || prefix.key().endsWith("/") ? prefix.key() : prefix.key() + "/";
        Iterator<S3Object> objects;
        try {
            objects = client.listObjectsV2Paginator(request -> request.bucket(prefix.bucket()).prefix(keyPrefix))
                    .contents()
                    .iterator();
        }
        catch (SdkException e) {
            throw S3Errors.translate("list", prefix, settings, e);
        }
        return new ObjectIterator()
        {
            @Override
            public boolean hasNext()
                    throws IOException
            {
                try {
                    return objects.hasNext();
                }
                catch (SdkException e) {
                    throw S3Errors.translate("list", prefix, settings, e);
                }
            }

            @Override
            public ObjectEntry next()
                    throws IOException
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                S3Object object = objects.next();
                Location location = Location.of(prefix.scheme(), prefix.connId(), prefix.bucket() + "/" + object.key());
                return new ObjectEntry(location, object.size(), object.lastModified());
            }
        };
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        owned.closedExplicitly = true;
        cleanable.clean();
    }

    /** What the store closes; also run by the cleaner, with a warning naming where it was created, when a store leaks. */
    private static final class OwnedResources
            implements Runnable
    {
        private final ExecutorService executor;
        private final List<AutoCloseable> resources;
        private final String connection;
        private final Exception createdAt = new Exception("S3ObjectStore created here");
        private volatile boolean closedExplicitly;

        OwnedResources(ExecutorService executor, List<AutoCloseable> resources, String connection)
        {
            this.executor = executor;
            this.resources = List.copyOf(resources);
            this.connection = connection;
        }

        @Override
        public void run()
        {
            if (!closedExplicitly) {
                log.warn("S3ObjectStore for {} was not closed", connection, createdAt);
            }
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            S3ObjectStore.closeAll(resources);
        }
    }

    /** Closes each resource, in order, logging (not throwing) failures: closing must release everything it can. */
    static void closeAll(List<AutoCloseable> resources)
    {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            }
            catch (Exception e) {
                log.warn("Failed to close {}", resource.getClass().getSimpleName(), e);
            }
        }
    }

    private void ensureOpen()
    {
        if (closed) {
            throw new IllegalStateException("S3ObjectStore is closed");
        }
    }

    private static void requireObjectKey(Location location)
    {
        if (location.bucket().isEmpty() || location.key().isEmpty()) {
            throw new IllegalArgumentException("S3 location must name a bucket and a key: " + location);
        }
    }

    private static ThreadFactory daemonThreads(String prefix)
    {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Aborts the HTTP connection instead of draining it when closed before the end of the object. */
    private static final class S3ObjectSource
            extends ObjectSource
    {
        private final ResponseInputStream<GetObjectResponse> response;
        private boolean eof;

        S3ObjectSource(Location location, ResponseInputStream<GetObjectResponse> response)
        {
            super(location, response, response.response().metadata());
            this.response = response;
        }

        @Override
        public int read()
                throws IOException
        {
            int b = readChecked(() -> super.read());
            eof |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int n = readChecked(() -> super.read(buffer, offset, length));
            eof |= n < 0;
            return n;
        }

        private int readChecked(IoIntSupplier read)
                throws IOException
        {
            try {
                return read.get();
            }
            catch (IOException e) {
                throw new IOException("Failed to read " + location() + ": " + e.getMessage(), e);
            }
            catch (SdkException e) {
                throw S3Errors.translate("read", location(), null, e);
            }
        }

        @Override
        public void close()
                throws IOException
        {
            if (!eof) {
                response.abort();
            }
            super.close();
        }
    }

    private interface IoIntSupplier
    {
        int get()
                throws IOException;
    }
}
