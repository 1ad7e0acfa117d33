package io.xcomhybrid.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.store.AbstractObjectStoreTest;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectIterator;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The object-store contract plus GCS-only cases, against a GCS API server. The store is built the way the router
 * builds it: through {@link GcsObjectStoreFactory} from a {@code google_cloud_platform} connection named in the
 * location ({@code gs://gcs_test@bucket/...}). Subclasses say how to reach the server (an emulator or GCS itself).
 * Every object lives under a prefix unique to the run, and only that prefix is cleaned up afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractTestGcsObjectStore
        extends AbstractObjectStoreTest
{
    static final String CONN_ID = "gcs_test";
    // small chunks, so that the contract's large objects go through resumable sessions of several chunks
    static final int CHUNK_SIZE = 1024 * 1024;

    private final String runPrefix = "xcom-test-" + UUID.randomUUID();
    private Storage client;
    private String bucket;
    private ObjectStore store;

    /** A client for setup and inspection, bypassing the store under test. */
    protected abstract Storage createClient();

    /** The {@code extra} JSON object of the test connection. */
    protected abstract String connectionExtra();

    /** The bucket to use; by default a new one, deleted afterwards. */
    protected String provisionBucket(Storage client)
    {
        String name = "xcom-" + UUID.randomUUID().toString().substring(0, 8);
        client.create(BucketInfo.of(name));
        return name;
    }

    protected boolean deleteBucketAfterwards()
    {
        return true;
    }

    /** The emulator's URL, for the {@code STORAGE_EMULATOR_HOST} case; empty for GCS itself. */
    protected Optional<String> emulatorUrl()
    {
        return Optional.empty();
    }

    @BeforeAll
    void setUpStore()
            throws IOException
    {
        client = createClient();
        bucket = provisionBucket(client);
        store = new GcsObjectStoreFactory().create("gs", Optional.of(CONN_ID), config().connection(CONN_ID), config());
    }

    @AfterAll
    void tearDownStore()
            throws Exception
    {
        if (store != null) {
            store.close();
        }
        if (client != null) {
            List<BlobId> blobs = new ArrayList<>();
            client.list(bucket, Storage.BlobListOption.prefix(runPrefix + "/")).iterateAll().forEach(blob -> blobs.add(blob.getBlobId()));
            for (int start = 0; start < blobs.size(); start += 100) {
                client.delete(blobs.subList(start, Math.min(blobs.size(), start + 100)));
            }
            if (deleteBucketAfterwards()) {
                client.delete(bucket);
            }
            client.close();
        }
    }

    protected AirflowConfig config()
    {
        return AirflowConfig.of(
                Map.of(GcsStoreConfig.SECTION, Map.of(GcsStoreConfig.CHUNK_SIZE, String.valueOf(CHUNK_SIZE))),
                Map.of("AIRFLOW_CONN_" + CONN_ID.toUpperCase(Locale.ROOT),
                        "{\"conn_type\": \"google_cloud_platform\", \"extra\": " + connectionExtra() + "}"));
    }

    @Override
    protected ObjectStore store()
    {
        return store;
    }

    @Override
    protected Location newRoot()
    {
        return Location.parse("gs://" + CONN_ID + "@" + bucket + "/" + runPrefix + "/" + UUID.randomUUID());
    }

    protected Storage client()
    {
        return client;
    }

    protected String bucket()
    {
        return bucket;
    }

    @Test
    void smallObjectKeepsMetadataAndCrc32c()
            throws IOException
    {
        Location location = newLocation("small.json.gz");
        byte[] data = randomBytes(1000, 3);
        Map<String, String> metadata = Map.of("xcom-uncompressed-size", "1234", "xcom-sha256", "ab12");
        try (ObjectSink sink = store.create(location)) {
            sink.write(data);
            sink.setMetadata(metadata);
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.readAllBytes()).isEqualTo(data);
            assertThat(source.metadata()).containsAllEntriesOf(metadata);
        }
        assertThat(rawBlob(location).getCrc32c()).isEqualTo(crc32c(data));
    }

    @Test
    void resumableUploadKeepsMetadataAndCrc32c()
            throws IOException
    {
        Location location = newLocation("resumable.bin");
        byte[] data = randomBytes(3 * CHUNK_SIZE + 12345, 4);
        Map<String, String> metadata = Map.of("xcom-uncompressed-size", String.valueOf(data.length));
        try (ObjectSink sink = store.create(location)) {
            for (int offset = 0; offset < data.length; offset += 100_000) {
                sink.write(data, offset, Math.min(100_000, data.length - offset));
            }
            sink.setMetadata(metadata);
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.readAllBytes()).isEqualTo(data);
            assertThat(source.metadata()).containsAllEntriesOf(metadata);
        }
        assertThat(rawBlob(location).getCrc32c()).isEqualTo(crc32c(data));
    }

    @Test
    void objectOfExactlyOneChunkIsOneRequest()
            throws IOException
    {
        Location location = newLocation("one-chunk");
        byte[] data = randomBytes(CHUNK_SIZE, 5);
        try (ObjectSink sink = store.create(location)) {
            sink.write(data);
            sink.setMetadata(Map.of("k", "v"));
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.readAllBytes()).isEqualTo(data);
            assertThat(source.metadata()).containsEntry("k", "v");
        }
    }

    @Test
    void resumableCreateNeverOverwrites()
            throws IOException
    {
        Location location = newLocation("exclusive-large");
        byte[] first = randomBytes(2 * CHUNK_SIZE + 1, 6);
        write(location, first);
        assertThatThrownBy(() -> write(location, randomBytes(2 * CHUNK_SIZE + 1, 7)))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(location.toString());
        assertThat(read(location)).isEqualTo(first);
    }

    @Test
    void readsStoredBytesOfGzipEncodedObject()
            throws IOException
    {
        // Objects written by other tools may carry Content-Encoding: gzip; XCom readers must get the stored bytes.
        Location location = newLocation("encoded.json.gz");
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write("{\"value\": 42}".getBytes(StandardCharsets.UTF_8));
        }
        client.create(BlobInfo.newBuilder(BlobId.of(bucket, location.key())).setContentEncoding("gzip").build(), gzipped.toByteArray());
        assertThat(read(location)).isEqualTo(gzipped.toByteArray());
    }

    @Test
    void deleteAllSpansSeveralBatches()
            throws IOException
    {
        Location root = newRoot();
        List<Location> doomed = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            Location location = root.appendPath("batch/" + i);
            write(location, new byte[] {(byte) i});
            doomed.add(location);
        }
        store.deleteAll(doomed);
        assertThat(list(root)).isEmpty();
    }

    @Test
    void deleteAllSendsSeveralBatchesAtOnceAndIgnoresObjectsAlreadyGone()
            throws Exception
    {
        Location root = newRoot();
        List<Location> doomed = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            doomed.add(root.appendPath("many/" + i));
        }
        Location kept = root.appendPath("kept");
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (Location location : doomed) {
                writes.add(executor.submit(() -> client.create(BlobInfo.newBuilder(GcsObjectStore.blobId(location)).build(), new byte[] {7})));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        }
        finally {
            executor.shutdownNow();
        }
        write(kept, new byte[] {1});
        assertThat(list(root)).hasSize(2501);
        // some already gone, in batches of their own and among present objects
        List<BlobId> gone = new ArrayList<>();
        for (int i = 0; i < 2500; i += 7) {
            gone.add(GcsObjectStore.blobId(doomed.get(i)));
        }
        for (int i = 1000; i < 1100; i++) {
            gone.add(GcsObjectStore.blobId(doomed.get(i)));
        }
        client.delete(gone);
        assertThat(list(root).size()).isLessThan(2501 - 300);

        store.deleteAll(doomed);
        assertThat(listLocations(root)).containsExactly(kept);
    }

    @Test
    void listingSkipsFolderPlaceholders()
            throws IOException
    {
        Location root = newRoot();
        Location object = root.appendPath("dir/object");
        client.create(BlobInfo.newBuilder(BlobId.of(bucket, root.key() + "/dir/")).build(), new byte[0]);
        write(object, new byte[] {1});
        assertThat(listLocations(root)).containsExactly(object);
    }

    @Test
    void emulatorHostWithoutConnId()
            throws IOException
    {
        assumeTrue(emulatorUrl().isPresent(), "STORAGE_EMULATOR_HOST applies to emulators only");
        // gcs:// without a conn_id and STORAGE_EMULATOR_HOST set: no credentials, requests go to the emulator
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of("STORAGE_EMULATOR_HOST", emulatorUrl().get().replaceFirst("^http://", "")));
        try (ObjectStore plain = new GcsObjectStoreFactory().create("gcs", Optional.empty(), Optional.empty(), config)) {
            Location location = Location.parse("gcs://" + bucket + "/" + runPrefix + "/" + UUID.randomUUID() + "/value.json");
            try (ObjectSink sink = plain.create(location)) {
                sink.write(new byte[] {4, 2});
            }
            assertThat(plain.exists(location)).isTrue();
            assertThat(rawBlob(location).getSize()).isEqualTo(2);
            try (ObjectSource source = plain.open(location)) {
                assertThat(source.readAllBytes()).containsExactly(4, 2);
            }
            assertThat(listLocations(plain, location.parent())).containsExactly(location);
        }
    }

    @Test
    void resumableUploadIsInvisibleUntilCloseAndAbortLeavesNothing()
            throws IOException
    {
        Location committed = newLocation("committed");
        ObjectSink sink = store.create(committed);
        sink.write(randomBytes(3 * CHUNK_SIZE, 9));
        assertThat(store.exists(committed)).isFalse();
        sink.close();
        assertThat(store.exists(committed)).isTrue();

        Location aborted = newLocation("aborted-after-chunks");
        ObjectSink abandoned = store.create(aborted);
        abandoned.write(randomBytes(3 * CHUNK_SIZE, 10));
        abandoned.abort();
        assertThatThrownBy(() -> abandoned.write(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(aborted.toString());
        abandoned.close();
        assertThat(store.exists(aborted)).isFalse();
        assertThat(listLocations(committed.parent())).containsExactly(committed);
    }

    @Test
    void missingBucketIsNamed()
    {
        Location location = Location.parse("gs://" + CONN_ID + "@no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8) + "/dag/run/task/x.gz");
        assertThatThrownBy(() -> store.open(location))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("Bucket does not exist")
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> write(location, new byte[] {1}))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("Bucket does not exist")
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> write(location, randomBytes(CHUNK_SIZE + 1, 8)))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("Bucket does not exist")
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> list(location.parent()))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("Bucket does not exist");
    }

    @Test
    void missingObjectIsNotReportedAsMissingBucket()
    {
        Location location = newLocation("nope");
        assertThatThrownBy(() -> store.open(location))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("Object not found: " + location);
    }

    @Test
    void locationWithoutObjectNameIsRejected()
    {
        Location bucketOnly = Location.parse("gs://" + CONN_ID + "@" + bucket);
        assertThatThrownBy(() -> store.open(bucketOnly))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bucketOnly.toString());
    }

    private static List<Location> listLocations(ObjectStore store, Location prefix)
            throws IOException
    {
        List<Location> locations = new ArrayList<>();
        ObjectIterator iterator = store.list(prefix);
        while (iterator.hasNext()) {
            locations.add(iterator.next().location());
        }
        return locations;
    }

    private Blob rawBlob(Location location)
    {
        return client.get(BlobId.of(location.bucket(), location.key()));
    }

    static String crc32c(byte[] data)
    {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
