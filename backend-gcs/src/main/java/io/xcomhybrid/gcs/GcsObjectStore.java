package io.xcomhybrid.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.BatchResult;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BucketField;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageException;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.LookaheadObjectIterator;
import io.xcomhybrid.store.ObjectEntry;
import io.xcomhybrid.store.ObjectIterator;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.ref.Cleaner;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Objects in Google Cloud Storage under {@code gs://[conn_id@]bucket/name} (or {@code gcs://}). Creates are
 * exclusive through an {@code ifGenerationMatch=0} precondition, so no existence check races a concurrent writer;
 * see {@link GcsObjectSink} for the upload paths. Reads stream the stored bytes of the generation whose metadata
 * was read, without decompressive transcoding.
 *
 * <p>Owns its {@link Storage} client, built by {@link GcsObjectStoreFactory} for one connection, and the threads that send
 * batch deletes, and closes them once.
 */
public final class GcsObjectStore
        implements ObjectStore
{
    // the JSON API accepts at most 100 calls in one batch request
    private static final int BATCH_LIMIT = 100;
    // a clear of 100,000 XComs is 1000 batch requests; a few in flight keep the server busy without flooding it (as S3's)
    static final int DELETE_PARALLELISM = 4;
    private static final AtomicInteger STORE_IDS = new AtomicInteger();
    private static final int LIST_PAGE_SIZE = 1000;
    private static final Logger log = LoggerFactory.getLogger(GcsObjectStore.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Storage storage;
    private final GcsStoreConfig config;
    private final String principal;
    private final ExecutorService deleteExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Cleaner.Cleanable leakCheck;

    GcsObjectStore(Storage storage, GcsStoreConfig config, String principal)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.config = requireNonNull(config, "config is null");
        this.principal = requireNonNull(principal, "principal is null");
        this.deleteExecutor = deleteExecutor(STORE_IDS.incrementAndGet());
        this.leakCheck = CLEANER.register(this, new LeakWarning(closed, principal, new Throwable("GcsObjectStore created here")));
    }

    @Override
    public ObjectSink create(Location location)
    {
        return new GcsObjectSink(this, location, blobId(location), config.chunkSize());
    }

    @Override
    public ObjectSource open(Location location)
            throws IOException
    {
        BlobId blobId = blobId(location);
        Blob blob;
        try {
            blob = storage.get(blobId);
        }
        catch (StorageException e) {
            throw translate(e, location, "open");
        }
        if (blob == null) {
            throw notFound(location);
        }
        // Pin the generation whose metadata we return, and never let the server gunzip (Content-Encoding: gzip)
        ReadChannel reader = storage.reader(
                BlobId.of(blobId.getBucket(), blobId.getName(), blob.getGeneration()),
                BlobSourceOption.shouldReturnRawInputStream(true));
        reader.setChunkSize(config.chunkSize());
        return new ObjectSource(location, new LocatedInputStream(location, Channels.newInputStream(reader)), userMetadata(blob));
    }

    @Override
    public boolean exists(Location location)
            throws IOException
    {
        try {
            return storage.get(blobId(location), BlobGetOption.fields(BlobField.NAME)) != null;
        }
        catch (StorageException e) {
            throw translate(e, location, "check");
        }
    }

    @Override
    public void delete(Location location)
            throws IOException
    {
        try {
            storage.delete(blobId(location));
        }
        catch (StorageException e) {
            throw translate(e, location, "delete");
        }
    }

    /**
     * Deletes in batch requests of up to {@value #BATCH_LIMIT} objects, up to {@value #DELETE_PARALLELISM} of them at a
     * time on the store's delete threads. A missing object is not an error; any other failure is, naming the object.
     * After a failure no further batch is started (the ones in flight finish) and the exception says how many objects
     * failed and how many were not attempted, with every failure suppressed.
     */
    @Override
    public void deleteAll(Collection<Location> locations)
            throws IOException
    {
        List<Location> all = List.copyOf(locations);
        List<BlobId> blobIds = all.stream().map(GcsObjectStore::blobId).toList();
        int batches = (all.size() + BATCH_LIMIT - 1) / BATCH_LIMIT;
        Queue<IOException> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger attempted = new AtomicInteger();
        AtomicInteger failedObjects = new AtomicInteger();
        if (batches == 1) {
            failedObjects.set(deleteBatch(all, blobIds, 0, failures));
            attempted.set(all.size());
        }
        else if (batches > 1) {
            // each worker takes the next batch until none is left or one has failed
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < Math.min(DELETE_PARALLELISM, batches); i++) {
                workers.add(deleteExecutor.submit(() -> {
                    for (int batch = next.getAndIncrement(); batch < batches && failures.isEmpty(); batch = next.getAndIncrement()) {
                        int start = batch * BATCH_LIMIT;
                        failedObjects.addAndGet(deleteBatch(all, blobIds, start, failures));
                        attempted.addAndGet(Math.min(BATCH_LIMIT, all.size() - start));
                    }
                }));
            }
            awaitAll(workers, all);
        }
        if (!failures.isEmpty()) {
            int notAttempted = all.size() - attempted.get();
            IOException failure = new IOException("Failed to delete " + failedObjects.get() + " of " + all.size() + " objects"
                    + (notAttempted > 0 ? " (" + notAttempted + " not attempted after the failure)" : "") + "; first: " + failures.peek().getMessage());
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /**
     * Sends one batch request deleting the objects from {@code start} on, adding its failures (each naming its object,
     * or the first object of a batch that failed as a whole) to {@code failures}; returns how many objects failed.
     */
    private int deleteBatch(List<Location> all, List<BlobId> blobIds, int start, Queue<IOException> failures)
    {
        int end = Math.min(all.size(), start + BATCH_LIMIT);
        List<IOException> objectFailures = new ArrayList<>();
        StorageBatch batch = storage.batch();
        for (int i = start; i < end; i++) {
            Location location = all.get(i);
            batch.delete(blobIds.get(i)).notify(new BatchResult.Callback<>()
            {
                @Override
                public void success(Boolean deleted)
                {
                }

                @Override
                public void error(StorageException e)
                {
                    if (e.getCode() != 404) {
                        objectFailures.add(translate(e, location, "delete"));
                    }
                }
            });
        }
        try {
            batch.submit();
        }
        catch (StorageException e) {
            failures.add(translate(e, all.get(start), "delete (batch of " + (end - start) + " objects starting at)"));
            return end - start;
        }
        catch (RuntimeException e) {
            failures.add(new IOException("Failed to delete a batch of " + (end - start) + " objects starting at " + all.get(start) + ": " + e.getMessage(), e));
            return end - start;
        }
        failures.addAll(objectFailures);
        return objectFailures.size();
    }

    private static void awaitAll(List<Future<?>> workers, List<Location> all)
            throws IOException
    {
        for (Future<?> worker : workers) {
            try {
                worker.get();
            }
            catch (InterruptedException e) {
                workers.forEach(running -> running.cancel(true));
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("Interrupted while deleting " + all.size() + " objects starting with " + all.get(0));
                interrupted.initCause(e);
                throw interrupted;
            }
            catch (ExecutionException e) {
                // deleteBatch reports failures instead of throwing: this is an Error or a bug
                throw new IOException("Failed to delete " + all.size() + " objects starting with " + all.get(0) + ": " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public ObjectIterator list(Location prefix)
            throws IOException
    {
        String bucket = bucket(prefix);
        String key = prefix.key();
        // a '/' boundary, so that prefix dag/run does not match dag/run2
        String namePrefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
        Page<Blob> first;
        try {
            first = storage.list(bucket,
                    BlobListOption.prefix(namePrefix),
                    BlobListOption.pageSize(LIST_PAGE_SIZE),
                    BlobListOption.fields(BlobField.NAME, BlobField.SIZE, BlobField.UPDATED));
        }
        catch (StorageException e) {
            if (e.getCode() == 404) {
                throw (IOException) new FileNotFoundException("Bucket does not exist: gs://" + bucket + " (listing " + prefix + ")").initCause(e);
            }
            throw translate(e, prefix, "list");
        }
        return new BlobIterator(prefix, bucket, first);
    }

    @Override
    public void close()
            throws IOException
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leakCheck.clean();
        deleteExecutor.shutdown();
        try {
            storage.close();
        }
        catch (Exception e) {
            throw new IOException("Failed to close the GCS client (" + principal + ")", e);
        }
    }

    /** Logs where an unclosed store was created when it is garbage collected (the check must not reference the store). */
    private record LeakWarning(AtomicBoolean closed, String principal, Throwable creation)
            implements Runnable
    {
        @Override
        public void run()
        {
            if (!closed.get()) {
                log.warn("GcsObjectStore ({}) was never closed", principal, creation);
            }
        }
    }

    /** Threads start on the first multi-batch delete and end after a minute idle; daemons, so a store left open never holds the JVM. */
    private static ExecutorService deleteExecutor(int storeId)
    {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(DELETE_PARALLELISM, DELETE_PARALLELISM, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "xcom-gcs-" + storeId + "-delete-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    Storage storage()
    {
        return storage;
    }

    /** Who requests run as, for error messages. */
    String principal()
    {
        return principal;
    }

    static BlobId blobId(Location location)
    {
        String name = location.key();
        if (name.isEmpty() || name.endsWith("/")) {
            throw new IllegalArgumentException("GCS location has no object name: " + location);
        }
        return BlobId.of(bucket(location), name);
    }

    private static String bucket(Location location)
    {
        String bucket = location.bucket();
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("GCS location has no bucket: " + location);
        }
        return bucket;
    }

    /** The not-found error for {@code location}, saying whether the object or the whole bucket is missing. */
    IOException notFound(Location location)
    {
        if (bucketMissing(location)) {
            return new FileNotFoundException("Bucket does not exist: gs://" + location.bucket() + " (object " + location + ")");
        }
        return new FileNotFoundException("Object not found: " + location);
    }

    boolean bucketMissing(Location location)
    {
        try {
            return storage.get(location.bucket(), BucketGetOption.fields(BucketField.NAME)) == null;
        }
        catch (StorageException e) {
            // e.g. no storage.buckets.get permission: as far as we can tell the bucket is there
            return false;
        }
    }

    /**
     * An I/O error naming the location and, for authorization failures, the principal the request ran as (the
     * credentials of the location's connection, or Application Default Credentials).
     */
    IOException translate(StorageException e, Location location, String action)
    {
        return translate(e, location, action, principal);
    }

    static IOException translate(StorageException e, Location location, String action, String principal)
    {
        int code = e.getCode();
        String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
        IOException translated;
        if (code == 401 || code == 403) {
            translated = new IOException("Permission denied (HTTP " + code + ") to " + action + " " + location + " as " + principal + detail);
        }
        else if (code == 404) {
            translated = new FileNotFoundException("Not found (HTTP 404) when trying to " + action + " " + location + detail);
        }
        else if (code == 412) {
            translated = new FileAlreadyExistsException(location.toString(), null, "object already exists (precondition failed)");
        }
        else {
            translated = new IOException("Failed to " + action + " " + location + " (" + (code == 0 ? "no HTTP status" : "HTTP " + code) + ")" + detail);
        }
        translated.initCause(e);
        return translated;
    }

    private static Map<String, String> userMetadata(Blob blob)
    {
        Map<String, String> metadata = blob.getMetadata();
        if (metadata == null) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>();
        // the client represents keys being removed as null values
        metadata.forEach((key, value) -> {
            if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }

    private final class LocatedInputStream
            extends FilterInputStream
    {
        private final Location location;

        LocatedInputStream(Location location, InputStream in)
        {
            super(in);
            this.location = location;
        }

        @Override
        public int read()
                throws IOException
        {
            try {
                return super.read();
            }
            catch (IOException | StorageException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len)
                throws IOException
        {
            try {
                return super.read(b, off, len);
            }
            catch (IOException | StorageException e) {
                throw failed(e);
            }
        }

        private IOException failed(Exception e)
        {
            StorageException storageException = e instanceof StorageException direct ? direct
                    : e.getCause() instanceof StorageException cause ? cause : null;
            if (storageException != null) {
                return translate(storageException, location, "read");
            }
            return new IOException("Failed to read " + location + ": " + e.getMessage(), e);
        }
    }

    private final class BlobIterator
            extends LookaheadObjectIterator
    {
        private final Location prefix;
        private final String bucket;
        private Page<Blob> page;
        private Iterator<Blob> blobs;

        BlobIterator(Location prefix, String bucket, Page<Blob> first)
        {
            this.prefix = prefix;
            this.bucket = bucket;
            this.page = first;
            this.blobs = first.getValues().iterator();
        }

        @Override
        protected ObjectEntry computeNext()
                throws IOException
        {
            while (true) {
                if (blobs.hasNext()) {
                    Blob blob = blobs.next();
                    // "folder" placeholders (zero-byte names ending in '/') made by consoles are not objects
                    if (!blob.getName().endsWith("/")) {
                        return entry(blob);
                    }
                    continue;
                }
                if (page == null || !page.hasNextPage()) {
                    return null;
                }
                try {
                    page = page.getNextPage();
                }
                catch (StorageException e) {
                    throw translate(e, prefix, "list");
                }
                blobs = page == null ? List.<Blob>of().iterator() : page.getValues().iterator();
            }
        }

        private ObjectEntry entry(Blob blob)
        {
            Location location = Location.of(prefix.scheme(), prefix.connId(), bucket + "/" + blob.getName());
            OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
            Long size = blob.getSize();
            return new ObjectEntry(location, size == null ? 0 : size, updated == null ? Instant.EPOCH : updated.toInstant());
        }
    }
}
