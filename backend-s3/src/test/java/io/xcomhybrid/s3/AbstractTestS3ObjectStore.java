package io.xcomhybrid.s3;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.store.AbstractObjectStoreTest;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The object-store contract plus S3-only cases (metadata, checksums, multipart clean-up, batch delete, error messages),
 * run against each S3 server by a thin subclass. The store is reached the way the router reaches it: through
 * {@link ObjectStores} (so the ServiceLoader registration is exercised) with the connection in {@code AIRFLOW_CONN_*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractTestS3ObjectStore
        extends AbstractObjectStoreTest
{
    protected static final String CONN_ID = "s3_test_conn";
    // the S3 minimum, so the 12 MiB object of the contract suite takes three parts
    protected static final long PART_SIZE = 5L * 1024 * 1024;

    private ObjectStores stores;
    private S3ObjectStore store;
    private String bucket;

    protected abstract S3Endpoint endpoint();

    /** Whether the server honours {@code If-None-Match: *} on PutObject and CompleteMultipartUpload. */
    protected boolean supportsConditionalWrites()
    {
        return true;
    }

    /** Whether HeadObject returns the checksum sent with the upload. */
    protected boolean returnsStoredChecksums()
    {
        return true;
    }

    @BeforeAll
    void createStoreAndBucket()
            throws IOException
    {
        S3Endpoint endpoint = endpoint();
        Map<String, String> options = Map.of(
                S3StoreConfig.PART_SIZE, "5MiB",
                S3StoreConfig.UPLOAD_PARALLELISM, "2",
                S3StoreConfig.CONDITIONAL_WRITES, String.valueOf(supportsConditionalWrites()));
        AirflowConfig config = AirflowConfig.of(Map.of(S3StoreConfig.SECTION, options),
                Map.of("AIRFLOW_CONN_" + CONN_ID.toUpperCase(Locale.ROOT), endpoint.connectionJson()));
        stores = new ObjectStores(config);
        bucket = "xcom-test-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectStore found = stores.forLocation(Location.parse("s3://" + CONN_ID + "@" + bucket + "/x"));
        assertThat(found).isInstanceOf(S3ObjectStore.class);
        store = (S3ObjectStore) found;
        assertThat(store.config().partSize()).isEqualTo(PART_SIZE);
        s3().createBucket(request -> request.bucket(bucket));
    }

    @AfterAll
    void closeStore()
            throws IOException
    {
        if (stores != null) {
            stores.close();
        }
    }

    @Override
    protected ObjectStore store()
    {
        return store;
    }

    protected S3Client s3()
    {
        return store.client();
    }

    protected String bucket()
    {
        return bucket;
    }

    @Override
    protected Location newRoot()
    {
        return Location.parse("s3://" + CONN_ID + "@" + bucket + "/" + UUID.randomUUID());
    }

    @Test
    public void schemesAreRegisteredThroughServiceLoader()
            throws IOException
    {
        assertThat(stores.schemes()).contains("s3", "s3a", "s3n");
        assertThat(stores.forLocation(Location.parse("s3a://" + CONN_ID + "@" + bucket + "/x"))).isInstanceOf(S3ObjectStore.class);
    }

    @Test
    public void metadataIsStoredWithSinglePutObject()
            throws IOException
    {
        Location location = newLocation("with-metadata.json");
        try (ObjectSink sink = store.create(location)) {
            sink.write("{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
            sink.setMetadata(Map.of("xcom-uncompressed-size", "8", "xcom-sha256", "abc123"));
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\": 1}");
            assertThat(source.metadata()).containsEntry("xcom-uncompressed-size", "8").containsEntry("xcom-sha256", "abc123");
        }
    }

    @Test
    public void multipartUploadKeepsContentButNotLateMetadata()
            throws IOException
    {
        // documented limitation: a multipart upload declares metadata when it starts, before the content is known
        Location location = newLocation("multipart-with-metadata");
        byte[] data = randomBytes((int) PART_SIZE * 2 + 3, 11);
        try (ObjectSink sink = store.create(location)) {
            assertThat(sink.storesMetadata()).isTrue();
            sink.write(data, 0, (int) PART_SIZE + 1);
            // the first part has gone out: from now on a writer need not compute metadata
            assertThat(sink.storesMetadata()).isFalse();
            sink.write(data, (int) PART_SIZE + 1, data.length - (int) PART_SIZE - 1);
            sink.setMetadata(Map.of("xcom-sha256", "abc123"));
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.readAllBytes()).isEqualTo(data);
            assertThat(source.metadata()).doesNotContainKey("xcom-sha256");
        }
        assertThat(multipartUploads(location)).isEmpty();
    }

    @Test
    public void objectOfExactlyOnePartIsSinglePut()
            throws IOException
    {
        Location location = newLocation("one-part");
        byte[] data = randomBytes((int) PART_SIZE, 12);
        try (ObjectSink sink = store.create(location)) {
            sink.write(data);
            assertThat(sink.storesMetadata()).isTrue();
            sink.setMetadata(Map.of("xcom-mark", "single"));
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.readAllBytes()).isEqualTo(data);
            // metadata survives only a single PutObject, so this proves no multipart upload was used
            assertThat(source.metadata()).containsEntry("xcom-mark", "single");
        }
    }

    @Test
    public void uploadsCarryAChecksumOfTheStoredBytes()
            throws IOException
    {
        assumeTrue(returnsStoredChecksums(), "the server does not return stored checksums");
        Location small = newLocation("checksummed-small");
        write(small, "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
        HeadObjectResponse head = s3().headObject(request -> request.bucket(bucket).key(small.key()).checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC32()).isNotBlank();

        Location large = newLocation("checksummed-multipart");
        write(large, randomBytes((int) PART_SIZE + 1, 13));
        HeadObjectResponse multipartHead = s3().headObject(request -> request.bucket(bucket).key(large.key()).checksumMode(ChecksumMode.ENABLED));
        assertThat(multipartHead.checksumCRC32()).isNotBlank();
    }

    @Test
    public void abortedMultipartUploadLeavesNoUpload()
            throws IOException
    {
        Location location = newLocation("aborted-multipart");
        ObjectSink sink = store.create(location);
        sink.write(randomBytes((int) PART_SIZE * 2 + 1, 3));
        assertThat(multipartUploads(location)).hasSize(1);
        sink.abort();
        sink.abort();
        sink.close();
        assertThat(multipartUploads(location)).isEmpty();
        assertThat(store.exists(location)).isFalse();
        assertThatThrownBy(() -> sink.write(1)).isInstanceOf(IOException.class).hasMessageContaining(location.toString());
    }

    @Test
    public void conditionalCreateConflictOnMultipartUploadAbortsIt()
            throws IOException
    {
        assumeTrue(supportsConditionalWrites(), "the server does not support conditional writes");
        Location location = newLocation("conflict-multipart");
        write(location, new byte[] {1});
        ObjectSink sink = store.create(location);
        sink.write(randomBytes((int) PART_SIZE + 10, 5));
        assertThatThrownBy(sink::close)
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(location.toString());
        assertThat(read(location)).containsExactly(1);
        assertThat(multipartUploads(location)).isEmpty();
        sink.close();
    }

    @Test
    public void disablingConditionalWritesDropsTheHeader()
            throws IOException
    {
        // s3_conditional_writes = false is for servers that reject If-None-Match: the write then replaces
        Location location = newLocation("unconditional");
        write(location, new byte[] {1});
        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of(CONN_ID), Optional.of(endpoint().connection(CONN_ID)));
        try (S3ObjectStore unconditional = S3ObjectStoreFactory.createStore(settings, S3StoreConfig.defaults().withConditionalWrites(false))) {
            try (ObjectSink sink = unconditional.create(location)) {
                sink.write(2);
            }
        }
        assertThat(read(location)).containsExactly(2);
    }

    @Test
    public void deleteAllSendsBatchesOfAtMostOneThousand()
            throws Exception
    {
        Location root = newRoot();
        List<Location> locations = new ArrayList<>();
        for (int i = 0; i < S3ObjectStore.DELETE_BATCH_SIZE + 5; i++) {
            locations.add(root.appendPath("batch/" + i));
        }
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (Location location : locations) {
                writes.add(executor.submit(() -> {
                    write(location, new byte[] {7});
                    return null;
                }));
            }
            for (Future<?> future : writes) {
                future.get();
            }
        }
        finally {
            executor.shutdownNow();
        }
        assertThat(list(root)).hasSize(locations.size());
        store.deleteAll(locations);
        assertThat(list(root)).isEmpty();
    }

    @Test
    public void partialReadThenCloseIsClean()
            throws IOException
    {
        Location location = newLocation("partial-read");
        byte[] data = randomBytes(3 * 1024 * 1024, 9);
        write(location, data);
        try (InputStream in = store.open(location)) {
            assertThat(in.readNBytes(10)).isEqualTo(java.util.Arrays.copyOf(data, 10));
        }
        // the aborted connection must not poison the pool
        assertThat(read(location)).isEqualTo(data);
    }

    @Test
    public void largeObjectReadWithParallelRangesMatchesSingleStream()
            throws IOException
    {
        Location location = newLocation("ranged");
        // three and a half parts: the first streams from the opening GET, the rest come as ranges
        byte[] data = randomBytes((int) (PART_SIZE * 3 + PART_SIZE / 2), 21);
        write(location, data);
        assertThat(store.config().downloadParallelism()).isGreaterThan(1);

        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        try (ObjectSource in = store.open(location)) {
            // the ranged reader is wrapped in a plain ObjectSource; a single-stream read has its own subclass
            assertThat(in.getClass()).isEqualTo(ObjectSource.class);
            byte[] chunk = new byte[7919];
            for (int i = 0; ; i++) {
                if (i % 3 == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    mixed.write(b);
                    continue;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                mixed.write(chunk, 0, n);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(mixed.toByteArray()).isEqualTo(data);

        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of(CONN_ID), Optional.of(endpoint().connection(CONN_ID)));
        try (S3ObjectStore single = S3ObjectStoreFactory.createStore(settings, store.config().withDownloadParallelism(1))) {
            try (InputStream in = single.open(location)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }

        // closing a ranged read early cancels what was fetched ahead; the store stays usable
        try (InputStream in = store.open(location)) {
            in.skipNBytes(PART_SIZE + 5);
            assertThat(in.read()).isEqualTo(data[(int) PART_SIZE + 5] & 0xFF);
        }
        assertThat(read(location)).isEqualTo(data);
    }

    @Test
    public void missingBucketIsNamed()
    {
        String missing = "xcom-missing-" + UUID.randomUUID().toString().substring(0, 8);
        Location location = Location.parse("s3://" + CONN_ID + "@" + missing + "/a/b");
        assertThatThrownBy(() -> read(location))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(FileNotFoundException.class)
                .hasMessageContaining(location.toString())
                .hasMessageContaining("bucket '" + missing + "' does not exist");
        assertThatThrownBy(() -> write(location, new byte[] {1}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bucket '" + missing + "' does not exist");
        assertThatThrownBy(() -> list(location.parent()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bucket '" + missing + "' does not exist");
    }

    @Test
    public void deleteAllInParallelBatchesNamesTheFailingOne()
            throws IOException
    {
        Location present = newLocation("delete-present");
        write(present, new byte[] {1});
        String missing = "xcom-missing-" + UUID.randomUUID().toString().substring(0, 8);
        Location absent = Location.parse("s3://" + CONN_ID + "@" + missing + "/a/b");
        // one batch per bucket, sent at the same time: the failing one reaches the caller with its location (MinIO fails
        // the request, S3Proxy each key)
        assertThatThrownBy(() -> store.deleteAll(List.of(present, absent)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    public void wrongCredentialsAreReportedWithoutTheSecret()
            throws IOException
    {
        S3Endpoint endpoint = endpoint();
        String wrongSecret = "wrong-secret-" + UUID.randomUUID();
        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of("bad_conn"), Optional.of(
                new S3Endpoint(endpoint.endpoint(), endpoint.accessKey(), wrongSecret, endpoint.region()).connection("bad_conn")));
        Location location = Location.parse("s3://bad_conn@" + bucket + "/denied/" + UUID.randomUUID());
        try (S3ObjectStore denied = S3ObjectStoreFactory.createStore(settings, S3StoreConfig.defaults())) {
            assertThatThrownBy(() -> {
                try (ObjectSink sink = denied.create(location)) {
                    sink.write(1);
                }
            })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Access denied")
                    .hasMessageContaining(location.toString())
                    .hasMessageContaining("connection 'bad_conn'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrongSecret));
            assertThatThrownBy(() -> denied.open(location))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Access denied");
        }
        assertThat(store.exists(location)).isFalse();
    }

    protected List<MultipartUpload> multipartUploads(Location location)
    {
        return s3().listMultipartUploads(request -> request.bucket(location.bucket()).prefix(location.key())).uploads().stream()
                .filter(upload -> upload.key().equals(location.key()))
                .toList();
    }
}
