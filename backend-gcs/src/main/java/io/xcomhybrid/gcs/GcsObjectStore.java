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
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Objects in Google Cloud Storage under {@code gs://[conn_id@]bucket/name} (or {@code gcs://}). Creates are
 * exclusive through an {@code ifGenerationMatch=0} precondition, so no existence check races a concurrent writer;
 * see {@link GcsObjectSink} for the upload paths. Reads stream the stored bytes of the generation whose metadata
 * was read, without decompressive transcoding.
 *
 * <p>Owns its {@link Storage} client, built by {@link GcsObjectStoreFactory} for one connection, and closes it once.
 */
public final class GcsObjectStore
        implements ObjectStore
{
    // the JSON API accepts at most 100 calls in one batch request
    private static final int BATCH_LIMIT = 100;
    private static final int LIST_PAGE_SIZE = 1000;
    private static final Logger log = LoggerFactory.getLogger(GcsObjectStore.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Storage storage;
    private final GcsStoreConfig config;
    private final String principal;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Cleaner.Cleanable leakCheck;

    GcsObjectStore(Storage storage, GcsStoreConfig config, String principal)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.config = requireNonNull(config, "config is null");
        this.principal = requireNonNull(principal, "principal is null");
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

    /** Deletes in batch requests of up to 100 objects; a missing object is not an error, any other failure is. */
    @Override
    public void deleteAll(Collection<Location> locations)
            throws IOException
    {
        List<Location> all = List.copyOf(locations);
        List<BlobId> blobIds = all.stream().map(GcsObjectStore::blobId).toList();
        List<IOException> failures = new ArrayList<>();
        for (int start = 0; start < all.size(); start += BATCH_LIMIT) {
            int end = Math.min(all.size(), start + BATCH_LIMIT);
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
                            failures.add(translate(e, location, "delete"));
                        }
                    }
                });
            }
            try {
                batch.submit();
            }
            catch (StorageException e) {
                failures.add(translate(e, all.get(start), "delete (batch of " + (end - start) + " objects starting at)"));
            }
        }
        if (!failures.isEmpty()) {
            IOException failure = new IOException("Failed to delete " + failures.size() + " of " + all.size() + " objects; first: "
                    + failures.get(0).getMessage());
            failures.forEach(failure::addSuppressed);
            throw failure;
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
            implements ObjectIterator
    {
        private final Location prefix;
        private final String bucket;
        private Page<Blob> page;
        private Iterator<Blob> blobs;
        private ObjectEntry next;

        BlobIterator(Location prefix, String bucket, Page<Blob> first)
        {
            this.prefix = prefix;
            this.bucket = bucket;
            this.page = first;
            this.blobs = first.getValues().iterator();
        }

        @Override
        public boolean hasNext()
                throws IOException
        {
            while (next == null) {
                if (blobs.hasNext()) {
                    Blob blob = blobs.next();
                    // "folder" placeholders (zero-byte names ending in '/') made by consoles are not objects
                    if (!blob.getName().endsWith("/")) {
                        next = entry(blob);
                    }
                    continue;
                }
                if (page == null || !page.hasNextPage()) {
                    return false;
                }
                try {
                    page = page.getNextPage();
                }
                catch (StorageException e) {
                    throw translate(e, prefix, "list");
                }
                blobs = page == null ? List.<Blob>of().iterator() : page.getValues().iterator();
            }
            return true;
        }

        @Override
        public ObjectEntry next()
                throws IOException
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectEntry entry = next;
            next = null;
            return entry;
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
