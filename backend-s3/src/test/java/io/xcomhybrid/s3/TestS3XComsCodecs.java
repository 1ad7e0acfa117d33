package io.xcomhybrid.s3;

import io.xcomhybrid.GcReport;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComEntry;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.XComFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hybrid backend end to end on MinIO with every codec: rows in SQLite, small values in the row, large ones
 * compressed under {@code s3://minio_conn@bucket/xcom}, the connection from {@code AIRFLOW_CONN_MINIO_CONN}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestS3XComsCodecs
{
    private static final String RUN_ID = "manual__2024-01-01T00:00:00+00:00";

    @TempDir
    Path temp;

    private S3Endpoint endpoint;
    private S3Client s3;
    private String bucket;

    @BeforeAll
    void createBucket()
    {
        endpoint = MinioFixture.instance().endpoint();
        s3 = endpoint.client();
        bucket = "xcom-codecs-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(request -> request.bucket(bucket));
    }

    @AfterAll
    void deleteBucket()
    {
        s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()
                .forEach(object -> s3.deleteObject(request -> request.bucket(bucket).key(object.key())));
        s3.deleteBucket(request -> request.bucket(bucket));
        s3.close();
    }

    private AirflowConfig config(String codec)
    {
        return config(codec, "xcom");
    }

    /** Each test class run has its own bucket; gc gets its own prefix, since it sweeps everything under its base. */
    private AirflowConfig config(String codec, String prefix)
    {
        return AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + temp.resolve(codec + ".db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "s3://minio_conn@" + bucket + "/" + prefix,
                        "xcom_objectstorage_threshold", "1024",
                        "xcom_objectstorage_compression", codec)),
                Map.of("AIRFLOW_CONN_MINIO_CONN", endpoint.connectionJson()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bz2", "xz", "lzma", "zip", "lz4", "zstd", "snappy"})
    void smallInTheRowLargeInMinio(String codec)
            throws IOException
    {
        try (XComs xcoms = XComs.open(config(codec))) {
            XComKey small = new XComKey("etl", RUN_ID, codec, -1, "small");
            assertThat(xcoms.push(small, Map.of("rows", 3)).placement()).isEqualTo(Placement.DATABASE);

            List<Object> large = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                large.add(Map.of("id", i, "name", "row " + i, "score", i / 7.0));
            }
            XComKey key = new XComKey("etl", RUN_ID, codec, -1, "return_value");
            PushResult result = xcoms.push(key, large);
            assertThat(result.placement()).isEqualTo(Placement.OBJECT);
            String objectKey = result.location().orElseThrow().key();
            assertThat(objectKey).startsWith("xcom/etl/" + RUN_ID + "/" + codec + "/").endsWith(Compressions.forName(codec).suffix());

            // the stored object is the codec's encoding of exactly the JSON text
            ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(request -> request.bucket(bucket).key(objectKey));
            try (InputStream in = Compressions.forPath(objectKey).decompress(new ByteArrayInputStream(stored.asByteArray()))) {
                assertThat(in.readAllBytes()).isEqualTo(XComJson.standard().toBytes(large));
            }
            assertThat(xcoms.pull(key)).isEqualTo(large);
            assertThat(xcoms.pull(small)).isEqualTo(Map.of("rows", 3));

            assertThat(xcoms.clear(XComFilter.run("etl", RUN_ID).withTaskId(codec))).isEqualTo(2);
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix("xcom/etl/" + RUN_ID + "/" + codec + "/")).contents()).isEmpty();
        }
    }

    @Test
    void digestIsStoredAndVerifiedForASinglePutAndNotComputedForAMultipartUpload()
            throws Exception
    {
        // no codec, so the object is as large as the JSON text; 5 MiB parts
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + temp.resolve("digest.db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "s3://minio_conn@" + bucket + "/digest",
                        "xcom_objectstorage_threshold", "1024",
                        "xcom_objectstorage_compression", ""),
                "xcom_hybrid", Map.of("s3_part_size", Long.toString(S3StoreConfig.MIN_PART_SIZE))),
                Map.of("AIRFLOW_CONN_MINIO_CONN", endpoint.connectionJson()));
        try (XComs xcoms = XComs.open(config)) {
            // one part: a single PutObject carries the size and SHA-256 of the JSON text ...
            XComKey single = new XComKey("etl", RUN_ID, "digest", -1, "single");
            String value = "x".repeat(100_000);
            String singleKey = xcoms.push(single, value).location().orElseThrow().key();
            byte[] json = XComJson.standard().toBytes(value);
            Map<String, String> metadata = s3.headObject(request -> request.bucket(bucket).key(singleKey)).metadata();
            assertThat(metadata).containsEntry("xcom-json-size", Integer.toString(json.length))
                    .containsEntry("xcom-json-sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json)));
            assertThat(xcoms.pull(single)).isEqualTo(value);
            // ... which a pull verifies: the same metadata over other bytes of the same length fails
            byte[] altered = XComJson.standard().toBytes("y".repeat(100_000));
            s3.putObject(request -> request.bucket(bucket).key(singleKey).metadata(metadata), software.amazon.awssdk.core.sync.RequestBody.fromBytes(altered));
            assertThatThrownBy(() -> xcoms.pull(single)).hasMessageContaining("SHA-256").hasMessageContaining(singleKey);

            // three parts: a multipart upload fixes its metadata before the content is known, so there is no digest
            // to store (and the writer stops computing it once the sink says so); the content is still intact
            XComKey multipart = new XComKey("etl", RUN_ID, "digest", -1, "multipart");
            List<Object> large = new ArrayList<>();
            java.util.Random random = new java.util.Random(3);
            for (long size = 0; size < 12L * 1024 * 1024; size += 36) {
                large.add(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
            }
            PushResult result = xcoms.push(multipart, large);
            String multipartKey = result.location().orElseThrow().key();
            var head = s3.headObject(request -> request.bucket(bucket).key(multipartKey).partNumber(1));
            assertThat(head.partsCount()).isEqualTo(3);
            assertThat(head.metadata()).doesNotContainKeys("xcom-json-size", "xcom-json-sha256");
            assertThat(xcoms.pull(multipart)).isEqualTo(large);
        }
    }

    @Test
    void deleteAndGcRemoveObjects()
    {
        try (XComs xcoms = XComs.open(config("gzip", "gc-base"))) {
            String large = "x".repeat(5000);
            XComKey deleted = new XComKey("gc", RUN_ID, "t", -1, "deleted");
            String deletedKey = xcoms.push(deleted, large).location().orElseThrow().key();
            assertThat(xcoms.delete(deleted)).isTrue();
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix(deletedKey)).contents()).isEmpty();

            // a crash between object and row leaves an orphan; a lost object leaves a row without its object
            XComKey orphaned = new XComKey("gc", RUN_ID, "t", -1, "orphaned");
            String orphanKey = xcoms.push(orphaned, large).location().orElseThrow().key();
            xcoms.metadataStore().delete(orphaned);
            XComKey lost = new XComKey("gc", RUN_ID, "t", -1, "lost");
            String lostKey = xcoms.push(lost, large).location().orElseThrow().key();
            s3.deleteObject(request -> request.bucket(bucket).key(lostKey));
            XComKey kept = new XComKey("gc", RUN_ID, "t", -1, "kept");
            xcoms.push(kept, large);

            GcReport young = xcoms.gc(Duration.ofHours(1), false);
            assertThat(young.orphans()).isEmpty();
            assertThat(young.young()).isEqualTo(1);

            GcReport report = xcoms.gc(Duration.ZERO, false);
            assertThat(report.orphans()).extracting(location -> location.key()).containsExactly(orphanKey);
            assertThat(report.missingObjects()).extracting(XComEntry::key).containsExactly(lost);
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix(orphanKey)).contents()).isEmpty();
            assertThat(xcoms.pull(kept)).isEqualTo(large);
        }
    }
}
